import { parseResponseCacheControl } from './cache-control.ts';
import {
  ageHeaderValue,
  ageValueSeconds,
  currentAgeMs,
  freshnessLifetime,
  withDateHeader,
} from './freshness.ts';
import type { HeaderMap } from './headers.ts';
import { formatHttpDate } from './http-date.ts';
import type { CachePolicy } from './stored-response.ts';
import { effectiveResponseDirectives } from './targeted.ts';

const NOW = Date.UTC(2026, 10, 26, 10, 0, 0);
const at = (seconds: number) => formatHttpDate(NOW + seconds * 1000);

function lifetime(status: number, headers: HeaderMap, policy: CachePolicy = {}) {
  return freshnessLifetime(
    { status, headers },
    effectiveResponseDirectives(headers, policy.targetedFields),
    NOW,
    policy,
  );
}

describe('freshnessLifetime', () => {
  test.each<[string, number, HeaderMap, CachePolicy, number, string]>([
    [
      's-maxage beats max-age',
      200,
      { 'cache-control': 'max-age=10, s-maxage=20' },
      {},
      20_000,
      's-maxage',
    ],
    [
      'max-age beats Expires',
      200,
      { 'cache-control': 'max-age=10', date: at(0), expires: at(100) },
      {},
      10_000,
      'max-age',
    ],
    ['Expires - Date', 200, { date: at(0), expires: at(100) }, {}, 100_000, 'expires'],
    [
      'Expires - Date with skewed Date',
      200,
      { date: at(-50), expires: at(100) },
      {},
      150_000,
      'expires',
    ],
    ['Expires in the past', 200, { date: at(0), expires: at(-100) }, {}, 0, 'expires'],
    [
      'invalid Expires = already expired',
      200,
      { date: at(0), expires: '0', 'last-modified': at(-100000) },
      {},
      0,
      'expires',
    ],
    ['Expires without Date uses response time', 200, { expires: at(30) }, {}, 30_000, 'expires'],
    [
      'heuristic: 10% of Date - Last-Modified',
      200,
      { date: at(0), 'last-modified': at(-1000) },
      {},
      100_000,
      'heuristic',
    ],
    [
      'heuristic capped at one day',
      200,
      { date: at(0), 'last-modified': at(-100 * 86400) },
      {},
      86_400_000,
      'heuristic',
    ],
    [
      'heuristic cap configurable',
      200,
      { date: at(0), 'last-modified': at(-1000) },
      { heuristicMaxSeconds: 5, heuristicFraction: 0.5 },
      5_000,
      'heuristic',
    ],
    [
      'heuristic for 404',
      404,
      { date: at(0), 'last-modified': at(-1000) },
      {},
      100_000,
      'heuristic',
    ],
    ['no heuristic for 302', 302, { date: at(0), 'last-modified': at(-1000) }, {}, 0, 'none'],
    [
      'heuristic for 302 with public',
      302,
      { 'cache-control': 'public', date: at(0), 'last-modified': at(-1000) },
      {},
      100_000,
      'heuristic',
    ],
    ['no heuristic without Last-Modified', 200, { date: at(0) }, {}, 0, 'none'],
    [
      'no heuristic for Last-Modified in the future',
      200,
      { date: at(0), 'last-modified': at(10) },
      {},
      0,
      'none',
    ],
    [
      'site default TTL instead of heuristic',
      200,
      { 'last-modified': at(-1000) },
      { defaultTtlSeconds: 7 },
      7_000,
      'default',
    ],
    [
      'site default TTL does not beat max-age',
      200,
      { 'cache-control': 'max-age=3' },
      { defaultTtlSeconds: 7 },
      3_000,
      'max-age',
    ],
    [
      'site override beats everything',
      200,
      { 'cache-control': 's-maxage=3' },
      { ttlOverrideSeconds: 9 },
      9_000,
      'override',
    ],
    [
      'CDN-Cache-Control max-age beats Cache-Control',
      200,
      { 'cache-control': 'max-age=1', 'cdn-cache-control': 'max-age=3600' },
      {},
      3_600_000,
      'max-age',
    ],
    [
      'CDN-Cache-Control ignores Expires',
      200,
      { 'cdn-cache-control': 'no-transform', date: at(0), expires: at(100) },
      {},
      0,
      'none',
    ],
    [
      'invalid max-age is stale',
      200,
      { 'cache-control': 'max-age=3600a', date: at(0), expires: at(100) },
      {},
      0,
      'max-age',
    ],
  ])('%s', (_name, status, headers, policy, ms, source) => {
    expect(lifetime(status, headers, policy)).toEqual({ lifetimeMs: ms, source });
  });

  test('Expires before Date and a directive map from Cache-Control only', () => {
    const headers = { date: at(0), expires: at(-1) };
    expect(
      freshnessLifetime({ status: 200, headers }, parseResponseCacheControl(headers), NOW)
        .lifetimeMs,
    ).toBe(0);
  });
});

describe('ageValueSeconds', () => {
  test.each<[HeaderMap, number]>([
    [{}, 0],
    [{ age: '7200' }, 7200],
    [{ age: 60 }, 60],
    [{ age: 'abc' }, 0],
    [{ age: '-7200' }, 0],
    [{ age: '7200.0' }, 0],
    [{ age: '7200,0' }, 7200],
    [{ age: '0, 7200' }, 0],
    [{ age: ['7200', '0'] }, 7200],
    [{ age: '99999999999' }, 2147483648],
  ])('%p', (headers, expected) => {
    expect(ageValueSeconds({ status: 200, headers })).toBe(expected);
  });
});

describe('currentAgeMs (RFC 9111 §4.2.3)', () => {
  test.each<[string, HeaderMap, number, number, number, number]>([
    // name, headers, requestTime, responseTime, now, expected
    ['fresh from origin, no Age, Date = response time', { date: at(0) }, NOW, NOW, NOW, 0],
    ['resident time adds', { date: at(0) }, NOW, NOW, NOW + 5000, 5000],
    ['Age header counts', { date: at(0), age: '30' }, NOW, NOW, NOW + 1000, 31_000],
    ['response delay is added to Age', { date: at(0), age: '30' }, NOW - 2000, NOW, NOW, 32_000],
    ['apparent age from an old Date', { date: at(-100) }, NOW, NOW, NOW, 100_000],
    ['larger of apparent and corrected age', { date: at(-100), age: '10' }, NOW, NOW, NOW, 100_000],
    ['Date in the future clamps apparent age to 0', { date: at(100) }, NOW, NOW, NOW, 0],
    ['missing Date uses response time', {}, NOW - 1000, NOW, NOW + 1000, 2000],
  ])('%s', (_name, headers, requestTime, responseTime, now, expected) => {
    expect(currentAgeMs({ status: 200, headers, requestTime, responseTime }, now)).toBe(expected);
  });
});

describe('ageHeaderValue', () => {
  test.each<[number, string]>([
    [0, '0'],
    [999, '0'],
    [1000, '1'],
    [-5, '0'],
    [1e15, '2147483648'],
  ])('%p ms -> %p', (ms, expected) => {
    expect(ageHeaderValue(ms)).toBe(expected);
  });
});

describe('withDateHeader (RFC 9110 §6.6.1)', () => {
  test('adds Date from the receive time only when missing', () => {
    expect(withDateHeader({ 'x-a': '1' }, NOW)).toEqual({ 'x-a': '1', date: at(0) });
    expect(withDateHeader({ date: at(-5) }, NOW)).toEqual({ date: at(-5) });
  });
});
