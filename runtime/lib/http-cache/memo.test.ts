import { BoundedMemo } from './memo.ts';

describe('BoundedMemo', () => {
  test('computes each key once, including undefined results', () => {
    const memo = new BoundedMemo<number | undefined>(10);
    let calls = 0;
    const compute = (k: string) => {
      calls++;
      return k === 'none' ? undefined : k.length;
    };
    expect([memo.get('abc', compute), memo.get('abc', compute)]).toEqual([3, 3]);
    expect([memo.get('none', compute), memo.get('none', compute)]).toEqual([undefined, undefined]);
    expect(calls).toBe(2);
  });

  test('never holds more than max entries', () => {
    const memo = new BoundedMemo<string>(3);
    for (let i = 0; i < 100; i++) memo.get(String(i), (k) => k);
    expect(memo.size).toBeLessThanOrEqual(3);
    expect(memo.get('99', () => 'recomputed')).toBe('99');
  });
});
