import fc from 'fast-check';
import { type BareItem, parseList, Token } from 'structured-headers';
import {
  appendCacheStatus,
  type CacheStatus,
  type FwdReason,
  formatCacheStatus,
} from './cache-status.ts';

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

  test('a lone surrogate cannot break serialisation', () => {
    expect(formatCacheStatus('edgeplane', { detail: 'a\uD800b' })).toBe(
      'edgeplane; detail="a%EF%BF%BDb"',
    );
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

describe('formatCacheStatus round-trips through an RFC 8941 parser', () => {
  const text = fc.string({ unit: 'binary', maxLength: 20 });
  const status = fc.record(
    {
      hit: fc.boolean(),
      fwd: fc.constantFrom<FwdReason>(
        'bypass',
        'method',
        'uri-miss',
        'vary-miss',
        'miss',
        'request',
        'stale',
        'partial',
      ),
      fwdStatus: fc.integer({ min: 100, max: 599 }),
      ttl: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      stored: fc.boolean(),
      collapsed: fc.boolean(),
      key: text,
      detail: fc.oneof(text, fc.constantFrom('stale-while-revalidate', 'no-store', 'a/b:c')),
    },
    { requiredKeys: [] },
  );

  test('every field comes back with its value', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constant('edgeplane'),
          text.filter((t) => t.length > 0),
        ),
        status,
        (name, s) => {
          const list = parseList(formatCacheStatus(name, s));
          expect(list).toHaveLength(1);
          const [item, params] = list[0] as [BareItem, Map<string, BareItem>];
          const ascii = (v: string) => v.replace(/[^\x20-\x7e]/gu, (ch) => encodeURIComponent(ch));
          expect(String(item)).toBe(ascii(name));
          expect(params.get('hit')).toBe(s.hit ? true : undefined);
          expect(params.get('fwd')).toEqual(s.fwd === undefined ? undefined : new Token(s.fwd));
          expect(params.get('fwd-status')).toBe(s.fwdStatus);
          expect(params.get('ttl')).toBe(s.ttl === undefined ? undefined : Math.trunc(s.ttl) || 0);
          expect(params.get('stored')).toBe(s.stored ? true : undefined);
          expect(params.get('collapsed')).toBe(s.collapsed ? true : undefined);
          expect(params.get('key')).toBe(s.key === undefined ? undefined : ascii(s.key));
          const detail = params.get('detail');
          expect(detail === undefined ? undefined : String(detail)).toBe(
            s.detail === undefined ? undefined : ascii(s.detail),
          );
        },
      ),
    );
  });
});
