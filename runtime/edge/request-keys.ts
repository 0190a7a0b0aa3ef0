// Parsing the request URL and building its cache key cost ~3% of a hit (WHATWG URL parsing, query
// and percent-encoding normalisation). Popular URLs repeat, so the result is remembered per
// (scheme, authority, target) in a bounded map, cleared whole when full; a site reload gives
// new Site objects, which invalidates the remembered entries of the old ones.
//
// Only targets seen before are remembered. Most misses of a CDN are for URLs asked for once, and
// a remembered one (its URL object, key and strings) lives on for thousands of requests: long
// enough for V8 to copy it out of the young generation and later collect it from the old one,
// for nothing. A small table of target hashes says whether a target was seen recently.
import { cacheKey, requestUrl } from '../lib/http-cache/index.ts';
import type { Site } from '../lib/site.ts';
import { policiesOf } from './site-policy.ts';
import { hashKey } from './store/fill-table.ts';

export interface RequestKey {
  url: URL;
  /** The primary cache key (GET and HEAD share it). */
  key: string;
  site: Site;
}

const seenSlots = 8192;

export class RequestKeys {
  private readonly known = new Map<string, RequestKey>();
  private readonly max: number;
  /** Hashes of targets seen once, by their low bits; a collision only remembers a target early. */
  private readonly seen = new Int32Array(seenSlots);
  /**
   * The last target resolved and not remembered: a miss on the fast path is resolved there, then
   * again by the full handler that answers it.
   */
  private last: { id: string; resolved: RequestKey } | undefined;

  constructor(max = 4096) {
    this.max = max;
  }

  /** The URL and cache key of a request, or undefined when its target is not usable (400). */
  resolve(
    site: Site,
    scheme: 'http' | 'https',
    authority: string,
    target: string,
  ): RequestKey | undefined {
    const id = `${scheme} ${authority} ${target}`;
    const known = this.known.get(id);
    if (known !== undefined && known.site === site) return known;
    const last = this.last;
    if (last !== undefined && last.id === id && last.resolved.site === site) return last.resolved;
    const url = requestUrl(scheme, authority, target);
    if (url === undefined) return undefined;
    const resolved = { url, key: cacheKey('GET', url, policiesOf(site).query), site };
    // Signed, as the Int32Array holds it.
    const hash = hashKey(id) | 0;
    const slot = hash & (seenSlots - 1);
    if (this.seen[slot] !== hash) {
      this.seen[slot] = hash;
      this.last = { id, resolved };
      return resolved;
    }
    if (this.known.size >= this.max) this.known.clear();
    this.known.set(id, resolved);
    return resolved;
  }
}
