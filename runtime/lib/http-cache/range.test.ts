import type { HeaderMap } from './headers.ts';
import { formatHttpDate } from './http-date.ts';
import { parseByteRanges, planRange } from './range.ts';

const T0 = Date.UTC(2026, 10, 26, 10, 0, 0);
const LM = formatHttpDate(T0 - 3_600_000);
const STORED = {
  status: 200,
  headers: {
    etag: '"v1"',
    'last-modified': LM,
    date: formatHttpDate(T0),
    'content-type': 'text/plain',
  },
};
const SIZE = 100;

describe('planRange', () => {
  test.each<[string, string, HeaderMap, Record<string, unknown>]>([
    ['no Range', 'GET', {}, { kind: 'full' }],
    [
      'single range',
      'GET',
      { range: 'bytes=0-9' },
      { kind: 'single', start: 0, end: 9, contentRange: 'bytes 0-9/100', contentLength: 10 },
    ],
    [
      'open-ended',
      'GET',
      { range: 'bytes=90-' },
      { kind: 'single', start: 90, end: 99, contentRange: 'bytes 90-99/100' },
    ],
    [
      'suffix',
      'GET',
      { range: 'bytes=-5' },
      { kind: 'single', start: 95, end: 99, contentRange: 'bytes 95-99/100' },
    ],
    [
      'suffix longer than the body',
      'GET',
      { range: 'bytes=-500' },
      { kind: 'single', start: 0, end: 99 },
    ],
    [
      'end past the body is clamped',
      'GET',
      { range: 'bytes=50-500' },
      { kind: 'single', start: 50, end: 99 },
    ],
    [
      'overlapping ranges coalesce',
      'GET',
      { range: 'bytes=0-10,5-20' },
      { kind: 'single', start: 0, end: 20 },
    ],
    [
      'unsatisfiable',
      'GET',
      { range: 'bytes=100-' },
      { kind: 'unsatisfiable', contentRange: 'bytes */100' },
    ],
    [
      'one satisfiable of two',
      'GET',
      { range: 'bytes=200-300,0-1' },
      { kind: 'single', start: 0, end: 1 },
    ],
    ['malformed Range ignored', 'GET', { range: 'bytes=abc' }, { kind: 'full' }],
    ['other unit ignored', 'GET', { range: 'items=0-1' }, { kind: 'full' }],
    ['HEAD ignores Range', 'HEAD', { range: 'bytes=0-9' }, { kind: 'full' }],
    [
      'If-Range strong ETag match',
      'GET',
      { range: 'bytes=0-9', 'if-range': '"v1"' },
      { kind: 'single' },
    ],
    [
      'If-Range ETag mismatch: full',
      'GET',
      { range: 'bytes=0-9', 'if-range': '"v2"' },
      { kind: 'full' },
    ],
    [
      'If-Range weak ETag never matches',
      'GET',
      { range: 'bytes=0-9', 'if-range': 'W/"v1"' },
      { kind: 'full' },
    ],
    [
      'If-Range date equal to strong Last-Modified',
      'GET',
      { range: 'bytes=0-9', 'if-range': LM },
      { kind: 'single' },
    ],
    [
      'If-Range other date: full',
      'GET',
      { range: 'bytes=0-9', 'if-range': formatHttpDate(T0) },
      { kind: 'full' },
    ],
  ])('%s', (_name, method, headers, expected) => {
    expect(planRange({ method, headers }, STORED, SIZE)).toMatchObject(expected);
  });

  test('several disjoint ranges give multipart/byteranges with exact length', () => {
    const plan = planRange({ method: 'GET', headers: { range: 'bytes=50-59,0-4' } }, STORED, SIZE, {
      boundary: 'B',
    });
    if (plan.kind !== 'multipart') throw new Error(`expected multipart, got ${plan.kind}`);
    expect(plan.contentType).toBe('multipart/byteranges; boundary=B');
    const body = Buffer.alloc(SIZE, 'x');
    const wire = Buffer.concat([
      ...plan.parts.flatMap((p) => [Buffer.from(p.head), body.subarray(p.start, p.end + 1)]),
      Buffer.from(plan.tail),
    ]);
    expect(wire.length).toBe(plan.contentLength);
    expect(wire.toString()).toBe(
      '\r\n--B\r\ncontent-type: text/plain\r\ncontent-range: bytes 0-4/100\r\n\r\nxxxxx' +
        '\r\n--B\r\ncontent-type: text/plain\r\ncontent-range: bytes 50-59/100\r\n\r\nxxxxxxxxxx' +
        '\r\n--B--\r\n',
    );
  });

  test('too many ranges: the whole body instead', () => {
    const many = Array.from({ length: 60 }, (_, i) => `${i * 3}-${i * 3}`).join(',');
    expect(
      planRange({ method: 'GET', headers: { range: `bytes=${many}` } }, STORED, 1000).kind,
    ).toBe('full');
  });

  test('only a stored 200 is sliced', () => {
    expect(
      planRange(
        { method: 'GET', headers: { range: 'bytes=0-1' } },
        { ...STORED, status: 404 },
        SIZE,
      ).kind,
    ).toBe('full');
  });

  test('empty body: any range is unsatisfiable', () => {
    expect(planRange({ method: 'GET', headers: { range: 'bytes=0-' } }, STORED, 0)).toEqual({
      kind: 'unsatisfiable',
      contentRange: 'bytes */0',
    });
  });
});

describe('parseByteRanges (RFC 9110 §14.1)', () => {
  test.each<[string, number, ReturnType<typeof parseByteRanges>]>([
    ['bytes=0-0', 10, [{ start: 0, end: 0 }]],
    ['Bytes=0-0', 10, [{ start: 0, end: 0 }]],
    [
      'bytes= 0-1 , 3-4 ',
      10,
      [
        { start: 0, end: 1 },
        { start: 3, end: 4 },
      ],
    ],
    ['bytes=0-1,2-3', 10, [{ start: 0, end: 3 }]],
    [
      'bytes=5-,0-2',
      10,
      [
        { start: 0, end: 2 },
        { start: 5, end: 9 },
      ],
    ],
    ['bytes=-3', 10, [{ start: 7, end: 9 }]],
    ['bytes=-30', 10, [{ start: 0, end: 9 }]],
    ['bytes=-0', 10, 'unsatisfiable'],
    ['bytes=10-', 10, 'unsatisfiable'],
    ['bytes=0-', 0, 'unsatisfiable'],
    ['bytes=5-1', 10, 'invalid'],
    ['bytes=-', 10, 'invalid'],
    ['bytes=a-b', 10, 'invalid'],
    ['bytes=', 10, 'invalid'],
    ['bytes=1', 10, 'invalid'],
    ['bytes=0-1,,', 10, [{ start: 0, end: 1 }]],
    ['items=0-1', 10, 'invalid'],
    ['0-1', 10, 'invalid'],
  ])('%p of %p bytes', (value, size, expected) => {
    expect(parseByteRanges(value, size)).toEqual(expected);
  });
});
