import { effectiveResponseDirectives, parseTargetedField } from './targeted.ts';

describe('parseTargetedField (RFC 9213, Structured Fields dictionary)', () => {
  test.each<[string, Record<string, unknown> | undefined]>([
    ['max-age=3600', { maxAge: 3600 }],
    ['max-age=99999999999', { maxAge: 2147483648 }],
    ['foobar, max-age=3600', { maxAge: 3600 }],
    ['no-store', { noStore: true }],
    ['private', { private: true }],
    ['no-cache', { noCache: true }],
    ['no-cache=("set-cookie" "x-a")', { noCache: false, noCacheFields: ['set-cookie', 'x-a'] }],
    ['s-maxage=10, stale-while-revalidate=5', { sMaxage: 10, staleWhileRevalidate: 5 }],
    ['max-age="10000"', undefined],
    ['max-age=1.5', undefined],
    ['max-age=-1', undefined],
    ['max-age=10000, &&&&&', undefined],
    ['max-age =100', undefined],
    ['max-age= 100', undefined],
    ['MaX-aGe=3600', undefined],
    ['', undefined],
  ])('%s', (value, expected) => {
    const parsed = parseTargetedField(value);
    if (expected === undefined) expect(parsed).toBeUndefined();
    else expect(parsed).toMatchObject(expected);
  });
});

test('the parsed directives name their field as source', () => {
  expect(parseTargetedField('max-age=5')?.source).toBe('cdn-cache-control');
  expect(parseTargetedField('max-age=5', 'x-edge-cache-control')?.source).toBe(
    'x-edge-cache-control',
  );
});

describe('effectiveResponseDirectives', () => {
  test('a valid CDN-Cache-Control governs instead of Cache-Control', () => {
    const d = effectiveResponseDirectives({
      'cache-control': 'no-store',
      'cdn-cache-control': 'max-age=10000',
    });
    expect(d.source).toBe('cdn-cache-control');
    expect(d.noStore).toBe(false);
    expect(d.maxAge).toBe(10000);
  });

  test('an invalid CDN-Cache-Control is ignored and Cache-Control applies', () => {
    const d = effectiveResponseDirectives({
      'cache-control': 'no-store',
      'cdn-cache-control': 'max-age="10000"',
    });
    expect(d.source).toBe('cache-control');
    expect(d.noStore).toBe(true);
  });

  test('the first listed targeted field present wins', () => {
    const headers = {
      'cache-control': 'max-age=1',
      'cdn-cache-control': 'max-age=20',
      'edgeplane-cache-control': 'max-age=30',
    };
    expect(
      effectiveResponseDirectives(headers, ['edgeplane-cache-control', 'cdn-cache-control']),
    ).toMatchObject({ source: 'edgeplane-cache-control', maxAge: 30 });
    expect(effectiveResponseDirectives(headers)).toMatchObject({ maxAge: 20 });
    expect(effectiveResponseDirectives(headers, [])).toMatchObject({
      source: 'cache-control',
      maxAge: 1,
    });
  });

  test('several CDN-Cache-Control lines are one dictionary', () => {
    const d = effectiveResponseDirectives({
      'cdn-cache-control': ['max-age=5', 'stale-if-error=60'],
    });
    expect(d).toMatchObject({ maxAge: 5, staleIfError: 60 });
  });
});
