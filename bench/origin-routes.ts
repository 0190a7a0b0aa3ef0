// What the bench origin serves, shared by the origin process and the sections that drive it.

export const originPaths = {
  /** A cacheable 1 KB object. */
  object1k: '/obj/1k',
  /** A cacheable 100 KB object. */
  object100k: '/obj/100k',
  /** Any URL under it is a new cacheable 1 KB object: the miss section. */
  missPrefix: '/miss/',
} as const;

/** Objects are public and fresh for a day: both caches must store them. */
export const originCacheControl = 'public, max-age=86400';

/** Requests the origin has served, by kind, and TCP connections it accepted; GET /stats on its control port. */
export interface OriginCounts {
  objects: number;
  misses: number;
  other: number;
  connections: number;
}
