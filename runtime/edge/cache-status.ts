// The edge's Cache-Status member (RFC 9211), formatted by the http-cache library and memoised:
// a hit sends one of few distinct values (by ttl), so it is formatted once, not per request.
import { type CacheStatus, formatCacheStatus } from '../lib/http-cache/index.ts';

export { appendCacheStatus } from '../lib/http-cache/index.ts';
export const cacheName = 'edgeplane';

const hitMembers = new Map<number, string>();

export function hitStatus(ttlSeconds: number): string {
  let member = hitMembers.get(ttlSeconds);
  if (member === undefined) {
    member = formatCacheStatus(cacheName, { hit: true, ttl: ttlSeconds });
    if (hitMembers.size > 10_000) hitMembers.clear();
    hitMembers.set(ttlSeconds, member);
  }
  return member;
}

export function cacheStatus(status: CacheStatus): string {
  return formatCacheStatus(cacheName, status);
}
