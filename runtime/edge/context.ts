// Everything a traffic process needs to answer a request, built once at start (server.ts).
import type { SiteTable } from '../lib/site.ts';
import type { Observer } from './observe.ts';
import type { RequestKeys } from './request-keys.ts';
import type { CachedObject } from './store/entry.ts';
import type { MemoryStore } from './store/memory-store.ts';
import type { PurgeFence } from './store/purge-fence.ts';
import type { SharedTier } from './store/tiers.ts';
import type { Upstream } from './upstream.ts';

export interface EdgeOptions {
  /** Responses larger than this are streamed through and not stored. */
  maxObjectBytes: number;
  /** Bodies smaller than this are not compressed. */
  compressMinBytes: number;
}

export interface EdgeContext {
  /** Replaced whole when the site source reports a change. */
  sites: SiteTable;
  /** False until the site source has its sites (the origin's snapshot): unknown hosts get 503, not 404. */
  sitesReady: boolean;
  /** Purges this process applied recently: a fill that began before one does not store. */
  readonly fence: PurgeFence;
  readonly memory: MemoryStore<CachedObject>;
  readonly tier: SharedTier;
  readonly upstream: Upstream;
  readonly observer: Observer;
  readonly options: EdgeOptions;
  /** Cache fills in flight in this process, by primary key (request collapsing). */
  readonly inflight: Map<string, FillInFlight>;
  readonly requestKeys: RequestKeys;
  /** Background revalidations in flight (stale-while-revalidate), by primary key. */
  readonly revalidating: Set<string>;
}

/** A fill that requests of this thread for the same key wait on (handler.ts collapsedFill). */
export interface FillInFlight {
  readonly done: Promise<void>;
  /** What the fill stored (fill.ts keep), which the thread's own memory tier may not hold. */
  object?: CachedObject;
}
