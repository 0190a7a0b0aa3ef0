// Purges: by URL, by surrogate key, by path prefix, or everything of a site; soft (mark stale, so
// stale-while-revalidate and stale-if-error still apply) or hard (remove). The same request shape
// arrives on the management port today and from the origin's event stream later.
import { z } from 'zod';
import { cacheKey } from '../lib/http-cache/index.ts';
import { checkPurgeValues, purgeKinds, purgeModes } from '../lib/purge-request.ts';
import type { SiteTable } from '../lib/site.ts';
import { policiesOf } from './site-policy.ts';
import type { CachedObject } from './store/entry.ts';

export const purgeRequestSchema = z
  .object({
    site: z.string({ error: 'must be a site id, e.g. shop-example' }).min(1),
    kind: z.enum(purgeKinds, { error: `must be one of ${purgeKinds.join(', ')}` }),
    /** For url: paths with query ("/a?b=1"); for key: surrogate keys; for prefix: path prefixes. */
    values: z.array(z.string().min(1)).default([]),
    mode: z.enum(purgeModes, { error: `must be one of ${purgeModes.join(', ')}` }).default('hard'),
  })
  .strict()
  .superRefine((purge, ctx) => {
    checkPurgeValues(purge, ctx);
  });

export type PurgeRequest = z.output<typeof purgeRequestSchema>;

/** Whether a purge selects an object (for key purges: whether any variant carries the key). */
export function purgeMatches(purge: PurgeRequest, object: CachedObject): boolean {
  if (object.siteId !== purge.site) return false;
  switch (purge.kind) {
    case 'all':
      return true;
    case 'url':
      return purge.values.includes(object.path);
    case 'prefix':
      return purge.values.some((prefix) => object.path.startsWith(prefix));
    case 'key':
      return object.variants.some((variant) =>
        variant.tags.some((tag) => purge.values.includes(tag)),
      );
  }
}

/** Surrogate keys of a response: Surrogate-Key is space-separated, Cache-Tag comma-separated. */
export function surrogateKeysOf(
  surrogateKey: string | string[] | number | undefined,
  cacheTag: string | string[] | number | undefined,
): string[] {
  const keys = new Set<string>();
  const lines = (value: string | string[] | number | undefined) =>
    value === undefined ? [] : Array.isArray(value) ? value : [String(value)];
  for (const line of lines(surrogateKey))
    for (const key of line.split(/\s+/)) if (key) keys.add(key);
  for (const line of lines(cacheTag))
    for (const key of line.split(',')) if (key.trim()) keys.add(key.trim());
  return [...keys];
}

/**
 * URL purges name paths as a client would send them (or whole URLs); the cache keys them with
 * the site's query policy (sorted, dropped...). This puts each value in the key's form, so
 * `/list?b=2&a=1` purges what `/list?a=1&b=2` stored on a site that sorts its query string.
 */
export function normalisePurge(purge: PurgeRequest, sites: SiteTable): PurgeRequest {
  if (purge.kind !== 'url') return purge;
  const site = sites.byId(purge.site);
  if (site === undefined) return purge;
  const policy = policiesOf(site).query;
  const values = purge.values.map((value) => {
    const url = /^https?:\/\//i.test(value)
      ? new URL(value)
      : new URL(value, 'http://purge.invalid');
    const key = cacheKey('GET', url, policy);
    const keyed = new URL(key.slice(key.indexOf(' ') + 1));
    return keyed.pathname + keyed.search;
  });
  return { ...purge, values };
}
