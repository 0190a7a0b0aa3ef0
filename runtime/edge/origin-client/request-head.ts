// The request head sent to an origin, serialised once into a latin1 Buffer:
// `METHOD path HTTP/1.1`, the caller's flat [name, value, ...] fields (they already hold host),
// and the framing of the request body, as undici frames it for the edge's pass-through:
// - a body with the caller's Content-Length is sent as is, and must have exactly that length;
// - a body without one is sent chunked (`transfer-encoding: chunked`);
// - no body: the caller's Content-Length is left out, and a method that expects content (POST,
//   PUT, PATCH...) gets `content-length: 0`.
// Values with CR, LF or NUL, names that are not tokens, and the hop-by-hop fields this client
// sets itself are refused with a TypeError before anything is written.

export type RequestBodyFraming = 'none' | 'length' | 'chunked';

export interface SerialisedRequest {
  head: Buffer;
  bodyFraming: RequestBodyFraming;
  /** The declared length of a 'length' body. */
  contentLength: number;
}

const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// CR, LF and NUL split or cut a head; characters past latin1 cannot be sent as they are.
const badValueCharacter = /[\r\n\0\u0100-\uffff]/;
// A request target as node:http passes it on: no whitespace, no controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const badPathCharacter = /[\x00-\x20\x7f]/;
const digits = /^[0-9]{1,15}$/;

/** Methods whose requests carry content, so an empty body is sent as `content-length: 0`. */
const expectsPayload = new Set(['POST', 'PUT', 'PATCH', 'QUERY', 'PROPFIND', 'PROPPATCH']);

/** Fields this client frames and keeps alive itself (undici refuses them too). */
const ownFields = new Set(['transfer-encoding', 'connection', 'keep-alive', 'upgrade']);

export function serialiseRequest(
  method: string,
  path: string,
  fields: readonly string[],
  hasBody: boolean,
): SerialisedRequest {
  if (!token.test(method)) throw new TypeError(`invalid request method ${JSON.stringify(method)}`);
  if (method === 'CONNECT') throw new TypeError('CONNECT is not forwarded to origins');
  if (path.length === 0 || badPathCharacter.test(path))
    throw new TypeError(`invalid request path ${JSON.stringify(path)}`);
  let head = `${method} ${path} HTTP/1.1\r\n`;
  let contentLength: string | undefined;
  let declaredLength: string | undefined;
  for (let i = 0; i < fields.length; i += 2) {
    const name = fields[i] as string;
    const value = fields[i + 1] as string;
    if (!token.test(name)) throw new TypeError(`invalid header name ${JSON.stringify(name)}`);
    if (badValueCharacter.test(value)) throw new TypeError(`invalid value for header ${name}`);
    const lower = name.length >= 7 && name.length <= 17 ? name.toLowerCase() : '';
    if (lower === 'content-length') {
      if (!digits.test(value) || (declaredLength !== undefined && declaredLength !== value))
        throw new TypeError(`invalid content-length ${JSON.stringify(value)}`);
      const repeated = declaredLength !== undefined;
      declaredLength = value;
      // Without a body to send (a cache fill of a GET that came with one), the length is not
      // this request's: undici leaves it out too.
      if (repeated || !hasBody) continue;
      contentLength = value;
    } else if (ownFields.has(lower)) {
      throw new TypeError(`the ${lower} header is set by the origin client`);
    }
    head += `${name}: ${value}\r\n`;
  }
  let bodyFraming: RequestBodyFraming = 'none';
  if (hasBody) {
    if (contentLength === undefined) {
      head += 'transfer-encoding: chunked\r\n';
      bodyFraming = 'chunked';
    } else {
      bodyFraming = 'length';
    }
  } else if (expectsPayload.has(method)) {
    head += 'content-length: 0\r\n';
  }
  head += '\r\n';
  return {
    head: Buffer.from(head, 'latin1'),
    bodyFraming,
    contentLength: contentLength === undefined ? 0 : Number(contentLength),
  };
}
