// A site: the hostnames a tenant serves through the CDN, its origin and its cache policy.
// The edge reads sites from a SiteSource; today a file (EDGEPLANE_SITES_FILE), later the
// origin's snapshot and event stream. Both feed the same zod-validated Site type.
import { z } from 'zod';

const hostname = z
  .string()
  .transform((value) => value.trim().toLowerCase())
  .refine(
    (value) =>
      /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(
        value,
      ),
    'must be a hostname such as www.example.com or *.example.com (no port, no scheme)',
  );

const originUrl = z
  .string()
  .refine(
    (value) => URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol),
    'must be an http: or https: URL, e.g. https://origin.example.com',
  )
  .refine(
    (value) => !URL.canParse(value) || (new URL(value).search === '' && new URL(value).hash === ''),
    'must not carry a query or fragment, e.g. https://origin.example.com/base',
  );

/** How the query string takes part in the cache key: as sent, sorted, dropped, or only listed params. */
export const queryStringModes = ['keep', 'sort', 'drop', 'allowlist'] as const;
/** What requests with a Cookie header do: bypass the cache, or be cached ignoring the cookie. */
export const cookieModes = ['bypass', 'ignore'] as const;

export const sitePolicySchema = z
  .object({
    /** Seconds of freshness that replace what the origin says, for responses the RFC lets us store. */
    ttlOverrideSeconds: z
      .number({ error: 'must be a number of seconds, e.g. 300' })
      .int('must be a whole number of seconds, e.g. 300')
      .min(0, 'must not be negative, e.g. 300')
      .optional(),
    queryString: z
      .enum(queryStringModes, { error: `must be one of ${queryStringModes.join(', ')}` })
      .default('keep'),
    /** With queryString "allowlist": the parameters kept in the key, e.g. ["page", "lang"]. */
    queryParams: z.array(z.string().min(1)).default([]),
    cookies: z
      .enum(cookieModes, { error: `must be one of ${cookieModes.join(', ')}` })
      .default('bypass'),
    compression: z.boolean({ error: 'must be true or false' }).default(true),
  })
  .strict()
  .refine((policy) => policy.queryString !== 'allowlist' || policy.queryParams.length > 0, {
    path: ['queryParams'],
    message: 'must list the kept parameters when queryString is allowlist, e.g. ["page"]',
  });

export const siteSchema = z
  .object({
    id: z
      .string({ error: 'must be a site id such as shop-example' })
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a site id such as shop-example'),
    hosts: z.array(hostname).min(1, 'must list at least one hostname, e.g. ["www.example.com"]'),
    origin: originUrl,
    cache: sitePolicySchema.default({
      queryString: 'keep',
      queryParams: [],
      cookies: 'bypass',
      compression: true,
    }),
  })
  .strict();

export type Site = z.output<typeof siteSchema>;
export type SiteInput = z.input<typeof siteSchema>;
export type SitePolicy = Site['cache'];

export const sitesFileSchema = z
  .object({ sites: z.array(siteSchema) })
  .strict()
  .superRefine((file, ctx) => {
    const owner = new Map<string, string>();
    const ids = new Set<string>();
    file.sites.forEach((site, index) => {
      if (ids.has(site.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['sites', index, 'id'],
          message: `duplicate site id ${site.id}`,
        });
      }
      ids.add(site.id);
      site.hosts.forEach((host, hostIndex) => {
        const other = owner.get(host);
        if (other !== undefined && other !== site.id) {
          ctx.addIssue({
            code: 'custom',
            path: ['sites', index, 'hosts', hostIndex],
            message: `host ${host} is already served by site ${other}`,
          });
        }
        owner.set(host, site.id);
      });
    });
  });

export class SitesError extends Error {
  readonly problems: readonly string[];
  constructor(source: string, problems: readonly string[]) {
    super(`invalid sites in ${source}:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.name = 'SitesError';
    this.problems = problems;
  }
}

/** Validates a parsed sites document; throws SitesError naming each bad key with an example. */
export function parseSites(document: unknown, source: string): Site[] {
  const result = sitesFileSchema.safeParse(document);
  if (result.success) return result.data.sites;
  throw new SitesError(
    source,
    result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
  );
}

/** Where sites come from. A source emits the full set on load and again on every change. */
export interface SiteSource {
  /** Loads the current sites; rejects with SitesError when they are invalid. */
  load(): Promise<readonly Site[]>;
  /** Calls back with the full new set whenever it changes; returns an unsubscribe function. */
  subscribe?(onChange: (sites: readonly Site[]) => void): () => void;
  /** False while the source has no sites to give yet (the origin's snapshot is not in); absent means always ready. */
  readonly ready?: boolean;
}

/** Host header -> site, with exact names first, then the longest `*.` wildcard. */
export class SiteTable {
  private readonly exact = new Map<string, Site>();
  private readonly wildcard = new Map<string, Site>();
  readonly sites: readonly Site[];

  constructor(sites: readonly Site[]) {
    this.sites = sites;
    for (const site of sites) {
      for (const host of site.hosts) {
        if (host.startsWith('*.')) this.wildcard.set(host.slice(1), site);
        else this.exact.set(host, site);
      }
    }
  }

  /** The site for a Host header value (any case, optional port, optional trailing dot). */
  lookup(hostHeader: string | undefined): Site | undefined {
    if (!hostHeader) return undefined;
    let host = hostHeader.toLowerCase();
    const colon = host.lastIndexOf(':');
    if (colon !== -1 && !host.endsWith(']')) host = host.slice(0, colon);
    if (host.endsWith('.')) host = host.slice(0, -1);
    const site = this.exact.get(host);
    if (site !== undefined || this.wildcard.size === 0) return site;
    for (let dot = host.indexOf('.'); dot !== -1; dot = host.indexOf('.', dot + 1)) {
      const match = this.wildcard.get(host.slice(dot));
      if (match !== undefined) return match;
    }
    return undefined;
  }

  byId(id: string): Site | undefined {
    return this.sites.find((site) => site.id === id);
  }
}
