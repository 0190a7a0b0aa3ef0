import fc from 'fast-check';
import { cacheKey, requestUrl } from '../lib/http-cache/index.ts';
import { parseSites, type Site } from '../lib/site.ts';
import { RequestKeys } from './request-keys.ts';
import { policiesOf } from './site-policy.ts';

function site(queryString: 'keep' | 'sort' = 'sort'): Site {
  const [one] = parseSites(
    {
      sites: [
        {
          id: 'shop',
          hosts: ['shop.test'],
          origin: 'http://127.0.0.1:9',
          cache: { queryString },
        },
      ],
    },
    'test',
  );
  return one as Site;
}

describe('RequestKeys', () => {
  it('gives the URL and the cache key of a target, and nothing for an unusable one', () => {
    const keys = new RequestKeys();
    const shop = site();
    const resolved = keys.resolve(shop, 'http', 'shop.test', '/a/../b?z=1&a=2');
    expect(resolved?.key).toBe('GET http://shop.test/b?a=2&z=1');
    expect(resolved?.url.pathname).toBe('/b');
    expect(resolved?.site).toBe(shop);
    expect(keys.resolve(shop, 'http', 'shop.test', 'no-slash')).toBeUndefined();
  });

  it('answers a target resolved twice in a row (fast path, then handler) without parsing again', () => {
    const keys = new RequestKeys();
    const shop = site();
    const first = keys.resolve(shop, 'http', 'shop.test', '/once');
    expect(keys.resolve(shop, 'http', 'shop.test', '/once')).toBe(first);
  });

  it('remembers a target only once it was seen before', () => {
    const keys = new RequestKeys();
    const shop = site();
    const first = keys.resolve(shop, 'http', 'shop.test', '/page');
    keys.resolve(shop, 'http', 'shop.test', '/other');
    // Seen once: parsed again, and remembered this time.
    const second = keys.resolve(shop, 'http', 'shop.test', '/page');
    expect(second).not.toBe(first);
    expect(second?.key).toBe(first?.key);
    keys.resolve(shop, 'http', 'shop.test', '/other');
    expect(keys.resolve(shop, 'http', 'shop.test', '/page')).toBe(second);
  });

  it('keeps what it remembers while thousands of targets are asked for once', () => {
    const keys = new RequestKeys(4096);
    const shop = site();
    keys.resolve(shop, 'http', 'shop.test', '/popular');
    keys.resolve(shop, 'http', 'shop.test', '/between');
    const remembered = keys.resolve(shop, 'http', 'shop.test', '/popular');
    // Remembering each of these would fill the bound and clear the whole map.
    for (let i = 0; i < 10_000; i++) keys.resolve(shop, 'http', 'shop.test', `/miss/${i}`);
    expect(keys.resolve(shop, 'http', 'shop.test', '/popular')).toBe(remembered);
  });

  it('does not answer a reloaded site from what it remembered for the old one', () => {
    const keys = new RequestKeys();
    const before = site('keep');
    for (const path of ['/x?b=1&a=2', '/y', '/x?b=1&a=2'])
      keys.resolve(before, 'http', 'shop.test', path);
    const after = site('sort');
    const resolved = keys.resolve(after, 'http', 'shop.test', '/x?b=1&a=2');
    expect(resolved?.site).toBe(after);
    expect(resolved?.key).toBe('GET http://shop.test/x?a=2&b=1');
  });

  it('always gives the key a direct computation gives, whatever the order of targets', () => {
    const shop = site();
    const target = fc.constantFrom('/', '/a', '/a?b=2&a=1', '/%7euser', '/b/./c', '/a?a=1&b=2');
    const scheme = fc.constantFrom('http' as const, 'https' as const);
    fc.assert(
      fc.property(fc.array(fc.tuple(scheme, target), { maxLength: 60 }), (requests) => {
        const keys = new RequestKeys(4);
        for (const [one, path] of requests) {
          const resolved = keys.resolve(shop, one, 'shop.test', path);
          const url = requestUrl(one, 'shop.test', path) as URL;
          expect(resolved?.key).toBe(cacheKey('GET', url, policiesOf(shop).query));
          expect(resolved?.url.href).toBe(url.href);
        }
      }),
    );
  });
});
