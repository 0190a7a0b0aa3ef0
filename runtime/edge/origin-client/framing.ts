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
  let transferEncoding: string | undefined;
  let contentLength: string | undefined;
  let connection: string | undefined;
  let keepAlive: string | undefined;
  const fields = head.fields;
  for (let i = 0; i < fields.length; i += 2) {
    const name = fields[i] as string;
    // Only four names matter here; the first letters rule out almost every field cheaply.
    const first = name.charCodeAt(0);
    if (first !== 116 && first !== 99 && first !== 107) continue; // t, c, k
    const value = fields[i + 1] as string;
    if (name === 'transfer-encoding') transferEncoding = join(transferEncoding, value);
    else if (name === 'content-length') contentLength = join(contentLength, value);
    else if (name === 'connection') connection = join(connection, value);
    else if (name === 'keep-alive') keepAlive = join(keepAlive, value);
  }

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

function join(existing: string | undefined, value: string): string {
  return existing === undefined ? value : `${existing}, ${value}`;
}

function hasToken(list: string | undefined, wanted: string): boolean {
  if (list === undefined) return false;
  for (const item of list.split(',')) if (item.trim().toLowerCase() === wanted) return true;
  return false;
}

/** `Content-Length: 5, 5` (or two fields of 5) is 5; `5, 6` is malformed (RFC 9110 §8.6). */
function singleLength(list: string): number {
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
