import { formatHttpDate, parseHttpDate } from './http-date.ts';

const T = Date.UTC(2050, 7, 18, 2, 1, 18);

describe('parseHttpDate', () => {
  test.each<[string, number | undefined]>([
    ['Thu, 18 Aug 2050 02:01:18 GMT', T],
    ['Thursday, 18-Aug-50 02:01:18 GMT', T],
    ['Thu Aug 18 02:01:18 2050', T],
    ['Sun Nov  6 08:49:37 1994', Date.UTC(1994, 10, 6, 8, 49, 37)],
    ['THU, 18 AUG 2050 02:01:18 gmt', T],
    ['  Thu, 18 Aug 2050 02:01:18 GMT  ', T],
    ['0', undefined],
    ['-1', undefined],
    ['2050', undefined],
    ['', undefined],
    ['Thu, 18 Aug 2050 02:01:18 UTC', undefined],
    ['Thu, 18 Aug 50 02:01:18 GMT', undefined],
    ['Thu 18 Aug 2050 02:01:18 GMT', undefined],
    ['Thu, 18  Aug  2050 02:01:18 GMT', undefined],
    ['Thu, 18-Aug-2050 02:01:18 GMT', undefined],
    ['Thu, 18 Aug 2050 02.01.18 GMT', undefined],
    ['Thu, 18 Aug 2050 2:01:18 GMT', undefined],
    ['Thu, 31 Feb 2050 02:01:18 GMT', undefined],
    ['Thu, 18 Aug 2050 25:01:18 GMT', undefined],
  ])('%p', (value, expected) => {
    expect(parseHttpDate(value, Date.UTC(2026, 0, 1))).toBe(expected);
  });

  test('RFC 850 two-digit years more than 50 years ahead are in the past', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', now)).toBe(
      Date.UTC(1994, 10, 6, 8, 49, 37),
    );
    expect(parseHttpDate('Sunday, 06-Nov-30 08:49:37 GMT', now)).toBe(
      Date.UTC(2030, 10, 6, 8, 49, 37),
    );
  });

  test('formatHttpDate gives IMF-fixdate that parses back to whole seconds', () => {
    expect(formatHttpDate(T + 999)).toBe('Thu, 18 Aug 2050 02:01:18 GMT');
    expect(parseHttpDate(formatHttpDate(T))).toBe(T);
  });
});
