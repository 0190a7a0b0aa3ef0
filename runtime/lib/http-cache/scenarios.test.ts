/**
 * Scenarios in the style of the cache-tests.fyi suite, run through the public index with a
 * minimal in-memory cache written here. They check that the pieces compose: key, Vary,
 * serving decision, validation and 304 update, preconditions, Range, invalidation.
 * The edge server (runtime/edge) is tested end to end over real HTTP; this is the library's view.
 */
import {
  cacheKey,
  decideServe,
  evaluatePreconditions,
  formatHttpDate,
  freshenStoredResponse,
  type HeaderMap,
  invalidatedUrls,
  isUnsafeMethod,
  type MutableHeaders,
  planRange,
  type RequestInfo,
  type StoredResponse,
  secondaryKey,
  selectNotModifiedTargets,
  storability,
  stripHopByHop,
  varyFields,
} from './index.ts';

interface OriginResponse {
  status: number;
  headers: HeaderMap;
  body: string;
}

interface Forwarded {
  status: number;
  headers: MutableHeaders;
  body: string;
}

interface Variant {
  stored: StoredResponse;
  requestHeaders: HeaderMap;
  body: string;
}

type Kind = 'cached' | 'validated' | 'fetched';

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);

/** Just enough cache to drive the library the way the edge does. */
class MiniCache {
  now = T0;
  readonly originRequests: RequestInfo[] = [];
  private readonly entries = new Map<string, Variant[]>();

  private readonly origin: (req: RequestInfo, n: number) => OriginResponse;

  constructor(origin: (req: RequestInfo, n: number) => OriginResponse) {
    this.origin = origin;
  }

  request(
    method: string,
    url: string,
    headers: HeaderMap = {},
  ): { kind: Kind; status: number; headers: HeaderMap; body: string } {
    const req: RequestInfo = { method, headers };
    const key = cacheKey(method, url);
    if (isUnsafeMethod(method)) {
      const res = this.forward(req);
      for (const target of invalidatedUrls(method, url, res.status, res.headers)) {
        this.entries.delete(cacheKey('GET', target));
      }
      return { kind: 'fetched', ...res };
    }
    const variants = this.entries.get(key) ?? [];
    const variant = variants.find(
      (v) =>
        secondaryKey(varyFields(v.stored.headers), v.requestHeaders) ===
        secondaryKey(varyFields(v.stored.headers), headers),
    );
    if (variant) {
      const decision = decideServe(req, variant.stored, this.now);
      if (
        decision.kind === 'fresh' ||
        decision.kind === 'stale-allowed' ||
        decision.kind === 'stale-while-revalidate'
      ) {
        return { kind: 'cached', ...this.answer(req, variant) };
      }
      if (decision.kind === 'gateway-timeout')
        return { kind: 'cached', status: 504, headers: {}, body: '' };
      const requestTime = this.now;
      const res = this.forward({ method, headers: { ...headers, ...decision.conditionalHeaders } });
      if (res.status === 304) {
        const targets = selectNotModifiedTargets(res.headers, [variant.stored]);
        if (targets.length === 1) {
          variant.stored = freshenStoredResponse(variant.stored, res, requestTime, this.now);
          return { kind: 'validated', ...this.answer(req, variant) };
        }
      }
      return { kind: 'fetched', ...this.store(req, key, res, requestTime) };
    }
    const requestTime = this.now;
    return { kind: 'fetched', ...this.store(req, key, this.forward(req), requestTime) };
  }

  private forward(req: RequestInfo): Forwarded {
    this.originRequests.push(req);
    const res = this.origin(req, this.originRequests.length);
    return { ...res, headers: stripHopByHop(res.headers) };
  }

  private store(req: RequestInfo, key: string, res: Forwarded, requestTime: number) {
    const verdict = storability(req, res);
    if (verdict.storable) {
      const headers = { ...res.headers };
      for (const f of verdict.omitFields) delete headers[f];
      const stored: StoredResponse = {
        status: res.status,
        headers,
        requestTime,
        responseTime: this.now,
      };
      const others = (this.entries.get(key) ?? []).filter(
        (v) =>
          secondaryKey(varyFields(headers), v.requestHeaders) !==
          secondaryKey(varyFields(headers), req.headers),
      );
      this.entries.set(key, [...others, { stored, requestHeaders: req.headers, body: res.body }]);
    }
    return { status: res.status, headers: res.headers, body: res.body };
  }

  private answer(req: RequestInfo, variant: Variant) {
    const { stored, body } = variant;
    const pre = evaluatePreconditions(req, stored.headers, {
      status: stored.status,
      receivedAt: stored.responseTime,
    });
    if (pre.kind === 'not-modified') return { status: 304, headers: stored.headers, body: '' };
    if (pre.kind === 'precondition-failed') return { status: 412, headers: {}, body: '' };
    const plan = planRange(req, stored, Buffer.byteLength(body));
    if (plan.kind === 'single') {
      return {
        status: 206,
        headers: { ...stored.headers, 'content-range': plan.contentRange },
        body: body.slice(plan.start, plan.end + 1),
      };
    }
    if (plan.kind === 'unsatisfiable')
      return { status: 416, headers: { 'content-range': plan.contentRange }, body: '' };
    return { status: stored.status, headers: stored.headers, body };
  }
}

const date = (offsetSeconds = 0) => formatHttpDate(T0 + offsetSeconds * 1000);

describe('cache-tests style scenarios through the public API', () => {
  test('freshness-max-age: reused while fresh, refetched once stale', () => {
    const cache = new MiniCache((_r, n) => ({
      status: 200,
      headers: { 'cache-control': 'max-age=10', date: date() },
      body: `v${n}`,
    }));
    expect(cache.request('GET', 'http://e.test/a').kind).toBe('fetched');
    cache.now += 5_000;
    expect(cache.request('GET', 'http://e.test/a')).toMatchObject({ kind: 'cached', body: 'v1' });
    cache.now += 6_000;
    expect(cache.request('GET', 'http://e.test/a')).toMatchObject({ kind: 'fetched', body: 'v2' });
  });

  test('freshness-max-age-age: Age larger than max-age is not reused', () => {
    const cache = new MiniCache(() => ({
      status: 200,
      headers: { 'cache-control': 'max-age=3600', age: '7200', date: date() },
      body: 'x',
    }));
    cache.request('GET', 'http://e.test/a');
    expect(cache.request('GET', 'http://e.test/a').kind).toBe('fetched');
  });

  test('304-etag-update-stored: a 304 updates stored headers and keeps the body', () => {
    const cache = new MiniCache(
      (req, n): OriginResponse =>
        n === 1
          ? {
              status: 200,
              headers: {
                'cache-control': 'max-age=1',
                etag: '"e1"',
                'test-header': 'A',
                date: date(),
              },
              body: 'body',
            }
          : req.headers['if-none-match'] === '"e1"'
            ? {
                status: 304,
                headers: {
                  'cache-control': 'max-age=3600',
                  etag: '"e1"',
                  'test-header': 'B',
                  date: date(2),
                },
                body: '',
              }
            : { status: 200, headers: {}, body: 'wrong' },
    );
    cache.request('GET', 'http://e.test/a');
    cache.now += 2_000;
    expect(cache.request('GET', 'http://e.test/a')).toMatchObject({
      kind: 'validated',
      body: 'body',
    });
    cache.now += 1_000;
    const third = cache.request('GET', 'http://e.test/a');
    expect(third).toMatchObject({ kind: 'cached', body: 'body' });
    expect(third.headers['test-header']).toBe('B');
  });

  test('cc-resp-no-cache-revalidate: no-cache is stored but validated on every use', () => {
    const cache = new MiniCache((req) =>
      req.headers['if-none-match']
        ? { status: 304, headers: { etag: '"abcd"' }, body: '' }
        : { status: 200, headers: { 'cache-control': 'no-cache', etag: '"abcd"' }, body: 'x' },
    );
    cache.request('GET', 'http://e.test/a');
    expect(cache.request('GET', 'http://e.test/a')).toMatchObject({ kind: 'validated', body: 'x' });
    expect(cache.originRequests[1]?.headers['if-none-match']).toBe('"abcd"');
  });

  test('vary-match / vary-no-match / vary-normalise-combine', () => {
    const cache = new MiniCache((req, n) => ({
      status: 200,
      headers: { 'cache-control': 'max-age=100', vary: 'Foo' },
      body: `${String(req.headers.foo)}-${n}`,
    }));
    cache.request('GET', 'http://e.test/a', { foo: '1, 2' });
    expect(cache.request('GET', 'http://e.test/a', { foo: ['1', '2'] }).kind).toBe('cached');
    expect(cache.request('GET', 'http://e.test/a', { foo: '3' }).kind).toBe('fetched');
    expect(cache.request('GET', 'http://e.test/a', { foo: '1,2' })).toMatchObject({
      kind: 'cached',
      body: '1, 2-1',
    });
    expect(cache.request('GET', 'http://e.test/a').kind).toBe('fetched');
  });

  test('invalidate-POST and invalidate-DELETE-location', () => {
    const cache = new MiniCache((req) =>
      req.method === 'GET'
        ? { status: 200, headers: { 'cache-control': 'max-age=100' }, body: 'x' }
        : { status: 200, headers: { location: '/other' }, body: '' },
    );
    cache.request('GET', 'http://e.test/a');
    cache.request('GET', 'http://e.test/other');
    cache.request('GET', 'http://e.test/third');
    cache.request('POST', 'http://e.test/a');
    expect(cache.request('GET', 'http://e.test/a').kind).toBe('fetched');
    expect(cache.request('GET', 'http://e.test/other').kind).toBe('fetched');
    expect(cache.request('GET', 'http://e.test/third').kind).toBe('cached');
  });

  test('authorization: not stored without public / s-maxage / must-revalidate', () => {
    const plain = new MiniCache(() => ({
      status: 200,
      headers: { 'cache-control': 'max-age=100' },
      body: 'x',
    }));
    plain.request('GET', 'http://e.test/a', { authorization: 'Bearer t' });
    expect(plain.request('GET', 'http://e.test/a').kind).toBe('fetched');
    const pub = new MiniCache(() => ({
      status: 200,
      headers: { 'cache-control': 'public, max-age=100' },
      body: 'x',
    }));
    pub.request('GET', 'http://e.test/a', { authorization: 'Bearer t' });
    expect(pub.request('GET', 'http://e.test/a').kind).toBe('cached');
  });

  test('cdn-max-age-long-cc-max-age: the short CDN-Cache-Control wins', () => {
    const cache = new MiniCache(() => ({
      status: 200,
      headers: { 'cache-control': 'max-age=3600', 'cdn-cache-control': 'max-age=1' },
      body: 'x',
    }));
    cache.request('GET', 'http://e.test/a');
    cache.now += 2_000;
    expect(cache.request('GET', 'http://e.test/a').kind).toBe('fetched');
  });

  test('conditional and Range requests answered from cache', () => {
    const cache = new MiniCache(() => ({
      status: 200,
      headers: {
        'cache-control': 'max-age=100',
        etag: '"v"',
        'last-modified': date(-3600),
        date: date(),
      },
      body: '0123456789',
    }));
    cache.request('GET', 'http://e.test/a');
    expect(cache.request('GET', 'http://e.test/a', { 'if-none-match': 'W/"v"' })).toMatchObject({
      kind: 'cached',
      status: 304,
    });
    expect(cache.request('GET', 'http://e.test/a', { 'if-modified-since': date() })).toMatchObject({
      status: 304,
    });
    expect(cache.request('GET', 'http://e.test/a', { 'if-match': '"other"' })).toMatchObject({
      status: 412,
    });
    expect(cache.request('GET', 'http://e.test/a', { range: 'bytes=-3' })).toMatchObject({
      status: 206,
      body: '789',
    });
    expect(cache.request('GET', 'http://e.test/a', { range: 'bytes=20-' })).toMatchObject({
      status: 416,
    });
    expect(cache.originRequests).toHaveLength(1);
  });

  test('hop-by-hop and Connection-listed fields are never stored', () => {
    const cache = new MiniCache(() => ({
      status: 200,
      headers: {
        'cache-control': 'max-age=100',
        connection: 'a, b',
        a: '1',
        b: '2',
        c: '3',
        'keep-alive': 'timeout=5',
      },
      body: 'x',
    }));
    cache.request('GET', 'http://e.test/a');
    expect(cache.request('GET', 'http://e.test/a').headers).toEqual({
      'cache-control': 'max-age=100',
      c: '3',
    });
  });

  test('only-if-cached on a miss of a stale entry gives 504 without contacting the origin', () => {
    const cache = new MiniCache(() => ({
      status: 200,
      headers: { 'cache-control': 'max-age=1' },
      body: 'x',
    }));
    cache.request('GET', 'http://e.test/a');
    cache.now += 5_000;
    expect(
      cache.request('GET', 'http://e.test/a', { 'cache-control': 'only-if-cached' }).status,
    ).toBe(504);
    expect(cache.originRequests).toHaveLength(1);
  });
});
