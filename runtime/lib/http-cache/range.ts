/**
 * Range requests served from a complete stored 200 response (RFC 9110 §14). Several ranges are
 * first coalesced where they overlap or touch; if more than one remains the answer is
 * multipart/byteranges (what Apache and Varnish do), since a client that asked for disjoint
 * ranges may not want the bytes between them. More than `maxRanges` ranges after coalescing, a
 * malformed Range, another unit, or a failed If-Range all mean: serve the whole 200.
 */
import parseRange from 'range-parser';
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
  const parsed = parseRange(size, range.trim(), { combine: true });
  if (parsed === -2) return { kind: 'full' };
  if (parsed === -1 || parsed.length === 0) {
    return parsed === -1 || size === 0
      ? { kind: 'unsatisfiable', contentRange: `bytes */${size}` }
      : { kind: 'full' };
  }
  if (parsed.type !== 'bytes' || parsed.length > (options.maxRanges ?? 50)) return { kind: 'full' };
  const ranges = [...parsed].sort((a, b) => a.start - b.start);
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
