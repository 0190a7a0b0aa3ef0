/**
 * Range requests served from a complete stored 200 response (RFC 9110 §14). Several ranges are
 * first coalesced where they overlap or touch; if more than one remains the answer is
 * multipart/byteranges (what Apache and Varnish do), since a client that asked for disjoint
 * ranges may not want the bytes between them. More than `maxRanges` ranges after coalescing, a
 * malformed Range, another unit, or a failed If-Range all mean: serve the whole 200.
 *
 * Range parsing is hand-written rather than `range-parser` (1.3): that library answers 416 for
 * a suffix longer than the body (RFC 9110 §14.1.1: the whole body) and for a reversed range
 * (an invalid range-spec, so the Range field is ignored).
 */
import { parseEntityTag, strongMatch } from './entity-tag.ts';
import { fieldLines, type HeaderMap } from './headers.ts';
import { parseHttpDate } from './http-date.ts';
import type { RequestInfo } from './stored-response.ts';
import { entityTagOf, strongLastModified } from './validation.ts';

export interface BytePart {
  /** First byte, inclusive. */
  readonly start: number;
  /** Last byte, inclusive. */
  readonly end: number;
}

export interface MultipartPart extends BytePart {
  /** The part's delimiter and headers, written before its bytes. */
  readonly head: string;
}

export type RangePlan =
  /** Serve the whole representation with 200. */
  | { readonly kind: 'full' }
  /** 206 with one range: send `contentRange` as Content-Range. */
  | ({
      readonly kind: 'single';
      readonly contentRange: string;
      readonly contentLength: number;
    } & BytePart)
  /** 206 multipart/byteranges: write each part's `head` then its bytes, then `tail`. */
  | {
      readonly kind: 'multipart';
      readonly contentType: string;
      readonly parts: readonly MultipartPart[];
      readonly tail: string;
      readonly contentLength: number;
    }
  /** 416 with Content-Range `bytes * /<size>` (without the space). */
  | { readonly kind: 'unsatisfiable'; readonly contentRange: string };

export interface RangeOptions {
  /** Boundary for multipart/byteranges; the caller supplies randomness. Default derived from size. */
  readonly boundary?: string;
  /** Ranges allowed after coalescing before the Range header is ignored. Default 50. */
  readonly maxRanges?: number;
}

/**
 * The satisfiable ranges of a `bytes` Range value for a body of `size` bytes, clamped to the
 * body, coalesced where they overlap or touch, in ascending order. `invalid` when the value is
 * not a valid bytes range-set (the field is then ignored); `unsatisfiable` when valid but no
 * range overlaps the body (416).
 */
export function parseByteRanges(
  value: string,
  size: number,
): BytePart[] | 'invalid' | 'unsatisfiable' {
  const eq = value.indexOf('=');
  if (eq < 0 || value.slice(0, eq).trim().toLowerCase() !== 'bytes') return 'invalid';
  const specs = value
    .slice(eq + 1)
    .split(',')
    .map((spec) => spec.trim())
    .filter((spec) => spec !== '');
  if (specs.length === 0) return 'invalid';
  const ranges: BytePart[] = [];
  for (const spec of specs) {
    const m = /^(\d*)-(\d*)$/.exec(spec);
    if (!m || (m[1] === '' && m[2] === '')) return 'invalid';
    if (m[1] === '') {
      const suffix = Number(m[2]);
      if (suffix > 0 && size > 0) ranges.push({ start: Math.max(0, size - suffix), end: size - 1 });
      continue;
    }
    const first = Number(m[1]);
    const last = m[2] === '' ? Number.POSITIVE_INFINITY : Number(m[2]);
    if (last < first) return 'invalid';
    if (first < size) ranges.push({ start: first, end: Math.min(last, size - 1) });
  }
  if (ranges.length === 0) return 'unsatisfiable';
  ranges.sort((a, b) => a.start - b.start);
  const merged: BytePart[] = [];
  for (const range of ranges) {
    const previous = merged[merged.length - 1];
    if (previous && range.start <= previous.end + 1) {
      merged[merged.length - 1] = { start: previous.start, end: Math.max(previous.end, range.end) };
    } else {
      merged.push(range);
    }
  }
  return merged;
}

/** Does If-Range (if any) hold for the stored representation? (RFC 9110 §13.1.5) */
export function ifRangeHolds(request: RequestInfo, stored: HeaderMap): boolean {
  const value = fieldLines(request.headers, 'if-range')[0]?.trim();
  if (value === undefined) return true;
  if (value.startsWith('"') || value.startsWith('W/')) {
    const wanted = parseEntityTag(value);
    const tag = entityTagOf(stored);
    return wanted !== undefined && tag !== undefined && strongMatch(wanted, tag);
  }
  const date = parseHttpDate(value);
  const lm = strongLastModified(stored);
  return date !== undefined && lm !== undefined && date === lm;
}

/**
 * How to answer `request` from a stored complete response with `status`, `headers` and a body of
 * `size` bytes. Only GET with a 200 stored response and a `bytes` Range is considered.
 */
export function planRange(
  request: RequestInfo,
  stored: { readonly status: number; readonly headers: HeaderMap },
  size: number,
  options: RangeOptions = {},
): RangePlan {
  const range = fieldLines(request.headers, 'range')[0];
  if (range === undefined || request.method.toUpperCase() !== 'GET' || stored.status !== 200) {
    return { kind: 'full' };
  }
  if (!ifRangeHolds(request, stored.headers)) return { kind: 'full' };
  const ranges = parseByteRanges(range, size);
  if (ranges === 'invalid') return { kind: 'full' };
  if (ranges === 'unsatisfiable') return { kind: 'unsatisfiable', contentRange: `bytes */${size}` };
  if (ranges.length > (options.maxRanges ?? 50)) return { kind: 'full' };
  const first = ranges[0] as BytePart;
  if (ranges.length === 1) {
    return {
      kind: 'single',
      start: first.start,
      end: first.end,
      contentRange: `bytes ${first.start}-${first.end}/${size}`,
      contentLength: first.end - first.start + 1,
    };
  }
  const boundary = options.boundary ?? `edgeplane-byteranges-${size.toString(36)}`;
  const partType = fieldLines(stored.headers, 'content-type')[0];
  const parts = ranges.map(({ start, end }) => ({
    start,
    end,
    head:
      `\r\n--${boundary}\r\n` +
      (partType ? `content-type: ${partType}\r\n` : '') +
      `content-range: bytes ${start}-${end}/${size}\r\n\r\n`,
  }));
  const tail = `\r\n--${boundary}--\r\n`;
  const contentLength =
    parts.reduce((sum, p) => sum + Buffer.byteLength(p.head) + (p.end - p.start + 1), 0) +
    Buffer.byteLength(tail);
  return {
    kind: 'multipart',
    contentType: `multipart/byteranges; boundary=${boundary}`,
    parts,
    tail,
    contentLength,
  };
}
