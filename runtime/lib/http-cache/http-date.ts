/**
 * HTTP-date (RFC 9110 §5.6.7): IMF-fixdate, and the obsolete RFC 850 and asctime forms that a
 * recipient must also accept. `Date.parse` is not used: it accepts "0", "2050" and other strings
 * that are not HTTP-dates, and an invalid Expires must mean "already expired", not year 2000.
 * Names are matched case-insensitively; the structure is strict.
 */

import { BoundedMemo } from './memo.ts';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY = '(?:mon|tue|wed|thu|fri|sat|sun)';
const LONG_DAY = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)';
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`, 'i');
const RFC850_DATE = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`, 'i');
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`, 'i');

function build(
  year: number,
  month: string,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number | undefined {
  const monthIndex = MONTHS.indexOf(month.toLowerCase());
  if (monthIndex < 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return undefined;
  }
  const ms = Date.UTC(year, monthIndex, day, hour, minute, Math.min(second, 59));
  // Reject 31 Feb and the like: Date.UTC rolls them over into the next month.
  if (new Date(ms).getUTCDate() !== day) return undefined;
  return ms;
}

/**
 * Milliseconds since the epoch of an HTTP-date, or undefined when `value` is not one.
 * `nowMs` resolves RFC 850 two-digit years (a year more than 50 years ahead is in the past).
 */
export function parseHttpDate(value: string, nowMs?: number): number | undefined {
  // RFC 850 dates depend on `nowMs` (two-digit years), so only the other forms are memoised.
  return value.includes('-') ? parseUncached(value, nowMs) : DATES.get(value, parseUncached);
}

const DATES = new BoundedMemo<number | undefined>();

function parseUncached(value: string, nowMs?: number): number | undefined {
  const text = value.trim();
  let m = IMF_FIXDATE.exec(text);
  if (m) {
    return build(
      Number(m[3]),
      m[2] as string,
      Number(m[1]),
      Number(m[4]),
      Number(m[5]),
      Number(m[6]),
    );
  }
  m = RFC850_DATE.exec(text);
  if (m) {
    const twoDigit = Number(m[3]);
    const currentYear = new Date(nowMs ?? Date.UTC(2000, 0, 1)).getUTCFullYear();
    let year = Math.floor(currentYear / 100) * 100 + twoDigit;
    if (year > currentYear + 50) year -= 100;
    return build(year, m[2] as string, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  }
  m = ASCTIME_DATE.exec(text);
  if (m) {
    return build(
      Number(m[6]),
      m[1] as string,
      Number((m[2] as string).trim()),
      Number(m[3]),
      Number(m[4]),
      Number(m[5]),
    );
  }
  return undefined;
}

/** The IMF-fixdate form of a time (whole seconds). */
export function formatHttpDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toUTCString();
}
