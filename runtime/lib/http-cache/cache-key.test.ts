import fc from 'fast-check';
import {
  cacheKey,
  normaliseQuery,
  normaliseUrl,
  type QueryPolicy,
  requestUrl,
} from './cache-key.ts';

describe('requestUrl', () => {
  test.each<[string, string, string, string | undefined]>([
    ['http', 'Example.COM', '/a?b=1', 'http://example.com/a?b=1'],
    ['http', 'example.com:80', '/', 'http://example.com/'],
    ['https', 'example.com:443', '/x', 'https://example.com/x'],
    ['http', 'example.com:8080', '/x', 'http://example.com:8080/x'],
    ['http', '[::1]:8080', '/x', 'http://[::1]:8080/x'],
    ['http', 'example.com', 'http://other.example/abs', 'http://other.example/abs'],
    ['http', 'example.com', '/a/../b/./c', 'http://example.com/b/c'],
    ['http', '', '/x', undefined],
    ['http', 'bad host', '/x', undefined],
    ['http', 'evil.com@good.com', '/x', undefined],
    ['http', 'example.com', 'x', undefined],
    ['http', 'example.com:99999', '/x', undefined],
  ])('%s %p %p', (scheme, host, target, expected) => {
    expect(requestUrl(scheme as 'http' | 'https', host, target)?.href).toBe(expected);
  });
});

describe('normaliseQuery', () => {
  test.each<[string, QueryPolicy, string]>([
    ['?b=2&a=1', { mode: 'keep' }, 'b=2&a=1'],
    ['?b=2&a=1', { mode: 'sort' }, 'a=1&b=2'],
    ['?a=2&a=1&b', { mode: 'sort' }, 'a=2&a=1&b'],
    ['?b=2&&a=1&', { mode: 'sort' }, 'a=1&b=2'],
    ['?%61=1&a=0', { mode: 'sort' }, '%61=1&a=0'],
    ['?b=2&a=1', { mode: 'drop' }, ''],
    ['?utm_source=x&id=5&v=2', { mode: 'allowlist', params: ['id', 'v'] }, 'id=5&v=2'],
    ['?utm_source=x', { mode: 'allowlist', params: ['id'] }, ''],
    ['?a+b=1&a%20b=2', { mode: 'allowlist', params: ['a b'] }, 'a+b=1&a%20b=2'],
    ['?%E0%A4%A=1', { mode: 'sort' }, '%E0%A4%A=1'],
  ])('%p %p', (search, policy, expected) => {
    expect(normaliseQuery(search, policy)).toBe(expected);
  });
});

describe('cacheKey', () => {
  test.each<[string, string, QueryPolicy | undefined, string]>([
    ['GET', 'http://Example.com:80/a?x=1#frag', undefined, 'GET http://example.com/a?x=1'],
    ['HEAD', 'http://example.com/a', undefined, 'GET http://example.com/a'],
    ['get', 'http://example.com/a', undefined, 'GET http://example.com/a'],
    ['POST', 'http://example.com/a', undefined, 'POST http://example.com/a'],
    ['GET', 'https://example.com/a?', undefined, 'GET https://example.com/a'],
    ['GET', 'https://user:pw@example.com/a', undefined, 'GET https://example.com/a'],
    ['GET', 'https://example.com/a?b=1&a=2', { mode: 'sort' }, 'GET https://example.com/a?a=2&b=1'],
    [
      'GET',
      'https://example.com/%7euser/%2f%41?q=%7e%2c',
      undefined,
      'GET https://example.com/~user/%2FA?q=~%2C',
    ],
  ])('%s %s', (method, url, policy, expected) => {
    expect(cacheKey(method, url, policy)).toBe(expected);
  });
});

// Property tests: equivalent URLs give equal keys, different resources give different keys.
const hostLabel = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
const host = fc.tuple(hostLabel, hostLabel).map(([a, b]) => `${a}.${b}`);
const segment = fc.stringMatching(/^[A-Za-z0-9_~-]{1,8}$/);
const path = fc.array(segment, { maxLength: 4 }).map((s) => `/${s.join('/')}`);
const paramName = fc.stringMatching(/^[a-z]{1,5}$/);
const paramValue = fc.stringMatching(/^[A-Za-z0-9]{0,5}$/);
const params = fc.uniqueArray(fc.tuple(paramName, paramValue), {
  maxLength: 5,
  selector: ([n]) => n,
});
const scheme = fc.constantFrom<'http' | 'https'>('http', 'https');

function randomCase(s: string, mask: number): string {
  return [...s].map((c, i) => ((mask >> (i % 30)) & 1 ? c.toUpperCase() : c)).join('');
}

describe('cache key properties', () => {
  test('host case, default port, fragment and HEAD vs GET do not change the key', () => {
    fc.assert(
      fc.property(scheme, host, path, params, fc.nat(), fc.boolean(), (s, h, p, q, mask, head) => {
        const query = q.map(([n, v]) => `${n}=${v}`).join('&');
        const plain = `${s}://${h}${p}${query ? `?${query}` : ''}`;
        const port = s === 'http' ? ':80' : ':443';
        const variant = `${s}://${randomCase(h, mask)}${port}${p}${query ? `?${query}` : ''}#frag`;
        expect(cacheKey(head ? 'HEAD' : 'GET', variant)).toBe(cacheKey('GET', plain));
      }),
    );
  });

  test('percent-encoding unreserved characters does not change the key', () => {
    fc.assert(
      fc.property(host, path, fc.nat(), fc.boolean(), (h, p, mask, lower) => {
        const encoded = [...p]
          .map((c, i) => {
            if (c === '/' || ((mask >> (i % 30)) & 1) === 0) return c;
            const hex = c.charCodeAt(0).toString(16).padStart(2, '0');
            return `%${lower ? hex : hex.toUpperCase()}`;
          })
          .join('');
        expect(cacheKey('GET', `https://${h}${encoded}`)).toBe(cacheKey('GET', `https://${h}${p}`));
      }),
    );
  });

  test('with sort, any order of distinct parameters gives one key', () => {
    fc.assert(
      fc.property(host, path, params, fc.func(fc.integer()), (h, p, q, order) => {
        const shuffled = [...q].sort(
          (a, b) => order(a[0]) - order(b[0]) || a[0].localeCompare(b[0]),
        );
        const url = (list: typeof q) =>
          `https://${h}${p}?${list.map(([n, v]) => `${n}=${v}`).join('&')}`;
        expect(cacheKey('GET', url(shuffled), { mode: 'sort' })).toBe(
          cacheKey('GET', url(q), { mode: 'sort' }),
        );
      }),
    );
  });

  test('different paths, hosts, schemes or parameter values give different keys', () => {
    fc.assert(
      fc.property(
        fc.tuple(scheme, host, path, params),
        fc.tuple(scheme, host, path, params),
        (a, b) => {
          const sortedQuery = (q: Array<[string, string]>) =>
            [...q]
              .sort(([x], [y]) => (x < y ? -1 : 1))
              .map(([n, v]) => `${n}=${v}`)
              .join('&');
          fc.pre(
            a[0] !== b[0] ||
              a[1] !== b[1] ||
              a[2] !== b[2] ||
              sortedQuery(a[3]) !== sortedQuery(b[3]),
          );
          const url = ([s, h, p, q]: typeof a) => `${s}://${h}${p}?${sortedQuery(q)}`;
          expect(cacheKey('GET', url(a), { mode: 'sort' })).not.toBe(
            cacheKey('GET', url(b), { mode: 'sort' }),
          );
          expect(cacheKey('GET', url(a))).not.toBe(cacheKey('GET', url(b)));
        },
      ),
    );
  });

  test('drop ignores the query; allowlist ignores only unlisted parameters', () => {
    fc.assert(
      fc.property(host, path, params, paramValue, (h, p, q, extra) => {
        const base = `https://${h}${p}`;
        const withQuery = `${base}?${q.map(([n, v]) => `${n}=${v}`).join('&')}`;
        expect(cacheKey('GET', withQuery, { mode: 'drop' })).toBe(cacheKey('GET', base));
        const allow: QueryPolicy = { mode: 'allowlist', params: q.map(([n]) => n) };
        expect(cacheKey('GET', `${withQuery}&zzzzzz=${extra}`, allow)).toBe(
          cacheKey('GET', withQuery, allow),
        );
      }),
    );
  });

  test('the key is a stable string: normalising a key URL again changes nothing', () => {
    fc.assert(
      fc.property(scheme, host, path, params, (s, h, p, q) => {
        const url = `${s}://${h}${p}?${q.map(([n, v]) => `${n}=${v}`).join('&')}`;
        const once = normaliseUrl(url, { mode: 'sort' });
        expect(normaliseUrl(once, { mode: 'sort' })).toBe(once);
      }),
    );
  });
});
