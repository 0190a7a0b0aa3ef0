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

  test('unquote', () => {
    expect(unquote('"a\\"b"')).toBe('a"b');
    expect(unquote('plain')).toBe('plain');
    expect(unquote('"')).toBe('"');
  });
});
