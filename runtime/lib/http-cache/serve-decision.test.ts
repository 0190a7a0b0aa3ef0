import type { HeaderMap } from './headers.ts';
import { formatHttpDate } from './http-date.ts';
import { decideServe, staleOnErrorAllowed } from './serve-decision.ts';
import type { CachePolicy, StoredResponse } from './stored-response.ts';

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);

/** A response stored at T0 (no request delay) with the given headers; Date = T0. */
function stored(headers: HeaderMap, extra: Partial<StoredResponse> = {}): StoredResponse {
  return {
    status: 200,
    headers: { date: formatHttpDate(T0), ...headers },
    requestTime: T0,
    responseTime: T0,
    ...extra,
  };
}

const ETAG = { etag: '"v1"' };

type Row = [string, HeaderMap, HeaderMap, number, string, Record<string, unknown>?];

describe('decideServe', () => {
  test.each<Row>([
    // name, response headers, request headers, seconds after storing, expected kind, extra
    [
      'fresh max-age',
      { 'cache-control': 'max-age=60' },
      {},
      30,
      'fresh',
      { ttlMs: 30_000, ageMs: 30_000 },
    ],
    [
      'stale at exactly the lifetime',
      { 'cache-control': 'max-age=60', ...ETAG },
      {},
      60,
      'revalidate',
      { reason: 'stale', conditionalHeaders: { 'if-none-match': '"v1"' } },
    ],
    [
      'stale without validator: unconditional',
      { 'cache-control': 'max-age=60' },
      {},
      61,
      'revalidate',
      { conditionalHeaders: {} },
    ],
    [
      'Age counts against freshness',
      { 'cache-control': 'max-age=3600', age: '7200' },
      {},
      0,
      'revalidate',
    ],
    [
      'response no-cache',
      { 'cache-control': 'max-age=60, no-cache', ...ETAG },
      {},
      1,
      'revalidate',
      { reason: 'response-no-cache' },
    ],
    [
      'response no-cache qualified serves without the fields',
      { 'cache-control': 'max-age=60, no-cache="set-cookie"' },
      {},
      1,
      'fresh',
      { omitFields: ['set-cookie'] },
    ],
    [
      'request no-cache',
      { 'cache-control': 'max-age=60' },
      { 'cache-control': 'no-cache' },
      1,
      'revalidate',
      { reason: 'request-no-cache' },
    ],
    [
      'request Pragma no-cache',
      { 'cache-control': 'max-age=60' },
      { pragma: 'no-cache' },
      1,
      'revalidate',
      { reason: 'request-no-cache' },
    ],
    [
      'Pragma ignored beside Cache-Control',
      { 'cache-control': 'max-age=60' },
      { pragma: 'no-cache', 'cache-control': 'max-stale' },
      1,
      'fresh',
    ],
    [
      'request no-store does not stop serving from cache',
      { 'cache-control': 'max-age=60' },
      { 'cache-control': 'no-store' },
      1,
      'fresh',
    ],
    [
      'request max-age satisfied',
      { 'cache-control': 'max-age=60' },
      { 'cache-control': 'max-age=10' },
      5,
      'fresh',
    ],
    [
      'request max-age exceeded',
      { 'cache-control': 'max-age=60' },
      { 'cache-control': 'max-age=10' },
      11,
      'revalidate',
      { reason: 'request-max-age' },
    ],
    [
      'request max-age=0',
      { 'cache-control': 'max-age=60' },
      { 'cache-control': 'max-age=0' },
      1,
      'revalidate',
      { reason: 'request-max-age' },
    ],
    [
      'request min-fresh met',
      { 'cache-control': 'max-age=60' },
      { 'cache-control': 'min-fresh=10' },
      40,
      'fresh',
    ],
    [
      'request min-fresh not met',
      { 'cache-control': 'max-age=60' },
      { 'cache-control': 'min-fresh=30' },
      40,
      'revalidate',
      { reason: 'request-min-fresh' },
    ],
    [
      'max-stale with value accepts',
      { 'cache-control': 'max-age=60' },
      { 'cache-control': 'max-stale=30' },
      80,
      'stale-allowed',
      { ttlMs: -20_000 },
    ],
    [
      'max-stale with value exceeded',
      { 'cache-control': 'max-age=60' },
      { 'cache-control': 'max-stale=10' },
      80,
      'revalidate',
    ],
    [
      'max-stale without value accepts any',
      { 'cache-control': 'max-age=60' },
      { 'cache-control': 'max-stale' },
      100_000,
      'stale-allowed',
    ],
    [
      'max-stale vs must-revalidate',
      { 'cache-control': 'max-age=60, must-revalidate' },
      { 'cache-control': 'max-stale' },
      80,
      'revalidate',
    ],
    [
      'max-stale vs proxy-revalidate',
      { 'cache-control': 'max-age=60, proxy-revalidate' },
      { 'cache-control': 'max-stale' },
      80,
      'revalidate',
    ],
    [
      'max-stale vs s-maxage',
      { 'cache-control': 's-maxage=60' },
      { 'cache-control': 'max-stale' },
      80,
      'revalidate',
    ],
    [
      'max-stale vs no-cache',
      { 'cache-control': 'max-age=60, no-cache' },
      { 'cache-control': 'max-stale' },
      80,
      'revalidate',
    ],
    [
      'stale-while-revalidate window',
      { 'cache-control': 'max-age=60, stale-while-revalidate=30', ...ETAG },
      {},
      80,
      'stale-while-revalidate',
      { conditionalHeaders: { 'if-none-match': '"v1"' } },
    ],
    [
      'stale-while-revalidate window passed',
      { 'cache-control': 'max-age=60, stale-while-revalidate=30' },
      {},
      91,
      'revalidate',
    ],
    [
      'stale-while-revalidate with s-maxage honoured',
      { 'cache-control': 's-maxage=60, stale-while-revalidate=30' },
      {},
      80,
      'stale-while-revalidate',
    ],
    [
      'stale-while-revalidate vs must-revalidate',
      { 'cache-control': 'max-age=60, stale-while-revalidate=30, must-revalidate' },
      {},
      80,
      'revalidate',
    ],
    [
      'stale-while-revalidate vs request no-cache',
      { 'cache-control': 'max-age=60, stale-while-revalidate=30' },
      { 'cache-control': 'no-cache' },
      80,
      'revalidate',
    ],
    [
      'only-if-cached fresh',
      { 'cache-control': 'max-age=60' },
      { 'cache-control': 'only-if-cached' },
      1,
      'fresh',
    ],
    [
      'only-if-cached stale: 504',
      { 'cache-control': 'max-age=60' },
      { 'cache-control': 'only-if-cached' },
      61,
      'gateway-timeout',
    ],
    [
      'only-if-cached with max-stale',
      { 'cache-control': 'max-age=60' },
      { 'cache-control': 'only-if-cached, max-stale' },
      61,
      'stale-allowed',
    ],
    [
      'CDN-Cache-Control governs freshness',
      { 'cache-control': 'max-age=1', 'cdn-cache-control': 'max-age=3600' },
      {},
      60,
      'fresh',
    ],
    [
      'CDN-Cache-Control short beats long Cache-Control',
      { 'cache-control': 'max-age=3600', 'cdn-cache-control': 'max-age=1' },
      {},
      60,
      'revalidate',
    ],
    [
      'heuristic freshness',
      { 'last-modified': formatHttpDate(T0 - 1_000_000) },
      {},
      60,
      'fresh',
      { lifetimeMs: 100_000 },
    ],
    ['Expires', { expires: formatHttpDate(T0 + 60_000) }, {}, 30, 'fresh'],
    [
      'invalid Expires: stale',
      { expires: '0', 'last-modified': formatHttpDate(T0 - 1_000_000) },
      {},
      0,
      'revalidate',
    ],
  ])('%s', (_name, responseHeaders, requestHeaders, seconds, kind, extra = {}) => {
    const decision = decideServe(
      { method: 'GET', headers: requestHeaders },
      stored(responseHeaders),
      T0 + seconds * 1000,
    );
    expect(decision).toMatchObject({ kind, ...extra });
  });

  test('soft purge makes a fresh entry stale from the purge time; revalidation follows', () => {
    const entry = stored(
      { 'cache-control': 'max-age=600, stale-while-revalidate=30' },
      { invalidatedAt: T0 + 10_000 },
    );
    const at = (s: number) =>
      decideServe({ method: 'GET', headers: {} }, entry, T0 + s * 1000).kind;
    expect(at(5)).toBe('fresh');
    expect(at(10)).toBe('stale-while-revalidate');
    expect(at(40)).toBe('stale-while-revalidate');
    expect(at(41)).toBe('revalidate');
  });

  test('site TTL override applies', () => {
    const policy: CachePolicy = { ttlOverrideSeconds: 5 };
    const entry = stored({ 'cache-control': 'max-age=600' });
    expect(decideServe({ method: 'GET', headers: {} }, entry, T0 + 4000, policy).kind).toBe(
      'fresh',
    );
    expect(decideServe({ method: 'GET', headers: {} }, entry, T0 + 6000, policy).kind).toBe(
      'revalidate',
    );
  });

  test('If-Modified-Since is built from Last-Modified', () => {
    const lm = formatHttpDate(T0 - 5000);
    const decision = decideServe(
      { method: 'GET', headers: {} },
      stored({ 'last-modified': lm, 'cache-control': 'no-cache' }),
      T0,
    );
    expect(decision).toMatchObject({
      kind: 'revalidate',
      conditionalHeaders: { 'if-modified-since': lm },
    });
  });
});

describe('staleOnErrorAllowed', () => {
  test.each<[string, HeaderMap, HeaderMap, number, CachePolicy, boolean]>([
    [
      'stale-if-error window',
      { 'cache-control': 'max-age=60, stale-if-error=60' },
      {},
      100,
      {},
      true,
    ],
    [
      'stale-if-error window passed',
      { 'cache-control': 'max-age=60, stale-if-error=60' },
      {},
      121,
      {},
      false,
    ],
    ['no permission, no site default', { 'cache-control': 'max-age=60' }, {}, 100, {}, false],
    [
      'site default',
      { 'cache-control': 'max-age=60' },
      {},
      100,
      { defaultStaleIfErrorSeconds: 300 },
      true,
    ],
    [
      'request stale-if-error',
      { 'cache-control': 'max-age=60' },
      { 'cache-control': 'stale-if-error=100' },
      100,
      {},
      true,
    ],
    [
      'must-revalidate forbids',
      { 'cache-control': 'max-age=60, stale-if-error=600, must-revalidate' },
      {},
      100,
      { defaultStaleIfErrorSeconds: 300 },
      false,
    ],
    [
      'proxy-revalidate forbids',
      { 'cache-control': 'max-age=60, stale-if-error=600, proxy-revalidate' },
      {},
      100,
      {},
      false,
    ],
    ['no-cache forbids', { 'cache-control': 'no-cache, stale-if-error=600' }, {}, 100, {}, false],
    [
      's-maxage forbids the site default',
      { 'cache-control': 's-maxage=60' },
      {},
      100,
      { defaultStaleIfErrorSeconds: 300 },
      false,
    ],
    [
      's-maxage with explicit stale-if-error',
      { 'cache-control': 's-maxage=60, stale-if-error=300' },
      {},
      100,
      {},
      true,
    ],
    [
      'CDN-Cache-Control stale-if-error',
      { 'cdn-cache-control': 'max-age=60, stale-if-error=300', 'cache-control': 'no-store' },
      {},
      100,
      {},
      true,
    ],
  ])('%s', (_name, responseHeaders, requestHeaders, seconds, policy, expected) => {
    expect(
      staleOnErrorAllowed(
        { method: 'GET', headers: requestHeaders },
        stored(responseHeaders),
        T0 + seconds * 1000,
        policy,
      ),
    ).toBe(expected);
  });
});
