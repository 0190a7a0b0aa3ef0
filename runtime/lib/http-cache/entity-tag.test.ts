import { parseEntityTag, parseEntityTagList, strongMatch, weakMatch } from './entity-tag.ts';

describe('entity tags (RFC 9110 §8.8.3)', () => {
  test.each<[string, ReturnType<typeof parseEntityTag>]>([
    ['"abc"', { weak: false, opaque: '"abc"' }],
    ['W/"abc"', { weak: true, opaque: '"abc"' }],
    ['""', { weak: false, opaque: '""' }],
    ['abc', { weak: false, opaque: '"abc"' }],
    ['"a"b"', undefined],
    ['a b', undefined],
    ['', undefined],
  ])('parse %p', (value, expected) => {
    expect(parseEntityTag(value)).toEqual(expected);
  });

  test('list parsing keeps commas inside tags', () => {
    expect(parseEntityTagList('"a,b", W/"c"')).toEqual([
      { weak: false, opaque: '"a,b"' },
      { weak: true, opaque: '"c"' },
    ]);
    expect(parseEntityTagList(' * ')).toBe('*');
  });

  // RFC 9110 §8.8.3.2 comparison table.
  test.each<[string, string, boolean, boolean]>([
    ['W/"1"', 'W/"1"', false, true],
    ['W/"1"', 'W/"2"', false, false],
    ['W/"1"', '"1"', false, true],
    ['"1"', '"1"', true, true],
  ])('%s vs %s: strong %p, weak %p', (a, b, strong, weak) => {
    const ta = parseEntityTag(a);
    const tb = parseEntityTag(b);
    if (!ta || !tb) throw new Error('test tags must parse');
    expect(strongMatch(ta, tb)).toBe(strong);
    expect(weakMatch(ta, tb)).toBe(weak);
  });
});
