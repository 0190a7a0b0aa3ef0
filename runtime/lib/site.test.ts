import { parseSites, SitesError, SiteTable, siteSchema } from './site.ts';

const site = (id: string, hosts: string[]) =>
  siteSchema.parse({ id, hosts, origin: 'http://o.test' });

describe('sites', () => {
  it('fills policy defaults', () => {
    expect(site('a', ['a.test']).cache).toEqual({
      queryString: 'keep',
      queryParams: [],
      cookies: 'bypass',
      compression: true,
    });
  });

  it.each([
    [
      { id: 'a', hosts: ['a.test'], origin: 'ftp://x' },
      'sites.0.origin: must be an http: or https: URL',
    ],
    [
      { id: 'a', hosts: ['http://a.test'], origin: 'http://o' },
      'sites.0.hosts.0: must be a hostname',
    ],
    [
      { id: 'a', hosts: ['a.test'], origin: 'http://o', cache: { queryString: 'allowlist' } },
      'sites.0.cache.queryParams: must list the kept parameters',
    ],
    [
      { id: 'a', hosts: ['a.test'], origin: 'http://o', cache: { ttl: 5 } },
      'sites.0.cache: Unrecognized key',
    ],
    [
      { id: 'a', hosts: ['a.test'], origin: 'http://o?x=1' },
      'sites.0.origin: must not carry a query',
    ],
  ])('names the bad key of %j', (bad, message) => {
    expect(() => parseSites({ sites: [bad] }, 'sites.yaml')).toThrow(SitesError);
    try {
      parseSites({ sites: [bad] }, 'sites.yaml');
    } catch (error) {
      expect((error as SitesError).problems.join('\n')).toContain(message);
    }
  });

  it('refuses one host served by two sites and duplicate ids', () => {
    const problems = (() => {
      try {
        parseSites(
          {
            sites: [
              { id: 'a', hosts: ['x.test'], origin: 'http://o' },
              { id: 'b', hosts: ['X.test'], origin: 'http://o' },
              { id: 'a', hosts: ['y.test'], origin: 'http://o' },
            ],
          },
          'f',
        );
      } catch (error) {
        return (error as SitesError).problems;
      }
      return [];
    })();
    expect(problems).toContain('sites.1.hosts.0: host x.test is already served by site a');
    expect(problems).toContain('sites.2.id: duplicate site id a');
  });

  it('looks hosts up exactly first, then by the longest wildcard, ignoring case, port and trailing dot', () => {
    const table = new SiteTable([
      site('exact', ['www.shop.test']),
      site('wild', ['*.shop.test']),
      site('deeper', ['*.eu.shop.test']),
    ]);
    expect(table.lookup('WWW.shop.test:8080')?.id).toBe('exact');
    expect(table.lookup('img.shop.test.')?.id).toBe('wild');
    expect(table.lookup('a.eu.shop.test')?.id).toBe('deeper');
    expect(table.lookup('shop.test')).toBeUndefined();
    expect(table.lookup(undefined)).toBeUndefined();
  });
});
