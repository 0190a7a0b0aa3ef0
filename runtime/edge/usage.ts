// Usage per site as the origin bills it: requests, response bytes, hits and misses. Counted in
// each traffic process with one Map lookup per request, handed to the primary (workers) or the
// UsageFlusher (single process) once a second, where the hour is assigned.
import type { CacheResult } from './observe.ts';

export interface SiteUsage {
  site: string;
  requests: number;
  bytes: number;
  hits: number;
  misses: number;
}

/** Answered from the cache without a full origin fetch for this request. */
const fromCache: ReadonlySet<CacheResult> = new Set(['hit', 'stale', 'revalidated', 'collapsed']);

export class UsageCounts {
  private counts = new Map<string, SiteUsage>();

  record(site: string, bytes: number, cache: CacheResult): void {
    let usage = this.counts.get(site);
    if (usage === undefined) {
      usage = { site, requests: 0, bytes: 0, hits: 0, misses: 0 };
      this.counts.set(site, usage);
    }
    usage.requests += 1;
    usage.bytes += bytes;
    if (fromCache.has(cache)) usage.hits += 1;
    else usage.misses += 1;
  }

  /** What was counted since the last call (and starts again from zero). */
  take(): SiteUsage[] {
    if (this.counts.size === 0) return [];
    const taken = [...this.counts.values()];
    this.counts = new Map();
    return taken;
  }
}
