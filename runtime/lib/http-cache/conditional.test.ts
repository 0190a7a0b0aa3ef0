import { evaluatePreconditions, notModifiedHeaders } from './conditional.ts';
import type { HeaderMap } from './headers.ts';
import { formatHttpDate } from './http-date.ts';

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);
const LM = formatHttpDate(T0 - 3_600_000);
const BEFORE = formatHttpDate(T0 - 7_200_000);
const AFTER = formatHttpDate(T0);
const STORED: HeaderMap = { etag: '"v1"', 'last-modified': LM, 'content-type': 'text/plain' };
const WEAK: HeaderMap = { etag: 'W/"v1"', 'last-modified': LM };

describe('evaluatePreconditions (RFC 9110 §13.2.2)', () => {
  test.each<[string, string, HeaderMap, HeaderMap, string]>([
    ['no conditionals', 'GET', {}, STORED, 'none'],
    ['If-None-Match match', 'GET', { 'if-none-match': '"v1"' }, STORED, 'not-modified'],
    ['If-None-Match weak comparison', 'GET', { 'if-none-match': 'W/"v1"' }, STORED, 'not-modified'],
    [
      'If-None-Match against weak stored tag',
      'GET',
      { 'if-none-match': '"v1"' },
      WEAK,
      'not-modified',
    ],
    ['If-None-Match in a list', 'GET', { 'if-none-match': '"x", "v1"' }, STORED, 'not-modified'],
    ['If-None-Match star', 'GET', { 'if-none-match': '*' }, STORED, 'not-modified'],
    ['If-None-Match no match', 'GET', { 'if-none-match': '"v2"' }, STORED, 'none'],
    ['If-None-Match on HEAD', 'HEAD', { 'if-none-match': '"v1"' }, STORED, 'not-modified'],
    [
      'If-None-Match match on other methods: 412',
      'DELETE',
      { 'if-none-match': '"v1"' },
      STORED,
      'precondition-failed',
    ],
    [
      'If-None-Match wins over If-Modified-Since',
      'GET',
      { 'if-none-match': '"v2"', 'if-modified-since': AFTER },
      STORED,
      'none',
    ],
    [
      'If-Modified-Since not modified',
      'GET',
      { 'if-modified-since': AFTER },
      STORED,
      'not-modified',
    ],
    ['If-Modified-Since equal', 'GET', { 'if-modified-since': LM }, STORED, 'not-modified'],
    ['If-Modified-Since modified since', 'GET', { 'if-modified-since': BEFORE }, STORED, 'none'],
    [
      'If-Modified-Since invalid date ignored',
      'GET',
      { 'if-modified-since': 'yesterday' },
      STORED,
      'none',
    ],
    [
      'If-Modified-Since without LM or Date',
      'GET',
      { 'if-modified-since': AFTER },
      { etag: '"v1"' },
      'none',
    ],
    [
      'If-Modified-Since falls back to Date',
      'GET',
      { 'if-modified-since': AFTER },
      { date: LM },
      'not-modified',
    ],
    ['If-Modified-Since before Date', 'GET', { 'if-modified-since': BEFORE }, { date: LM }, 'none'],
    ['If-Modified-Since ignored for POST', 'POST', { 'if-modified-since': AFTER }, STORED, 'none'],
    ['If-Match match', 'GET', { 'if-match': '"v1"' }, STORED, 'none'],
    [
      'If-Match strong comparison fails on weak',
      'GET',
      { 'if-match': 'W/"v1"' },
      STORED,
      'precondition-failed',
    ],
    ['If-Match no match', 'GET', { 'if-match': '"v2"' }, STORED, 'precondition-failed'],
    ['If-Match star', 'PUT', { 'if-match': '*' }, STORED, 'none'],
    ['If-Unmodified-Since passes', 'GET', { 'if-unmodified-since': AFTER }, STORED, 'none'],
    [
      'If-Unmodified-Since fails',
      'GET',
      { 'if-unmodified-since': BEFORE },
      STORED,
      'precondition-failed',
    ],
    [
      'If-Unmodified-Since ignored with If-Match',
      'GET',
      { 'if-match': '"v1"', 'if-unmodified-since': BEFORE },
      STORED,
      'none',
    ],
    [
      'If-Match failure beats If-None-Match',
      'GET',
      { 'if-match': '"v2"', 'if-none-match': '"v1"' },
      STORED,
      'precondition-failed',
    ],
  ])('%s', (_name, method, headers, stored, kind) => {
    expect(evaluatePreconditions({ method, headers }, stored).kind).toBe(kind);
  });
});

describe('evaluatePreconditions options', () => {
  test('falls back to the receive time for If-Modified-Since', () => {
    const req = { method: 'GET', headers: { 'if-modified-since': LM } };
    expect(evaluatePreconditions(req, {}, { receivedAt: T0 - 4_000_000 }).kind).toBe(
      'not-modified',
    );
    expect(evaluatePreconditions(req, {}, { receivedAt: T0 }).kind).toBe('none');
  });

  test('preconditions do not apply to a non-2xx stored response', () => {
    const req = { method: 'GET', headers: { 'if-none-match': '*', 'if-match': '"zz"' } };
    expect(evaluatePreconditions(req, STORED, { status: 404 }).kind).toBe('none');
    expect(evaluatePreconditions(req, STORED, { status: 204 }).kind).toBe('precondition-failed');
  });
});

describe('notModifiedHeaders', () => {
  test('keeps validators and caching fields, drops representation metadata', () => {
    expect(
      notModifiedHeaders({
        etag: '"v1"',
        'cache-control': 'max-age=5',
        date: AFTER,
        vary: 'accept-encoding',
        'content-type': 'text/plain',
        'content-length': '10',
        'x-other': 'y',
      }),
    ).toEqual({ etag: '"v1"', 'cache-control': 'max-age=5', date: AFTER, vary: 'accept-encoding' });
  });
});
