/**
 * Answering a client's conditional request from a stored response (RFC 9110 §13.1, evaluated in
 * the order of §13.2.2): If-Match, else If-Unmodified-Since → 412; If-None-Match (weak
 * comparison, `*`), else If-Modified-Since for GET/HEAD → 304 (412 for other methods).
 */
import { parseEntityTagList, strongMatch, weakMatch } from './entity-tag.ts';
import { fieldLines, type HeaderMap, type MutableHeaders } from './headers.ts';
import { parseHttpDate } from './http-date.ts';
import type { RequestInfo } from './stored-response.ts';
import { entityTagOf } from './validation.ts';

export type ConditionalOutcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'not-modified' }
  | { readonly kind: 'precondition-failed' };

const NONE: ConditionalOutcome = { kind: 'none' };

function lastModified(headers: HeaderMap): number | undefined {
  const line = fieldLines(headers, 'last-modified')[0];
  return line === undefined ? undefined : parseHttpDate(line);
}

export interface PreconditionOptions {
  /**
   * Status of the stored response: preconditions only apply when it is 2xx (RFC 9110 §13.2.1).
   * Default 200.
   */
  readonly status?: number;
  /** When the stored response was received (ms): the last resort for If-Modified-Since. */
  readonly receivedAt?: number;
}

/**
 * Evaluates the request's preconditions against the selected stored response's headers.
 * `none` means: serve the response normally. Invalid dates are ignored as RFC 9110 requires.
 * If-Modified-Since compares with Last-Modified, else Date, else the time the response was
 * received (RFC 9111 §4.3.2); If-Unmodified-Since only with Last-Modified.
 */
export function evaluatePreconditions(
  request: RequestInfo,
  stored: HeaderMap,
  options: PreconditionOptions = {},
): ConditionalOutcome {
  const h = request.headers;
  if (
    h['if-match'] === undefined &&
    h['if-none-match'] === undefined &&
    h['if-modified-since'] === undefined &&
    h['if-unmodified-since'] === undefined
  ) {
    return NONE;
  }
  const status = options.status ?? 200;
  if (status < 200 || status > 299) return NONE;
  const method = request.method.toUpperCase();
  const getOrHead = method === 'GET' || method === 'HEAD';
  const tag = entityTagOf(stored);
  const modified = lastModified(stored);

  const ifMatch = fieldLines(request.headers, 'if-match');
  if (ifMatch.length > 0) {
    const list = parseEntityTagList(ifMatch.join(', '));
    const ok = list === '*' || (tag !== undefined && list.some((t) => strongMatch(t, tag)));
    if (!ok) return { kind: 'precondition-failed' };
  } else {
    const ius = fieldLines(request.headers, 'if-unmodified-since')[0];
    const iusMs = ius === undefined ? undefined : parseHttpDate(ius);
    if (iusMs !== undefined && modified !== undefined && modified > iusMs) {
      return { kind: 'precondition-failed' };
    }
  }

  const ifNoneMatch = fieldLines(request.headers, 'if-none-match');
  if (ifNoneMatch.length > 0) {
    const list = parseEntityTagList(ifNoneMatch.join(', '));
    const matched = list === '*' || (tag !== undefined && list.some((t) => weakMatch(t, tag)));
    if (matched) return getOrHead ? { kind: 'not-modified' } : { kind: 'precondition-failed' };
    return { kind: 'none' };
  }
  if (getOrHead) {
    const ims = fieldLines(request.headers, 'if-modified-since')[0];
    const imsMs = ims === undefined ? undefined : parseHttpDate(ims);
    const dateLine = fieldLines(stored, 'date')[0];
    const basis =
      modified ??
      (dateLine === undefined ? undefined : parseHttpDate(dateLine)) ??
      options.receivedAt;
    if (imsMs !== undefined && basis !== undefined && basis <= imsMs) {
      return { kind: 'not-modified' };
    }
  }
  return { kind: 'none' };
}

/**
 * Fields a 304 from cache carries (RFC 9110 §15.4.5): those a 200 would have sent among
 * Cache-Control, Content-Location, Date, ETag, Expires and Vary, plus Last-Modified and the
 * targeted cache-control fields, so downstream caches can freshen their copy.
 */
export const NOT_MODIFIED_FIELDS: readonly string[] = [
  'cache-control',
  'cdn-cache-control',
  'content-location',
  'date',
  'etag',
  'expires',
  'last-modified',
  'vary',
];

/** The headers of a 304 answered from cache for the stored headers. */
export function notModifiedHeaders(
  stored: HeaderMap,
  extraFields: readonly string[] = [],
): MutableHeaders {
  const out: MutableHeaders = {};
  for (const name of [...NOT_MODIFIED_FIELDS, ...extraFields]) {
    const value = stored[name];
    if (value !== undefined) out[name] = typeof value === 'object' ? [...value] : value;
  }
  return out;
}
