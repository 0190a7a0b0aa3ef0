import type { HeaderMap } from './headers.ts';
import { storability } from './storable.ts';
import type { CachePolicy } from './stored-response.ts';

type Row = [string, string, HeaderMap, number, HeaderMap, CachePolicy, true | string];

describe('storability (RFC 9111 §3)', () => {
  test.each<Row>([
    ['GET 200 max-age', 'GET', {}, 200, { 'cache-control': 'max-age=60' }, {}, true],
    ['HEAD is not stored', 'HEAD', {}, 200, { 'cache-control': 'max-age=60' }, {}, 'method'],
    ['POST is not stored', 'POST', {}, 200, { 'cache-control': 'max-age=60' }, {}, 'method'],
    ['unknown method not stored', 'FOO', {}, 200, { 'cache-control': 'max-age=60' }, {}, 'method'],
    ['206 not stored', 'GET', {}, 206, { 'cache-control': 'max-age=60' }, {}, 'partial'],
    ['304 not stored', 'GET', {}, 304, { 'cache-control': 'max-age=60' }, {}, 'status'],
    ['1xx not stored', 'GET', {}, 103, { 'cache-control': 'max-age=60' }, {}, 'status'],
    [
      'request no-store',
      'GET',
      { 'cache-control': 'no-store' },
      200,
      { 'cache-control': 'max-age=60' },
      {},
      'request-no-store',
    ],
    [
      'response no-store',
      'GET',
      {},
      200,
      { 'cache-control': 'max-age=60, no-store' },
      {},
      'no-store',
    ],
    [
      'response NO-STORE any case',
      'GET',
      {},
      200,
      { 'cache-control': 'max-age=60, NO-STORE' },
      {},
      'no-store',
    ],
    ['private', 'GET', {}, 200, { 'cache-control': 'private, max-age=60' }, {}, 'private'],
    [
      'qualified private is storable',
      'GET',
      {},
      200,
      { 'cache-control': 'private="set-cookie", max-age=60' },
      {},
      true,
    ],
    [
      'must-understand + no-store with understood status is stored',
      'GET',
      {},
      200,
      { 'cache-control': 'must-understand, no-store, max-age=60' },
      {},
      true,
    ],
    [
      'must-understand with unknown status',
      'GET',
      {},
      299,
      { 'cache-control': 'must-understand, no-store, max-age=60' },
      {},
      'must-understand',
    ],
    [
      'unknown status with max-age is stored',
      'GET',
      {},
      299,
      { 'cache-control': 'max-age=60' },
      {},
      true,
    ],
    [
      'Authorization without permission',
      'GET',
      { authorization: 'Basic eDp5' },
      200,
      { 'cache-control': 'max-age=60' },
      {},
      'authorization',
    ],
    [
      'Authorization with public',
      'GET',
      { authorization: 'Basic eDp5' },
      200,
      { 'cache-control': 'public, max-age=60' },
      {},
      true,
    ],
    [
      'Authorization with s-maxage',
      'GET',
      { authorization: 'Basic eDp5' },
      200,
      { 'cache-control': 's-maxage=60' },
      {},
      true,
    ],
    [
      'Authorization with must-revalidate',
      'GET',
      { authorization: 'Basic eDp5' },
      200,
      { 'cache-control': 'max-age=60, must-revalidate' },
      {},
      true,
    ],
    [
      'Vary: * is never stored',
      'GET',
      {},
      200,
      { 'cache-control': 'max-age=60', vary: 'accept, *' },
      {},
      'vary-star',
    ],
    ['nothing to go on', 'GET', {}, 200, {}, {}, 'no-freshness-or-validator'],
    ['ETag only: stored, revalidated each time', 'GET', {}, 200, { etag: '"a"' }, {}, true],
    [
      'Last-Modified only: heuristic',
      'GET',
      {},
      200,
      { 'last-modified': 'Thu, 01 Jan 2026 00:00:00 GMT' },
      {},
      true,
    ],
    [
      '302 with ETag only is not default-cacheable',
      'GET',
      {},
      302,
      { etag: '"a"' },
      {},
      'no-freshness-or-validator',
    ],
    [
      'Expires makes it storable',
      'GET',
      {},
      200,
      { expires: 'Thu, 01 Jan 2099 00:00:00 GMT' },
      {},
      true,
    ],
    ['invalid Expires still storable (stale)', 'GET', {}, 200, { expires: '0' }, {}, true],
    ['public alone', 'GET', {}, 302, { 'cache-control': 'public' }, {}, true],
    ['site default TTL', 'GET', {}, 200, {}, { defaultTtlSeconds: 60 }, true],
    ['500 with max-age stored', 'GET', {}, 500, { 'cache-control': 'max-age=60' }, {}, true],
    [
      'CDN-Cache-Control no-store beats Cache-Control',
      'GET',
      {},
      200,
      { 'cache-control': 'max-age=60', 'cdn-cache-control': 'no-store' },
      {},
      'no-store',
    ],
    [
      'CDN-Cache-Control max-age beats Cache-Control no-store',
      'GET',
      {},
      200,
      { 'cache-control': 'no-store', 'cdn-cache-control': 'max-age=60' },
      {},
      true,
    ],
    [
      'CDN-Cache-Control private',
      'GET',
      {},
      200,
      { 'cache-control': 'max-age=60', 'cdn-cache-control': 'private' },
      {},
      'private',
    ],
    [
      'targeted field list is configurable',
      'GET',
      {},
      200,
      { 'cache-control': 'max-age=60', 'cdn-cache-control': 'no-store' },
      { targetedFields: [] },
      true,
    ],
  ])('%s', (_name, method, reqHeaders, status, resHeaders, policy, expected) => {
    const result = storability(
      { method, headers: reqHeaders },
      { status, headers: resHeaders },
      policy,
    );
    if (expected === true) expect(result.storable).toBe(true);
    else expect(result).toMatchObject({ storable: false, reason: expected });
  });

  test('qualified no-cache fields are omitted too', () => {
    const result = storability(
      { method: 'GET', headers: {} },
      {
        status: 200,
        headers: { 'cache-control': ['no-cache="a, b"', 'max-age=3600', 'private=a'] },
      },
    );
    expect(result).toMatchObject({ storable: true, omitFields: ['a', 'b'] });
  });

  test('qualified private lists the fields to omit', () => {
    const result = storability(
      { method: 'GET', headers: {} },
      { status: 200, headers: { 'cache-control': 'private="Set-Cookie, x-user", max-age=60' } },
    );
    expect(result).toMatchObject({ storable: true, omitFields: ['set-cookie', 'x-user'] });
  });
});
