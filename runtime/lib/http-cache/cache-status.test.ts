import { parseList } from 'structured-headers';
import { appendCacheStatus, type CacheStatus, formatCacheStatus } from './cache-status.ts';

describe('formatCacheStatus (RFC 9211)', () => {
  test.each<[CacheStatus, string]>([
    [{ hit: true, ttl: 42 }, 'edgeplane; hit; ttl=42'],
    [
      { hit: true, ttl: -3.7, detail: 'stale-while-revalidate' },
      'edgeplane; hit; ttl=-3; detail=stale-while-revalidate',
    ],
    [
      { fwd: 'uri-miss', fwdStatus: 200, stored: true, ttl: 60 },
      'edgeplane; fwd=uri-miss; fwd-status=200; ttl=60; stored',
    ],
    [
      { fwd: 'stale', fwdStatus: 304, stored: true },
      'edgeplane; fwd=stale; fwd-status=304; stored',
    ],
    [
      { fwd: 'uri-miss', collapsed: true, fwdStatus: 200 },
      'edgeplane; fwd=uri-miss; fwd-status=200; collapsed',
    ],
    [{ fwd: 'vary-miss', fwdStatus: 200 }, 'edgeplane; fwd=vary-miss; fwd-status=200'],
    [{ fwd: 'method', fwdStatus: 201 }, 'edgeplane; fwd=method; fwd-status=201'],
    [
      { fwd: 'bypass', fwdStatus: 200, detail: 'no store' },
      'edgeplane; fwd=bypass; fwd-status=200; detail="no store"',
    ],
    [
      { fwd: 'request', fwdStatus: 200, key: 'GET https://e.com/a?"x"' },
      'edgeplane; fwd=request; fwd-status=200; key="GET https://e.com/a?\\"x\\""',
    ],
    [{ hit: true, key: 'GET https://e.com/é' }, 'edgeplane; hit; key="GET https://e.com/%C3%A9"'],
  ])('%p', (status, expected) => {
    const value = formatCacheStatus('edgeplane', status);
    expect(value).toBe(expected);
    expect(() => parseList(value)).not.toThrow();
  });

  test('a cache name that is not a token is quoted', () => {
    expect(formatCacheStatus('edge plane', { hit: true })).toBe('"edge plane"; hit');
  });

  test('appendCacheStatus adds this cache after the upstream ones', () => {
    expect(appendCacheStatus(undefined, 'edgeplane; hit')).toBe('edgeplane; hit');
    expect(appendCacheStatus(' ', 'edgeplane; hit')).toBe('edgeplane; hit');
    expect(appendCacheStatus('OriginCache; hit', 'edgeplane; fwd=uri-miss')).toBe(
      'OriginCache; hit, edgeplane; fwd=uri-miss',
    );
  });
});

test('semicolons inside a quoted key are not spaced', () => {
  expect(formatCacheStatus('edgeplane', { hit: true, key: 'GET https://e.com/a;b' })).toBe(
    'edgeplane; hit; key="GET https://e.com/a;b"',
  );
});
