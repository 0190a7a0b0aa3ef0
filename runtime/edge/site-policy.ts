// A site's cache policy in the shapes the http-cache library takes, built once per site.
import type { CachePolicy, QueryPolicy } from '../lib/http-cache/index.ts';
import type { Site } from '../lib/site.ts';

export interface SitePolicies {
  cache: CachePolicy;
  query: QueryPolicy;
}

const memo = new WeakMap<Site, SitePolicies>();

export function policiesOf(site: Site): SitePolicies {
  let policies = memo.get(site);
  if (policies === undefined) {
    const { queryString, queryParams, ttlOverrideSeconds } = site.cache;
    policies = {
      cache: ttlOverrideSeconds === undefined ? {} : { ttlOverrideSeconds },
      query:
        queryString === 'allowlist'
          ? { mode: 'allowlist', params: queryParams }
          : { mode: queryString },
    };
    memo.set(site, policies);
  }
  return policies;
}
