// Parsing the request URL and building its cache key cost ~3% of a hit (WHATWG URL parsing, query
// and percent-encoding normalisation). Popular URLs repeat, so the result is remembered per
// (scheme, authority, target) in a bounded map, cleared whole when full; a site reload gives
// new Site objects, which invalidates the remembered entries of the old ones.
import { cacheKey, requestUrl } from '../lib/http-cache/index.ts';
import type { Site } from '../lib/site.ts';
import { policiesOf } from './site-policy.ts';

export interface RequestKey {
  url: URL;
  /** The primary cache key (GET and HEAD share it). */
  key: string;
  site: Site;
}

export class RequestKeys {
  private readonly known = new Map<string, RequestKey>();
  private readonly max: number;

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
    const url = requestUrl(scheme, authority, target);
    if (url === undefined) return undefined;
    const resolved = { url, key: cacheKey('GET', url, policiesOf(site).query), site };
    if (this.known.size >= this.max) this.known.clear();
    this.known.set(id, resolved);
    return resolved;
  }
}
