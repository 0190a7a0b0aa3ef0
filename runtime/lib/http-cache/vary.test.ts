import fc from 'fast-check';
import type { HeaderMap } from './headers.ts';
import {
  normaliseAcceptEncoding,
  normaliseVaryValue,
  secondaryKey,
  varyFields,
  varyMatches,
} from './vary.ts';

describe('varyFields', () => {
  test.each<[HeaderMap, '*' | string[]]>([
    [{}, []],
    [{ vary: 'Accept-Encoding' }, ['accept-encoding']],
    [{ vary: 'accept-encoding, Accept-Language' }, ['accept-encoding', 'accept-language']],
    [
      { vary: ['Accept-Language', 'accept-encoding, ACCEPT-ENCODING'] },
      ['accept-encoding', 'accept-language'],
    ],
    [{ vary: 'accept, *' }, '*'],
    [{ vary: ' , ' }, []],
  ])('%p', (headers, expected) => {
    expect(varyFields(headers)).toEqual(expected);
  });
});

describe('normaliseVaryValue', () => {
  test.each<[string, string[], string | undefined]>([
    ['accept-encoding', [], undefined],
    ['accept-encoding', [''], ''],
    ['accept-encoding', ['gzip, br'], 'br,gzip'],
    ['accept-encoding', ['BR,GZIP'], 'br,gzip'],
    ['accept-encoding', ['gzip;q=1.0, br;q=0.50'], 'br;q=0.5,gzip'],
    ['accept-encoding', ['gzip', 'br'], 'br,gzip'],
    ['accept-encoding', ['gzip ; q=0'], 'gzip;q=0'],
    ['accept-encoding', ['#,;'], '#'],
    ['accept-encoding', [';q=0.5, gzip'], 'gzip'],
    // Language ranges are case-insensitive (RFC 4647 §2); their order is kept (it breaks ties).
    ['accept-language', ['en-US,  fr;q=0.5'], 'en-us,fr;q=0.5'],
    ['accept-language', ['fr, en'], 'fr,en'],
    ['accept-language', ['eN, De'], 'en,de'],
    ['accept-language', [' en ,   de'], 'en,de'],
    ['accept-language', ['de;Q=1.0, fr;q=0.50'], 'de,fr;q=0.5'],
    ['accept-language', ['en', 'DE'], 'en,de'],
    ['x-custom', ['  A  '], 'A'],
  ])('%s %p', (field, lines, expected) => {
    expect(normaliseVaryValue(field, lines)).toBe(expected);
  });
});

describe('secondaryKey and varyMatches (RFC 9111 §4.1)', () => {
  test.each<[string, HeaderMap, HeaderMap, HeaderMap, boolean]>([
    ['no Vary matches anything', {}, { 'accept-encoding': 'gzip' }, {}, true],
    [
      'same value',
      { vary: 'accept-encoding' },
      { 'accept-encoding': 'gzip' },
      { 'accept-encoding': 'gzip' },
      true,
    ],
    [
      'equivalent Accept-Encoding',
      { vary: 'accept-encoding' },
      { 'accept-encoding': 'gzip, br' },
      { 'accept-encoding': 'br,gzip' },
      true,
    ],
    [
      'different value',
      { vary: 'accept-encoding' },
      { 'accept-encoding': 'gzip' },
      { 'accept-encoding': 'br' },
      false,
    ],
    ['absent in both', { vary: 'x-a' }, {}, {}, true],
    ['absent vs empty differ', { vary: 'x-a' }, {}, { 'x-a': '' }, false],
    ['absent vs present', { vary: 'x-a' }, { 'x-a': '1' }, {}, false],
    [
      'two fields, one differs',
      { vary: 'x-a, x-b' },
      { 'x-a': '1', 'x-b': '2' },
      { 'x-a': '1', 'x-b': '3' },
      false,
    ],
    [
      'case of field values matters for generic fields',
      { vary: 'x-a' },
      { 'x-a': 'A' },
      { 'x-a': 'a' },
      false,
    ],
    ['Vary: * never matches', { vary: '*' }, {}, {}, false],
  ])('%s', (_name, responseHeaders, storedRequest, newRequest, expected) => {
    expect(varyMatches(responseHeaders, storedRequest, newRequest)).toBe(expected);
  });

  test('secondaryKey of * is undefined', () => {
    expect(secondaryKey('*', {})).toBeUndefined();
  });
});

const codings = fc.constantFrom('gzip', 'br', 'identity', 'deflate', 'zstd', '*');
const qvalue = fc.constantFrom(undefined, '0', '0.5', '1', '0.25');
const member = fc.record({ coding: codings, q: qvalue });
const members = fc.uniqueArray(member, { minLength: 1, maxLength: 5, selector: (m) => m.coding });

function render(
  list: Array<{ coding: string; q: string | undefined }>,
  style: { upper: boolean; spaces: string; qStyle: 'plain' | 'padded' },
): string {
  return list
    .map(({ coding, q }) => {
      const name = style.upper ? coding.toUpperCase() : coding;
      if (q === undefined) return name;
      const qs = style.qStyle === 'padded' && q.includes('.') ? `${q}0` : q;
      return `${name};q=${qs}`;
    })
    .join(`,${style.spaces}`);
}

const style = fc.record({
  upper: fc.boolean(),
  spaces: fc.constantFrom('', ' ', '  '),
  qStyle: fc.constantFrom<'plain' | 'padded'>('plain', 'padded'),
});

describe('Accept-Encoding normalisation properties', () => {
  test('order, case, spacing and q spelling do not change the key', () => {
    fc.assert(
      fc.property(members, style, style, fc.integer(), (list, s1, s2, seed) => {
        const shuffled = [...list].sort(
          (a, b) => ((a.coding.length * 31 + seed) % 7) - ((b.coding.length * 31 + seed) % 7),
        );
        const a = secondaryKey(['accept-encoding'], { 'accept-encoding': render(list, s1) });
        const b = secondaryKey(['accept-encoding'], { 'accept-encoding': render(shuffled, s2) });
        expect(a).toBe(b);
      }),
    );
  });

  test('different sets of codings or q-values give different keys', () => {
    fc.assert(
      fc.property(members, members, (x, y) => {
        const canonical = (l: typeof x) =>
          l
            .map((m) => `${m.coding}:${m.q === undefined ? 1 : Number(m.q)}`)
            .sort()
            .join();
        fc.pre(canonical(x) !== canonical(y));
        expect(
          normaliseAcceptEncoding(render(x, { upper: false, spaces: '', qStyle: 'plain' })),
        ).not.toBe(
          normaliseAcceptEncoding(render(y, { upper: false, spaces: '', qStyle: 'plain' })),
        );
      }),
    );
  });

  test('normalisation is idempotent for any field value', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('accept-encoding', 'accept-language', 'x-a'),
        fc.string(),
        (field, value) => {
          const once = normaliseVaryValue(field, [value]) ?? '';
          expect(normaliseVaryValue(field, [once])).toBe(once);
        },
      ),
    );
  });

  test('secondary keys separate fields: no value can impersonate another field', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        fc.pre(normaliseVaryValue('x-a', [a]) !== normaliseVaryValue('x-a', [b]));
        expect(secondaryKey(['x-a', 'x-b'], { 'x-a': a })).not.toBe(
          secondaryKey(['x-a', 'x-b'], { 'x-a': b }),
        );
      }),
    );
  });
});
