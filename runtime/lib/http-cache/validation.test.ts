import type { HeaderMap } from './headers.ts';
import { formatHttpDate } from './http-date.ts';
import type { StoredResponse } from './stored-response.ts';
import {
  conditionalRequestHeaders,
  freshenStoredResponse,
  headResponseEffect,
  selectNotModifiedTargets,
} from './validation.ts';

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);
const DATE = formatHttpDate(T0);
const OLD = formatHttpDate(T0 - 3_600_000);
const RECENT = formatHttpDate(T0 - 10_000);

const entry = (headers: HeaderMap, responseTime = T0): StoredResponse => ({
  status: 200,
  headers,
  requestTime: responseTime,
  responseTime,
});

describe('conditionalRequestHeaders', () => {
  test.each<[string, HeaderMap | HeaderMap[], Record<string, string>]>([
    ['ETag', { etag: '"a"' }, { 'if-none-match': '"a"' }],
    ['weak ETag', { etag: 'W/"a"' }, { 'if-none-match': 'W/"a"' }],
    ['Last-Modified', { 'last-modified': OLD }, { 'if-modified-since': OLD }],
    [
      'both',
      { etag: '"a"', 'last-modified': OLD },
      { 'if-none-match': '"a"', 'if-modified-since': OLD },
    ],
    ['invalid Last-Modified not sent', { 'last-modified': 'yesterday' }, {}],
    ['no validators', { 'cache-control': 'max-age=1' }, {}],
    [
      'several variants list every ETag',
      [{ etag: '"a"' }, { etag: '"b"' }, { etag: '"a"' }],
      { 'if-none-match': '"a", "b"' },
    ],
    [
      'no If-Modified-Since for several variants',
      [{ 'last-modified': OLD }, { 'last-modified': OLD }],
      {},
    ],
  ])('%s', (_name, stored, expected) => {
    expect(conditionalRequestHeaders(stored)).toEqual(expected);
  });
});

describe('selectNotModifiedTargets (RFC 9111 §4.3.4)', () => {
  const candidates = [
    entry({ etag: '"a"', date: DATE }, T0 - 2000),
    entry({ etag: 'W/"b"', date: DATE }, T0 - 1000),
    entry({ etag: '"a"', date: DATE }, T0 - 500),
    entry({ etag: 'W/"b"', date: DATE }, T0 - 3000),
    entry({ 'last-modified': OLD, date: DATE }, T0),
  ];
  test.each<[string, HeaderMap, StoredResponse[], number[]]>([
    ['strong ETag selects every strong match', { etag: '"a"' }, candidates, [0, 2]],
    ['strong ETag never matches a weak stored tag', { etag: '"b"' }, candidates, []],
    ['weak ETag selects the most recent weak match', { etag: 'W/"b"' }, candidates, [1]],
    [
      'weak 304 tag matches a strong stored tag weakly (most recent)',
      { etag: 'W/"a"' },
      candidates,
      [2],
    ],
    ['unknown ETag selects nothing', { etag: '"zzz"' }, candidates, []],
    ['strong Last-Modified selects matches', { 'last-modified': OLD, date: DATE }, candidates, [4]],
    [
      'weak Last-Modified (too close to Date) selects the most recent',
      { 'last-modified': RECENT, date: DATE },
      [entry({ 'last-modified': RECENT }, T0 - 5), entry({ 'last-modified': RECENT }, T0)],
      [1],
    ],
    [
      'no validator, one stored response without validator',
      {},
      [entry({ 'cache-control': 'max-age=1' })],
      [0],
    ],
    ['no validator, stored response has one', {}, [entry({ etag: '"a"' })], []],
    ['no validator, several stored responses', {}, [entry({}), entry({})], []],
  ])('%s', (_name, notModified, list, expected) => {
    expect(selectNotModifiedTargets(notModified, list)).toEqual(expected);
  });

  // A 304 without validators answering the conditional request the cache built from one stored
  // response (origins often omit ETag in a 304; cache-tests `conditional-etag-strong-generate`).
  test.each<[string, HeaderMap, StoredResponse[], number, number[]]>([
    ['no validator, answers the ETag we sent', {}, [entry({ etag: '"a"' })], 0, [0]],
    [
      'no validator, answers the Last-Modified we sent',
      {},
      [entry({ 'last-modified': OLD }), entry({ etag: '"b"' })],
      0,
      [0],
    ],
    ['a validator in the 304 still decides', { etag: '"zzz"' }, [entry({ etag: '"a"' })], 0, []],
    ['an index out of range selects nothing', {}, [entry({ etag: '"a"' })], 3, []],
  ])('%s', (_name, notModified, list, validated, expected) => {
    expect(selectNotModifiedTargets(notModified, list, validated)).toEqual(expected);
  });
});

describe('freshenStoredResponse (RFC 9111 §3.2)', () => {
  const stored = entry(
    {
      'content-type': 'text/plain',
      'content-length': '5',
      'cache-control': 'max-age=10',
      etag: '"a"',
      date: OLD,
      age: '30',
      'x-old': 'kept',
    },
    T0 - 100_000,
  );

  test('304 fields replace stored ones, body metadata kept, times reset', () => {
    const next = freshenStoredResponse(
      stored,
      {
        status: 304,
        headers: {
          'cache-control': 'max-age=100',
          etag: '"a"',
          date: DATE,
          'content-length': '0',
          'x-new': 'added',
          connection: 'x-hop',
          'x-hop': 'dropped',
          'keep-alive': 'timeout=5',
        },
      },
      T0 - 10,
      T0,
    );
    expect(next.headers).toEqual({
      'content-type': 'text/plain',
      'content-length': '5',
      'cache-control': 'max-age=100',
      etag: '"a"',
      date: DATE,
      'x-old': 'kept',
      'x-new': 'added',
    });
    expect([next.status, next.requestTime, next.responseTime]).toEqual([200, T0 - 10, T0]);
  });

  test('protected fields are not overwritten; Age and Date follow the new response', () => {
    const next = freshenStoredResponse(
      stored,
      { status: 304, headers: { 'content-encoding': 'gzip', age: '3' } },
      T0,
      T0,
      ['Content-Encoding'],
    );
    expect(next.headers['content-encoding']).toBeUndefined();
    expect(next.headers.age).toBe('3');
    expect(next.headers.date).toBeUndefined();
  });

  test('a soft purge mark is cleared by revalidation', () => {
    const purged = { ...stored, invalidatedAt: T0 - 50 };
    expect(
      freshenStoredResponse(purged, { status: 304, headers: {} }, T0, T0).invalidatedAt,
    ).toBeUndefined();
  });
});

describe('headResponseEffect (RFC 9111 §4.3.5)', () => {
  const stored = { etag: '"a"', 'last-modified': OLD, 'content-length': '10' };
  test.each<[string, HeaderMap, 'freshen' | 'mark-stale']>([
    [
      'same validators and length',
      { etag: '"a"', 'last-modified': OLD, 'content-length': '10' },
      'freshen',
    ],
    ['no validators at all', { 'cache-control': 'max-age=5' }, 'freshen'],
    ['different ETag', { etag: '"b"' }, 'mark-stale'],
    ['different Last-Modified', { 'last-modified': RECENT }, 'mark-stale'],
    ['different Content-Length', { etag: '"a"', 'content-length': '11' }, 'mark-stale'],
  ])('%s', (_name, head, expected) => {
    expect(headResponseEffect(stored, head)).toBe(expected);
  });

  test('a validator the stored response lacks means stale', () => {
    expect(headResponseEffect({ 'content-length': '10' }, { etag: '"a"' })).toBe('mark-stale');
  });
});
