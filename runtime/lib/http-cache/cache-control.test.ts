import {
  MAX_DELTA_SECONDS,
  parseDeltaSeconds,
  parseDirectives,
  parseRequestDirectives,
  parseResponseCacheControl,
} from './cache-control.ts';

describe('parseDirectives', () => {
  test.each<[string, string[], Array<[string, string | true]>]>([
    ['single token', ['max-age=60'], [['max-age', '60']]],
    [
      'case-insensitive names',
      ['Max-Age=60, NO-CACHE'],
      [
        ['max-age', '60'],
        ['no-cache', true],
      ],
    ],
    ['quoted value unquoted', ['max-age="3600"'], [['max-age', '3600']]],
    [
      'quoted value with comma stays one directive',
      ['no-cache="set-cookie, x-a", public'],
      [
        ['no-cache', 'set-cookie, x-a'],
        ['public', true],
      ],
    ],
    [
      'max-age inside a quoted extension is not a directive',
      ['extension="max-age=3600", max-age=1'],
      [
        ['extension', 'max-age=3600'],
        ['max-age', '1'],
      ],
    ],
    ['first occurrence wins (same line)', ['max-age=1800, max-age=1'], [['max-age', '1800']]],
    ['first occurrence wins (two lines)', ['max-age=1', 'max-age=1800'], [['max-age', '1']]],
    [
      'unknown directives kept',
      ['foo, bar=baz'],
      [
        ['foo', true],
        ['bar', 'baz'],
      ],
    ],
    ['space before = makes the name invalid', ['max-age =3600'], []],
    ['space after = is part of the value', ['max-age= 3600'], [['max-age', ' 3600']]],
    ['empty members skipped', [' , ,max-age=5,, '], [['max-age', '5']]],
  ])('%s', (_name, lines, expected) => {
    expect([...parseDirectives(lines)]).toEqual(expected);
  });
});

describe('parseDeltaSeconds', () => {
  test.each<[string | true | undefined, number | undefined]>([
    ['0', 0],
    ['3600', 3600],
    ['003600', 3600],
    ['2147483648', MAX_DELTA_SECONDS],
    ['99999999999999999999', MAX_DELTA_SECONDS],
    ['3600.0', undefined],
    ['-1', undefined],
    ['a3600', undefined],
    ['3600a', undefined],
    [' 3600', undefined],
    ["'3600'", undefined],
    ['', undefined],
    [true, undefined],
    [undefined, undefined],
  ])('%p -> %p', (value, expected) => {
    expect(parseDeltaSeconds(value)).toBe(expected);
  });
});

describe('parseResponseCacheControl', () => {
  test('typed view of every directive', () => {
    const d = parseResponseCacheControl({
      'cache-control': [
        'public, max-age=60, s-maxage=120, must-revalidate, proxy-revalidate',
        'no-transform, immutable, must-understand, stale-while-revalidate=30, stale-if-error=300',
      ],
    });
    expect(d).toMatchObject({
      source: 'cache-control',
      public: true,
      maxAge: 60,
      sMaxage: 120,
      mustRevalidate: true,
      proxyRevalidate: true,
      noTransform: true,
      immutable: true,
      mustUnderstand: true,
      staleWhileRevalidate: 30,
      staleIfError: 300,
      noStore: false,
      noCache: false,
      private: false,
    });
  });

  test.each<[string, number | undefined]>([
    ['max-age=a3600', 0],
    ['max-age=3600a', 0],
    ['max-age=3600.5', 0],
    ['max-age', 0],
    ["max-age='3600'", 0],
    ['max-age="3600"', 3600],
    ['no-cache', undefined],
  ])('invalid max-age reads as 0 (stale): %s -> %p', (value, maxAge) => {
    expect(parseResponseCacheControl({ 'cache-control': value }).maxAge).toBe(maxAge);
  });

  test.each<[string, boolean, string[], boolean, string[]]>([
    ['no-cache', true, [], false, []],
    ['no-cache="Set-Cookie"', false, ['set-cookie'], false, []],
    ['no-cache=""', true, [], false, []],
    ['private', false, [], true, []],
    ['private="set-cookie, x-user"', false, [], false, ['set-cookie', 'x-user']],
  ])(
    'qualified and unqualified forms: %s',
    (value, noCache, noCacheFields, priv, privateFields) => {
      const d = parseResponseCacheControl({ 'cache-control': value });
      expect([d.noCache, d.noCacheFields, d.private, d.privateFields]).toEqual([
        noCache,
        noCacheFields,
        priv,
        privateFields,
      ]);
    },
  );
});

describe('parseRequestDirectives', () => {
  test.each<[string, Record<string, string | string[]>, Record<string, unknown>]>([
    ['max-age', { 'cache-control': 'max-age=5' }, { maxAge: 5 }],
    [
      'max-stale without value = any staleness',
      { 'cache-control': 'max-stale' },
      { maxStale: Infinity },
    ],
    ['max-stale with value', { 'cache-control': 'max-stale=10' }, { maxStale: 10 }],
    ['min-fresh', { 'cache-control': 'min-fresh=7' }, { minFresh: 7 }],
    ['only-if-cached', { 'cache-control': 'only-if-cached' }, { onlyIfCached: true }],
    ['no-store', { 'cache-control': 'no-store' }, { noStore: true }],
    ['no-cache', { 'cache-control': 'no-cache' }, { noCache: true }],
    ['Pragma no-cache without Cache-Control', { pragma: 'no-cache' }, { noCache: true }],
    [
      'Pragma ignored when Cache-Control present',
      { pragma: 'no-cache', 'cache-control': 'max-age=5' },
      { noCache: false },
    ],
    ['Pragma other directives ignored', { pragma: 'foo' }, { noCache: false }],
    ['invalid max-age ignored', { 'cache-control': 'max-age=abc' }, { maxAge: undefined }],
    ['stale-if-error', { 'cache-control': 'stale-if-error=60' }, { staleIfError: 60 }],
  ])('%s', (_name, headers, expected) => {
    expect(parseRequestDirectives(headers)).toMatchObject(expected);
  });
});
