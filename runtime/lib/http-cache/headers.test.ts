import fc from 'fast-check';
import { fieldLines, fieldList, fieldValue, splitList, unquote } from './headers.ts';

describe('header helpers', () => {
  test.each<[string, string[]]>([
    ['a, b,c', ['a', 'b', 'c']],
    [' , a ,, ', ['a']],
    ['"a, b", c', ['"a, b"', 'c']],
    ['x="a\\", b", y', ['x="a\\", b"', 'y']],
    ['', []],
  ])('splitList %p', (value, expected) => {
    expect(splitList(value)).toEqual(expected);
  });

  test('fieldLines / fieldValue / fieldList accept every Node header shape', () => {
    const headers = { a: 'x, y', b: ['1', '2'], c: 7, d: undefined };
    expect(fieldLines(headers, 'a')).toEqual(['x, y']);
    expect(fieldLines(headers, 'b')).toEqual(['1', '2']);
    expect(fieldLines(headers, 'c')).toEqual(['7']);
    expect(fieldLines(headers, 'd')).toEqual([]);
    expect(fieldValue(headers, 'b')).toBe('1, 2');
    expect(fieldValue(headers, 'd')).toBeUndefined();
    expect(fieldList(headers, 'a')).toEqual(['x', 'y']);
  });

  // splitList and fieldList skip the split array and flatMap for one-member values: they must
  // still give what splitting every line at each comma gives.
  const listText = fc.string({ unit: fc.constantFrom('a', 'B', ' ', '\t', ',', '=', '1') });
  test('splitList of a value without quotes is its comma-separated members, trimmed', () => {
    fc.assert(
      fc.property(listText, (value) => {
        const expected = value
          .split(',')
          .map((member) => member.trim())
          .filter((member) => member !== '');
        expect(splitList(value)).toEqual(expected);
      }),
    );
  });

  test('fieldList is the members of every line of the field, in order, for each shape', () => {
    const shape = fc.oneof(
      listText,
      fc.array(listText, { maxLength: 4 }),
      fc.nat(),
      fc.constant(undefined),
    );
    fc.assert(
      fc.property(shape, (value) => {
        const headers = { name: value };
        expect(fieldList(headers, 'name')).toEqual(
          fieldLines(headers, 'name').flatMap((line) => splitList(line)),
        );
      }),
    );
  });

  test('unquote', () => {
    expect(unquote('"a\\"b"')).toBe('a"b');
    expect(unquote('plain')).toBe('plain');
    expect(unquote('"')).toBe('"');
  });
});
