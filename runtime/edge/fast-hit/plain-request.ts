// Which requests the fast path takes, read straight from the bytes of the head. One shape:
//   (GET|HEAD) <origin-form target> HTTP/1.1 CRLF *( field-name ":" OWS value OWS CRLF ) CRLF
// with printable-ASCII target and values, one Host, no field twice, and none of the fields that
// change framing or persistence (a body, Expect, Upgrade, Connection other than keep-alive...).
// Anything else, however valid, is refused (undefined) and goes to node:http. Of the requests
// taken, `plainHit` marks those the hit path may answer from the bytes alone: GETs without
// fields that change the answer beyond site, key, variant and coding (conditionals, Range,
// request Cache-Control/Pragma, credentials); the others run the handler (connection.ts).
//
// Hand-written rather than llhttp (node:http's parser, reachable as node:_http_common's
// HTTPParser): driving the binding from JavaScript, a C++ call and a callback with a new array
// per request, was 12% of a worker's busy time on 1 KB hits. The scan accepts only heads llhttp
// in strict mode accepts, and reads them as llhttp does (values without surrounding OWS): the
// property test in plain-request.test.ts holds it to llhttp itself.

export interface PlainRequest {
  method: 'GET' | 'HEAD';
  /** A GET whose answer depends only on site, key, variant and coding: a fast hit candidate. */
  plainHit: boolean;
  target: string;
  host: string;
  /** Lower-case names, one value each (as IncomingMessage.headers for these requests). */
  headers: Record<string, string>;
  hasCookie: boolean;
}

/** Buffer's own latin1 slice: what toString('latin1', start, end) calls after its checks. */
function latin1(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as { latin1Slice(start: number, end: number): string }).latin1Slice(
    start,
    end,
  );
}

const CR = 13;
const LF = 10;
const SP = 32;
const HTAB = 9;
const COLON = 58;

function table(accept: (code: number) => boolean): Uint8Array {
  const out = new Uint8Array(256);
  for (let code = 0; code < 256; code++) out[code] = accept(code) ? 1 : 0;
  return out;
}
const oneOf = (chars: string) => (code: number) => chars.includes(String.fromCharCode(code));

/** RFC 9110 tchar. */
const tchar = table(
  (c) =>
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    oneOf("!#$%&'*+-.^_`|~")(c),
);
/** Target bytes: printable ASCII that RFC 3986 allows unencoded (no fragment, no quotes). */
const targetChar = table((c) => c > 32 && c < 127 && !oneOf('#"<>\\^`{|}')(c));
/** Field value bytes: printable ASCII, SP and HTAB (no obs-text, no controls). */
const valueChar = table((c) => c === HTAB || (c >= 32 && c < 127));

/** Request fields that change framing or persistence, as llhttp reads them: node:http's. */
const nodeHttpFields = new Set([
  'content-length',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'expect',
  'te',
  'trailer',
  'http2-settings',
]);

/** Request fields that change the answer beyond key, variant and coding: the handler's. */
const handlerFields = new Set([
  'cache-control',
  'pragma',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  'if-range',
  'range',
  'authorization',
  'proxy-authorization',
]);

/**
 * The request in `buf[start, end)`, a head ending with its blank line, when the fast path may
 * answer it; undefined when node:http must. `maxFields` is the traffic server's field limit.
 */
export function plainRequest(
  buf: Buffer,
  start: number,
  end: number,
  maxFields: number,
): PlainRequest | undefined {
  // "GET /" or "HEAD /"
  let method: 'GET' | 'HEAD';
  let i: number;
  if (
    buf[start] === 71 &&
    buf[start + 1] === 69 &&
    buf[start + 2] === 84 &&
    buf[start + 3] === SP
  ) {
    method = 'GET';
    i = start + 4;
  } else if (
    buf[start] === 72 &&
    buf[start + 1] === 69 &&
    buf[start + 2] === 65 &&
    buf[start + 3] === 68 &&
    buf[start + 4] === SP
  ) {
    method = 'HEAD';
    i = start + 5;
  } else return undefined;
  if (buf[i] !== 47) return undefined;
  const targetStart = i;
  i++;
  while (i < end && targetChar[buf[i] as number] === 1) i++;
  // " HTTP/1.1\r\n"
  if (
    i + 11 > end ||
    buf[i] !== SP ||
    buf[i + 1] !== 72 ||
    buf[i + 2] !== 84 ||
    buf[i + 3] !== 84 ||
    buf[i + 4] !== 80 ||
    buf[i + 5] !== 47 ||
    buf[i + 6] !== 49 ||
    buf[i + 7] !== 46 ||
    buf[i + 8] !== 49 ||
    buf[i + 9] !== CR ||
    buf[i + 10] !== LF
  )
    return undefined;
  const target = latin1(buf, targetStart, i);
  i += 11;
  const headers: Record<string, string> = {};
  let host: string | undefined;
  let hasCookie = false;
  let plainHit = method === 'GET';
  let fields = 0;
  while (i < end) {
    if (buf[i] === CR) {
      // The blank line, which must end the block.
      if (buf[i + 1] !== LF || i + 2 !== end || host === undefined || host === '') return undefined;
      return { method, plainHit, target, host, headers, hasCookie };
    }
    const nameStart = i;
    while (i < end && tchar[buf[i] as number] === 1) i++;
    if (i === nameStart || buf[i] !== COLON) return undefined;
    const name = latin1(buf, nameStart, i).toLowerCase();
    i++;
    while (buf[i] === SP || buf[i] === HTAB) i++;
    const valueStart = i;
    while (i < end && valueChar[buf[i] as number] === 1) i++;
    if (buf[i] !== CR || buf[i + 1] !== LF) return undefined;
    let valueEnd = i;
    while (valueEnd > valueStart && (buf[valueEnd - 1] === SP || buf[valueEnd - 1] === HTAB))
      valueEnd--;
    i += 2;
    if (++fields > maxFields) return undefined;
    // A repeated name (node:http joins or drops those) or a name an Object already has.
    if (headers[name] !== undefined || nodeHttpFields.has(name)) return undefined;
    if (handlerFields.has(name)) plainHit = false;
    const value = latin1(buf, valueStart, valueEnd);
    if (name === 'host') host = value;
    else if (name === 'cookie') hasCookie = true;
    // keep-alive is the only Connection option that changes nothing (llhttp reads it too).
    else if (name === 'connection' && value.toLowerCase() !== 'keep-alive') return undefined;
    headers[name] = value;
  }
  return undefined;
}
