// Purges against fills in flight. A miss that asked the origin before a purge and stores its
// answer after it would put back what the purge removed: the purge is acknowledged (and the
// origin's stream moves on) while the edge serves the old copy for its whole TTL. So each store
// remembers the purges it applied for as long as a fill can last, and an object whose response
// was requested before a matching purge is not stored (hard) or stored already stale (soft).
import { type PurgeRequest, purgeMatches } from '../purge.ts';
import type { CachedObject } from './entry.ts';

const maxRemembered = 10_000;

export class PurgeFence {
  private recent: { purge: PurgeRequest; at: number }[] = [];
  /** Purges applied before this time are forgotten; an older response cannot be checked. */
  private forgottenBefore = 0;
  private readonly windowMs: number;

  /** `windowMs`: the longest a fill can take (upstream first-byte plus idle timeouts). */
  constructor(windowMs: number) {
    this.windowMs = windowMs;
  }

  record(purge: PurgeRequest, at: number): void {
    // Kept in time order even if the clock steps back, so admit() may stop at the first older one.
    const last = this.recent.at(-1)?.at ?? 0;
    this.recent.push({ purge, at: Math.max(at, last) });
    const horizon = at - this.windowMs;
    let drop = 0;
    while (
      drop < this.recent.length &&
      ((this.recent[drop]?.at ?? 0) < horizon || this.recent.length - drop > maxRemembered)
    ) {
      drop++;
    }
    if (drop > 0) {
      this.forgottenBefore = Math.max(this.forgottenBefore, this.recent[drop - 1]?.at ?? 0);
      this.recent = this.recent.slice(drop);
    }
  }

  /**
   * Whether `object` may be stored. Its newest variant is the response being stored (the others
   * were in the store, so any purge already reached them). A hard purge applied at or after that
   * response was requested refuses the object; a soft one stores it already stale.
   */
  admit(object: CachedObject): boolean {
    if (this.recent.length === 0 && this.forgottenBefore === 0) return true;
    let newest = object.variants[0];
    for (const variant of object.variants)
      if (newest === undefined || variant.responseTime > newest.responseTime) newest = variant;
    if (newest === undefined) return true;
    if (newest.requestTime < this.forgottenBefore) return false;
    // Newest first, stopping at the first purge older than the request: a miss pays only for
    // the purges applied while it was being fetched (times only grow along the list).
    for (let index = this.recent.length - 1; index >= 0; index--) {
      const { purge, at } = this.recent[index] as { purge: PurgeRequest; at: number };
      if (at < newest.requestTime) break;
      if (!purgeMatches(purge, object)) continue;
      if (purge.mode === 'hard') return false;
      newest.invalidatedAt = Math.min(newest.invalidatedAt ?? at, at);
    }
    return true;
  }
}
