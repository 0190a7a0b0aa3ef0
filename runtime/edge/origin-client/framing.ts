// How a response body is delimited (RFC 9112 §6.3) and whether the connection may carry another
// request afterwards (§9.3, §9.6), decided like a strict proxy:
// - HEAD requests and 1xx/204/304 responses have no body, whatever their fields say.
// - Transfer-Encoding with Content-Length is refused (nginx >= 1.23 and llhttp refuse it too:
//   it is the shape of request smuggling). Transfer-Encoding whose final coding is chunked is
//   decoded as chunked (chunked twice is refused); with another final coding the body runs until
//   the origin closes (§6.3 rule 4, as llhttp and so undici read it), passed on as received.
// - Several Content-Length values must all be the same number; otherwise the response is refused.
// - Without either, the body runs until the origin closes, and the connection is not reused.
// - Not reused either: HTTP/1.0 responses, `Connection: close`, and HEAD responses (as undici:
//   an origin that wrongly sends a body after a HEAD answer would have those bytes read as the
//   next request's response).
import type { ResponseHead } from './response-head.ts';
import { MalformedResponseError } from './response-head.ts';

export type BodyFraming =
  | { kind: 'none' }
  | { kind: 'length'; length: number }
  | { kind: 'chunked' }
  | { kind: 'close' };

export interface ResponseFraming {
  body: BodyFraming;
  /** The connection may be reused once this response has been read whole. */
  reusable: boolean;
  /** The origin's Keep-Alive timeout (seconds), when it sent one. */
  keepAliveSeconds: number | undefined;
}

const digits = /^[0-9]{1,15}$/;
const noBody: BodyFraming = { kind: 'none' };
const chunked: BodyFraming = { kind: 'chunked' };
const untilClose: BodyFraming = { kind: 'close' };

export function responseFraming(head: ResponseHead, method: string): ResponseFraming {
  const { headers } = head;
  const transferEncoding = combined(headers['transfer-encoding']);
  const contentLength = combined(headers['content-length']);
  const connection = combined(headers.connection);
  const keepAlive = combined(headers['keep-alive']);

  let reusable = head.versionMinor === 1 && !hasToken(connection, 'close');
  const status = head.status;
  let body: BodyFraming;
  if (method === 'HEAD' || status < 200 || status === 204 || status === 304) {
    body = noBody;
    if (method === 'HEAD') reusable = false;
  } else if (transferEncoding !== undefined) {
    if (contentLength !== undefined)
      throw new MalformedResponseError('both Transfer-Encoding and Content-Length');
    const codings = transferEncoding.toLowerCase().split(',');
    const chunkedAt = codings.findIndex((coding) => coding.trim() === 'chunked');
    if (chunkedAt >= 0 && chunkedAt < codings.length - 1)
      throw new MalformedResponseError('chunked is not the final transfer coding');
    if (chunkedAt >= 0) {
      body = chunked;
    } else {
      body = untilClose;
      reusable = false;
    }
  } else if (contentLength !== undefined) {
    body = { kind: 'length', length: singleLength(contentLength) };
  } else {
    body = untilClose;
    reusable = false;
  }
  return { body, reusable, keepAliveSeconds: keepAliveTimeout(keepAlive) };
}

/** A repeated field's values as one list (RFC 9110 §5.3). */
function combined(value: string | string[] | undefined): string | undefined {
  return typeof value === 'object' ? value.join(', ') : value;
}

function hasToken(list: string | undefined, wanted: string): boolean {
  if (list === undefined) return false;
  // Usually one token (`keep-alive`): no split array then.
  if (!list.includes(',')) return list.trim().toLowerCase() === wanted;
  for (const item of list.split(',')) if (item.trim().toLowerCase() === wanted) return true;
  return false;
}

/** `Content-Length: 5, 5` (or two fields of 5) is 5; `5, 6` is malformed (RFC 9110 §8.6). */
function singleLength(list: string): number {
  if (!list.includes(',')) {
    const value = list.trim();
    if (!digits.test(value)) throw new MalformedResponseError('bad Content-Length');
    return Number(value);
  }
  let length: string | undefined;
  for (const item of list.split(',')) {
    const value = item.trim();
    if (!digits.test(value)) throw new MalformedResponseError('bad Content-Length');
    if (length !== undefined && Number(length) !== Number(value))
      throw new MalformedResponseError('differing Content-Length values');
    length = value;
  }
  return Number(length);
}

/** `Keep-Alive: timeout=5, max=100` → 5; anything unreadable → undefined. */
function keepAliveTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /(?:^|[,;\s])timeout\s*=\s*"?(\d+)"?/i.exec(value);
  return match === null ? undefined : Number(match[1]);
}
