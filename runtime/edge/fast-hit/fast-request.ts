// A plain request (plain-request.ts) as the handler reads it: what node:http's IncomingMessage
// would give for the same bytes (method, url, lower-case headers, rawHeaders in wire order with
// their own case, the socket's address). A GET or HEAD without a body: no stream is needed.
import type { Socket } from 'node:net';
import type { EdgeRequest } from '../exchange.ts';
import type { PlainRequest } from './plain-request.ts';

const CR = 13;
const COLON = 58;
const SP = 32;
const HTAB = 9;

/**
 * The field lines of the checked head `buf[start, end)` as [name, value, ...]: names as sent,
 * values without surrounding whitespace (as llhttp gives them). Only the handler's slower
 * paths read these, so they are cut out on first use.
 */
export function rawHeadersOf(buf: Buffer, start: number, end: number): string[] {
  const out: string[] = [];
  let i = buf.indexOf('\r\n', start, 'latin1') + 2;
  while (i < end && buf[i] !== CR) {
    const colon = buf.indexOf(COLON, i);
    const lineEnd = buf.indexOf('\r\n', colon, 'latin1');
    let valueStart = colon + 1;
    while (buf[valueStart] === SP || buf[valueStart] === HTAB) valueStart++;
    let valueEnd = lineEnd;
    while (valueEnd > valueStart && (buf[valueEnd - 1] === SP || buf[valueEnd - 1] === HTAB))
      valueEnd--;
    out.push(buf.toString('latin1', i, colon), buf.toString('latin1', valueStart, valueEnd));
    i = lineEnd + 2;
  }
  return out;
}

export class FastRequest implements EdgeRequest {
  readonly method: PlainRequest['method'];
  readonly url: string;
  readonly headers: PlainRequest['headers'];
  readonly socket: Socket;
  private raw: string[] | undefined;
  private readonly buf: Buffer;
  private readonly start: number;
  private readonly end: number;

  constructor(request: PlainRequest, socket: Socket, buf: Buffer, start: number, end: number) {
    this.method = request.method;
    this.url = request.target;
    this.headers = request.headers;
    this.socket = socket;
    this.buf = buf;
    this.start = start;
    this.end = end;
  }

  get rawHeaders(): string[] {
    if (this.raw === undefined) this.raw = rawHeadersOf(this.buf, this.start, this.end);
    return this.raw;
  }
}
