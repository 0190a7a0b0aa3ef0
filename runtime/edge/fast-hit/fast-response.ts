// The response writer of a fast connection's requests that are not plain fresh hits (misses,
// revalidations, pass-through of a plain GET): the handler and fill.ts write to it as to
// node:http's ServerResponse, and it puts the same bytes on the socket that node:http would
// (_http_outgoing's _storeHeader for an HTTP/1.1 keep-alive response: the fields in the order
// given, Date when none was given, Connection/Keep-Alive, Content-Length or chunked framing).
// Only what the edge calls is implemented; a field node:http would refuse throws as node:http
// does, so the handler's error path answers the same way on both paths.
//
// Why not node:http itself: its IncomingMessage/ServerResponse streams and parser cost about
// 70 µs of CPU per miss on this machine (a minimal proxy, node:http server vs a raw socket
// server, both with the same origin client: runtime/edge/README.md, Performance / Misses).
import { EventEmitter } from 'node:events';
import { type OutgoingHttpHeader, type OutgoingHttpHeaders, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { EdgeResponse } from '../exchange.ts';
import { dateLine, httpToken, invalidValueChar, keepAliveLines } from './node-http-head.ts';

const connectionClose = /(?:^|\W)close(?:$|\W)/i;
const teChunked = /(?:^|\W)chunked(?:$|\W)/i;
/** internal/validators' linkValueRegExp, which writeEarlyHints applies to each Link value. */
const linkValue = /^(?:<[^>]*>)(?:\s*;\s*[^;"\s]+(?:=(")?[^;"\s]*\1)?)*$/;

/** Bodies up to this size go out joined with their head in one Buffer (one copy, one send). */
const joinMaxBytes = 16 * 1024;

class HeaderError extends TypeError {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

interface HeadState {
  text: string;
  connection: boolean;
  contentLength: boolean;
  transferEncoding: boolean;
  date: boolean;
  trailer: boolean;
  chunked: boolean;
  last: boolean;
  defaultKeepAlive: boolean;
  contentLengthValue: number | undefined;
}

function newHeadState(statusCode: number, contentLength: number | undefined): HeadState {
  return {
    text: `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode] ?? 'unknown'}\r\n`,
    connection: false,
    contentLength: false,
    transferEncoding: false,
    date: false,
    trailer: false,
    chunked: false,
    last: false,
    defaultKeepAlive: true,
    contentLengthValue: contentLength,
  };
}

function storeField(state: HeadState, name: string, value: OutgoingHttpHeader): void {
  if (value === undefined)
    throw new HeaderError('ERR_HTTP_INVALID_HEADER_VALUE', `invalid value for header "${name}"`);
  let text = String(value);
  if (invalidValueChar.test(text))
    throw new HeaderError('ERR_INVALID_CHAR', `invalid character in header content ["${name}"]`);
  const lower = name.length >= 4 && name.length <= 17 ? name.toLowerCase() : '';
  // RFC 6266 re-encoding node:http applies once a Content-Length was given (processHeader).
  if (lower === 'content-disposition' && state.contentLengthValue)
    text = Buffer.from(text, 'latin1').toString();
  state.text += `${name}: ${text}\r\n`;
  switch (lower) {
    case 'connection':
      state.connection = true;
      if (connectionClose.test(text)) state.last = true;
      break;
    case 'transfer-encoding':
      state.transferEncoding = true;
      if (teChunked.test(text)) state.chunked = true;
      break;
    case 'content-length':
      state.contentLength = true;
      state.contentLengthValue = +text;
      break;
    case 'date':
      state.date = true;
      break;
    case 'trailer':
      state.trailer = true;
      break;
    case 'keep-alive':
      state.defaultKeepAlive = false;
      break;
  }
}

function storeHeader(
  state: HeadState,
  name: string,
  value: OutgoingHttpHeader | readonly string[] | undefined,
): void {
  if (typeof name !== 'string' || name === '' || !httpToken.test(name))
    throw new HeaderError(
      'ERR_INVALID_HTTP_TOKEN',
      `header name must be a valid HTTP token ["${name}"]`,
    );
  if (Array.isArray(value)) {
    if (value.length >= 2 && name.length === 6 && name.toLowerCase() === 'cookie') {
      storeField(state, name, value.join('; '));
      return;
    }
    for (const one of value) storeField(state, name, one);
    return;
  }
  storeField(state, name, value as OutgoingHttpHeader);
}

export class FastResponse extends EventEmitter implements EdgeResponse {
  statusCode = 200;
  writable = true;
  destroyed = false;
  private readonly socket: Socket;
  private readonly keepAliveTimeoutMs: number;
  private readonly onFinish: (response: FastResponse) => void;
  /** The head, built by writeHead and sent with the first body bytes. */
  private head: string | undefined;
  private headSent = false;
  private hasBody = true;
  private chunked = false;
  private finished = false;
  private closed = false;
  /** The connection must close after this response (Connection: close was written). */
  last = false;

  constructor(
    socket: Socket,
    keepAliveTimeoutMs: number,
    /** An answer to HEAD: fields only, as node:http sends it (no framing added, no body). */
    head: boolean,
    /** Called once the whole response is queued on the socket (not when destroyed). */
    onFinish: (response: FastResponse) => void,
  ) {
    super();
    this.socket = socket;
    this.keepAliveTimeoutMs = keepAliveTimeoutMs;
    this.onFinish = onFinish;
    if (head) this.hasBody = false;
  }

  get headersSent(): boolean {
    return this.head !== undefined;
  }

  get writableNeedDrain(): boolean {
    return this.socket.writableNeedDrain;
  }

  writeHead(statusCode: number, headers?: OutgoingHttpHeaders | OutgoingHttpHeader[]): this {
    if (this.head !== undefined)
      throw new HeaderError('ERR_HTTP_HEADERS_SENT', 'Cannot write headers after they are sent');
    const status = statusCode | 0;
    if (status < 100 || status > 999)
      throw new HeaderError('ERR_HTTP_INVALID_STATUS_CODE', `Invalid status code: ${statusCode}`);
    this.statusCode = status;
    if (status === 204 || status === 304 || status < 200) this.hasBody = false;
    const state = newHeadState(status, undefined);
    if (Array.isArray(headers)) {
      if (headers.length % 2 !== 0)
        throw new HeaderError('ERR_INVALID_ARG_VALUE', 'headers must be name/value pairs');
      for (let i = 0; i < headers.length; i += 2)
        storeHeader(state, headers[i] as string, headers[i + 1] as OutgoingHttpHeader);
    } else if (headers !== undefined) {
      for (const name in headers)
        if (Object.hasOwn(headers, name)) storeHeader(state, name, headers[name]);
    }
    this.finishHead(state);
    return this;
  }

  private finishHead(state: HeadState): void {
    let text = state.text;
    if (!state.date) text += dateLine(Date.now());
    let chunked = state.chunked;
    let last = state.last;
    if (chunked && (this.statusCode === 204 || this.statusCode === 304)) {
      chunked = false;
      last = true;
    }
    if (!state.connection) {
      if (last) text += 'Connection: close\r\n';
      else text += keepAliveLines(this.keepAliveTimeoutMs, !state.defaultKeepAlive);
    }
    if (!state.contentLength && !state.transferEncoding) {
      if (!this.hasBody) chunked = false;
      else if (state.contentLengthValue !== undefined)
        text += `Content-Length: ${state.contentLengthValue}\r\n`;
      else {
        text += 'Transfer-Encoding: chunked\r\n';
        chunked = true;
      }
    }
    if (!chunked && state.trailer)
      throw new HeaderError(
        'ERR_HTTP_TRAILER_INVALID',
        'Trailers are invalid with this transfer encoding',
      );
    this.chunked = chunked;
    this.last = last;
    this.head = `${text}\r\n`;
  }

  /** node:http's implicit head (status and Date only) for end() without writeHead. */
  private implicitHead(contentLength: number | undefined): void {
    const state = newHeadState(this.statusCode, contentLength);
    if (this.statusCode === 204 || this.statusCode === 304) this.hasBody = false;
    this.finishHead(state);
  }

  write(chunk: string | Uint8Array, ...rest: unknown[]): boolean {
    const callback = rest.find((one) => typeof one === 'function') as (() => void) | undefined;
    if (this.finished || this.destroyed) return false;
    if (this.head === undefined) this.implicitHead(undefined);
    const ok = this.send(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, false);
    callback?.();
    return ok;
  }

  end(...args: unknown[]): this {
    if (this.finished || this.destroyed) return this;
    const chunk = args.find((one) => typeof one === 'string' || one instanceof Uint8Array) as
      | string
      | Uint8Array
      | undefined;
    const body = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (this.head === undefined) this.implicitHead(body?.length ?? 0);
    this.finished = true;
    this.writable = false;
    this.send(body, true);
    if (this.last) this.socket.end();
    this.emit('finish');
    this.onFinish(this);
    return this;
  }

  /**
   * Head (the first time), framing and body as one write: one Buffer when it is small (a miss
   * of a small object is then a single send), else a corked writev that references the body.
   */
  private send(body: Uint8Array | undefined, final: boolean): boolean {
    const socket = this.socket;
    let prefix = '';
    if (!this.headSent && this.head !== undefined) {
      prefix = this.head;
      this.headSent = true;
    }
    const withBody = this.hasBody && body !== undefined && body.length > 0;
    let suffix = '';
    if (withBody && this.chunked) {
      prefix += `${body.length.toString(16)}\r\n`;
      suffix = '\r\n';
    }
    if (final && this.chunked && this.hasBody) suffix += '0\r\n\r\n';
    const callback = final ? this.closeSoon : undefined;
    if (!withBody) {
      const text = prefix + suffix;
      if (text.length > 0) return socket.write(text, 'latin1', callback);
      // Nothing left to write: the earlier writes are queued in order, so 'close' may follow.
      if (final) queueMicrotask(this.closeSoon);
      return !socket.writableNeedDrain;
    }
    if (prefix.length + suffix.length === 0) return socket.write(body, callback);
    if (body.length <= joinMaxBytes) {
      const joined = Buffer.allocUnsafe(prefix.length + body.length + suffix.length);
      joined.write(prefix, 0, 'latin1');
      joined.set(body, prefix.length);
      if (suffix.length > 0) joined.write(suffix, prefix.length + body.length, 'latin1');
      return socket.write(joined, callback);
    }
    socket.cork();
    if (prefix.length > 0) socket.write(prefix, 'latin1');
    let ok = socket.write(body, suffix.length > 0 ? undefined : callback);
    if (suffix.length > 0) ok = socket.write(suffix, 'latin1', callback);
    socket.uncork();
    return ok;
  }

  /** Once the last bytes are handed to the kernel: 'close', as node:http emits it. */
  private readonly closeSoon = (): void => {
    this.emitClose();
  };

  destroy(error?: Error): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.writable = false;
    this.socket.destroy(error);
    this.emitClose();
    return this;
  }

  /** The connection's socket closed: a response in progress is cut off. */
  socketClosed(): void {
    if (this.closed) return;
    this.destroyed = true;
    this.writable = false;
    this.emitClose();
  }

  private emitClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
  }

  writeProcessing(): void {
    if (this.headSent || this.destroyed) return;
    this.socket.write('HTTP/1.1 102 Processing\r\n\r\n', 'latin1');
  }

  writeEarlyHints(hints: Record<string, string | string[]>): void {
    if (this.headSent || this.destroyed) return;
    const links = hints.link;
    if (links === undefined || links === null) return;
    const list = typeof links === 'string' ? [links] : links;
    for (const one of list)
      if (typeof one !== 'string' || !linkValue.test(one))
        throw new HeaderError('ERR_INVALID_ARG_VALUE', 'invalid Link value in early hints');
    const link = list.join(', ');
    if (link.length === 0) return;
    let head = `HTTP/1.1 103 Early Hints\r\nLink: ${link}\r\n`;
    for (const name of Object.keys(hints))
      if (name !== 'link') head += `${name}: ${hints[name]}\r\n`;
    this.socket.write(`${head}\r\n`, 'latin1');
  }
}
