// One keep-alive socket to an origin, carrying one exchange at a time (no pipelining): it writes
// the pre-serialised head (and streams a request body), scans the response head, reads the body
// by its framing into an UpstreamBody, and tells its pool whether the socket can be reused.
// Timeouts are inactivity limits per phase (connect, first byte, idle between body chunks,
// keep-alive while pooled), checked by the pool's periodic sweep (checkTimeout) against the time
// of the last read or write, not by socket.setTimeout: Node builds a new timer for every
// setTimeout call and refreshes it on every read and write, ~2% of a miss.
import { connect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import {
  type BodyController,
  classifyUpstreamError,
  UpstreamBody,
  UpstreamError,
  type UpstreamRequest,
  type UpstreamResponse,
} from '../upstream-types.ts';
import { ChunkedDecoder } from './chunked-decoder.ts';
import { type BodyFraming, responseFraming } from './framing.ts';
import type { SerialisedRequest } from './request-head.ts';
import { MalformedResponseError, ResponseHeadScanner } from './response-head.ts';

export interface PendingExchange {
  request: UpstreamRequest;
  serialised: SerialisedRequest;
  resolve(response: UpstreamResponse): void;
  reject(error: UpstreamError): void;
  /** Already retried once on a fresh connection. */
  retried: boolean;
}

export interface ConnectionTimeouts {
  connectTimeoutMs: number;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
}

/** What a connection reports to its pool. */
export interface ConnectionOwner {
  /** The exchange is over; `keepAliveMs` > 0 when the socket may carry another one. */
  exchangeDone(connection: OriginConnection, keepAliveMs: number): void;
  /** The socket is gone (closed, failed, timed out while idle). */
  closed(connection: OriginConnection): void;
  /** A reused socket died before answering: send this exchange again on a fresh connection. */
  retry(connection: OriginConnection, exchange: PendingExchange): void;
}

export interface ConnectionSettings extends ConnectionTimeouts {
  host: string;
  port: number;
  /** Keep-alive time of an idle socket when the origin names none (Keep-Alive: timeout=N). */
  keepAliveMs: number;
}

/** Bytes of a dropped body read to the end (so the socket is reused) rather than closed on. */
export const discardLimit = 256 * 1024;
/** Subtracted from the origin's Keep-Alive timeout, as undici does, so we close first. */
const keepAliveMarginMs = 2000;

/**
 * Every origin socket of the process reads into this one buffer (net's `onread`), instead of a new
 * Buffer per read pushed through a Readable: reads are handled synchronously, and what outlives
 * a read (body chunks, a partial head) is copied out of it.
 */
const readBuffer = Buffer.allocUnsafe(64 * 1024);

/** Methods nginx does not resend on another connection (proxy_next_upstream, non_idempotent). */
const nonIdempotent = new Set(['POST', 'PATCH', 'LOCK']);

type Phase = 'connecting' | 'idle' | 'head' | 'body' | 'closed';

/**
 * A body's hold on its connection, valid only while that body's exchange is the connection's
 * current one: a reader that drops or takes from a finished body (fill.ts does, after a 304)
 * must not pause, resume or abandon the next exchange on the same socket.
 */
class BodyHold implements BodyController {
  private readonly connection: OriginConnection;
  private readonly exchange: number;

  constructor(connection: OriginConnection, exchange: number) {
    this.connection = connection;
    this.exchange = exchange;
  }

  get paused(): boolean {
    return this.connection.exchangeNumber === this.exchange && this.connection.paused;
  }

  pause(): void {
    if (this.connection.exchangeNumber === this.exchange) this.connection.pause();
  }

  resume(): void {
    if (this.connection.exchangeNumber === this.exchange) this.connection.resume();
  }

  discard(): void {
    if (this.connection.exchangeNumber === this.exchange) this.connection.discard();
  }
}

export class OriginConnection {
  readonly socket: Socket;
  private readonly owner: ConnectionOwner;
  private readonly settings: ConnectionSettings;
  private phase: Phase = 'connecting';
  private connected = false;
  /** Exchanges this socket completed: a failure before any byte on a used socket is retried. */
  private served = 0;
  private exchange: PendingExchange | undefined;
  private readonly scanner = new ResponseHeadScanner();
  private method = 'GET';
  private framing: BodyFraming = { kind: 'none' };
  private remaining = 0;
  private decoder: ChunkedDecoder | undefined;
  private body: UpstreamBody | undefined;
  private responseStarted = false;
  private requestDone = true;
  private responseDone = true;
  private reusable = false;
  private keepAliveMs = 0;
  private discarded = 0;
  private requestBody: Readable | undefined;
  private detachRequestBody: (() => void) | undefined;
  /** Date.now() of the last read, write or phase change: the current limit counts from here. */
  private activeAt = Date.now();
  /** Inactivity limit of the current phase in ms; 0 for none. */
  private timeoutMs: number;
  paused = false;
  /** Counts the exchanges started on this socket; a BodyHold acts only on its own. */
  exchangeNumber = 0;

  constructor(owner: ConnectionOwner, settings: ConnectionSettings) {
    this.owner = owner;
    this.settings = settings;
    const socket = connect({
      host: settings.host,
      port: settings.port,
      onread: {
        buffer: readBuffer,
        callback: (bytes: number, buffer: Uint8Array) => {
          this.onData(Buffer.from(buffer.buffer, buffer.byteOffset, bytes));
          return true; // keep reading; a paused body pauses the socket itself
        },
      },
    });
    this.socket = socket;
    socket.setNoDelay(true);
    this.timeoutMs = settings.connectTimeoutMs;
    socket.on('connect', () => {
      this.connected = true;
      if (this.phase === 'head') this.limit(this.settings.firstByteTimeoutMs);
    });
    socket.on('end', () => this.onEnd());
    socket.on('error', (error) => this.onError(error));
    socket.on('close', () => this.onClose());
  }

  get idle(): boolean {
    return this.phase === 'idle';
  }

  /** Sends an exchange on this socket (fresh, or taken from the pool's idle ones). */
  start(exchange: PendingExchange): void {
    this.exchange = exchange;
    this.exchangeNumber++;
    this.method = exchange.request.method;
    this.responseStarted = false;
    this.responseDone = false;
    this.body = undefined;
    this.decoder = undefined;
    this.discarded = 0;
    this.paused = false;
    this.scanner.reset();
    if (this.phase === 'idle') this.socket.ref();
    this.phase = 'head';
    if (this.connected) this.limit(this.settings.firstByteTimeoutMs);
    const { serialised } = exchange;
    const body = exchange.request.body;
    if (serialised.bodyFraming === 'none' || body == null) {
      this.requestDone = true;
      this.socket.write(serialised.head);
    } else {
      this.requestDone = false;
      this.socket.write(serialised.head);
      this.streamRequestBody(body, serialised);
    }
  }

  /** Parks the socket in the pool: keep-alive timer on, no hold on the event loop. */
  park(keepAliveMs: number): void {
    this.phase = 'idle';
    this.limit(keepAliveMs);
    this.socket.unref();
  }

  /** Called by the pool's sweep: acts on a phase that saw no read or write for its limit. */
  checkTimeout(nowMs: number): void {
    if (this.timeoutMs > 0 && nowMs - this.activeAt >= this.timeoutMs) this.onTimeout();
  }

  /** Ends the socket; a running exchange fails with `error`. */
  destroy(error?: UpstreamError): void {
    if (this.phase === 'closed') return;
    if (error !== undefined && this.exchange !== undefined) this.failExchange(error);
    this.phase = 'closed';
    this.timeoutMs = 0;
    this.stopRequestBody();
    this.socket.destroy();
  }

  /** Starts the inactivity limit of a new phase. */
  private limit(timeoutMs: number): void {
    this.timeoutMs = timeoutMs;
    this.activeAt = Date.now();
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.socket.pause();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    // The idle limit counts again from now, not from before the reader paused.
    if (this.phase === 'body') this.activeAt = Date.now();
    this.socket.resume();
  }

  /** The reader dropped the body: read a short known rest to the end, else close the socket. */
  discard(): void {
    if (this.phase !== 'body') return;
    if (
      this.framing.kind === 'close' ||
      (this.framing.kind === 'length' && this.remaining > discardLimit)
    ) {
      this.abandon();
    }
  }

  private streamRequestBody(body: Readable, serialised: SerialisedRequest): void {
    const socket = this.socket;
    const chunked = serialised.bodyFraming === 'chunked';
    let sent = 0;
    let waitingForDrain = false;
    this.requestBody = body;
    const onDrain = () => {
      this.activeAt = Date.now();
      waitingForDrain = false;
      body.resume();
    };
    const onData = (data: Buffer | string) => {
      const chunk = typeof data === 'string' ? Buffer.from(data) : data;
      if (chunk.length === 0) return; // an empty chunk would end a chunked body
      sent += chunk.length;
      this.activeAt = Date.now();
      if (!chunked && sent > serialised.contentLength) {
        this.destroy(new UpstreamError('reset', new Error('request body longer than declared')));
        return;
      }
      let flushed: boolean;
      if (chunked) {
        socket.cork();
        socket.write(`${chunk.length.toString(16)}\r\n`, 'latin1');
        socket.write(chunk);
        flushed = socket.write('\r\n', 'latin1');
        socket.uncork();
      } else {
        flushed = socket.write(chunk);
      }
      if (!flushed && !waitingForDrain) {
        waitingForDrain = true;
        body.pause();
        socket.once('drain', onDrain);
      }
    };
    const onEnd = () => {
      this.detachRequestBody?.();
      if (!chunked && sent !== serialised.contentLength) {
        this.destroy(new UpstreamError('reset', new Error('request body shorter than declared')));
        return;
      }
      if (chunked) socket.write('0\r\n\r\n', 'latin1');
      this.requestDone = true;
      if (this.responseDone && this.exchange !== undefined) this.finishExchange();
    };
    const onFailure = (error?: unknown) => {
      this.destroy(
        new UpstreamError('reset', error ?? new Error('request body closed before its end')),
      );
    };
    const onClose = () => {
      if (!body.readableEnded) onFailure();
    };
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', onFailure);
    body.on('close', onClose);
    this.detachRequestBody = () => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onFailure);
      body.off('close', onClose);
      socket.off('drain', onDrain);
      this.detachRequestBody = undefined;
      this.requestBody = undefined;
    };
    if (body.readableEnded) onEnd();
    else if (body.destroyed) onFailure();
    else if (body.isPaused()) body.resume();
  }

  /**
   * Stops sending the request body (the exchange ended before it did). The rest is read and
   * dropped, as node:http dumps an unread request, so the client's connection is not stalled.
   */
  private stopRequestBody(): void {
    const body = this.requestBody;
    if (body === undefined) return;
    this.detachRequestBody?.();
    body.resume();
  }

  private onData(chunk: Buffer): void {
    this.activeAt = Date.now();
    let at = 0;
    try {
      while (at < chunk.length) {
        if (this.phase === 'head') at = this.readHead(chunk, at);
        else if (this.phase === 'body') at = this.readBody(chunk, at);
        else {
          // Bytes with no exchange to read them: the origin is out of step; never reuse.
          this.destroy(new UpstreamError('reset', new MalformedResponseError('unexpected data')));
          return;
        }
      }
    } catch (error) {
      this.destroy(classifyUpstreamError(error));
    }
  }

  private readHead(chunk: Buffer, at: number): number {
    this.responseStarted = true;
    const scanned = this.scanner.push(chunk, at);
    if (scanned === undefined) return chunk.length;
    const { head } = scanned;
    const exchange = this.exchange as PendingExchange;
    if (head.status < 200) {
      if (head.status === 101) throw new MalformedResponseError('101 without an upgrade request');
      exchange.request.onInterim?.(head.status, head.headers);
      return scanned.next;
    }
    const framing = responseFraming(head, this.method);
    this.framing = framing.body;
    this.reusable = framing.reusable;
    this.keepAliveMs = this.settings.keepAliveMs;
    if (framing.keepAliveSeconds !== undefined) {
      this.keepAliveMs = Math.min(
        this.keepAliveMs,
        framing.keepAliveSeconds * 1000 - keepAliveMarginMs,
      );
      if (this.keepAliveMs <= 0) this.reusable = false;
    }
    const body = new UpstreamBody(new BodyHold(this, this.exchangeNumber));
    this.body = body;
    this.phase = 'body';
    this.limit(this.settings.idleTimeoutMs);
    exchange.resolve({ status: head.status, headers: head.headers, body });
    if (framing.body.kind === 'none') {
      this.completeResponse(scanned.next, chunk.length);
    } else if (framing.body.kind === 'length') {
      this.remaining = framing.body.length;
      if (this.remaining === 0) this.completeResponse(scanned.next, chunk.length);
    } else if (framing.body.kind === 'chunked') {
      this.decoder = new ChunkedDecoder();
    }
    return scanned.next;
  }

  private readBody(chunk: Buffer, at: number): number {
    const framing = this.framing;
    if (framing.kind === 'length') {
      const take = Math.min(this.remaining, chunk.length - at);
      this.pushBody(chunk.subarray(at, at + take));
      this.remaining -= take;
      if (this.remaining === 0 && this.phase === 'body')
        this.completeResponse(at + take, chunk.length);
      return at + take;
    }
    if (framing.kind === 'chunked') {
      const decoder = this.decoder as ChunkedDecoder;
      const next = decoder.decode(chunk, at, (data) => this.pushBody(data));
      if (decoder.done && this.phase === 'body') this.completeResponse(next, chunk.length);
      return next;
    }
    this.pushBody(at === 0 ? chunk : chunk.subarray(at));
    return chunk.length;
  }

  private pushBody(data: Buffer): void {
    const body = this.body;
    if (body === undefined) return; // abandoned earlier in this read
    if (body.discarding) {
      this.discarded += data.length;
      if (this.discarded > discardLimit) this.abandon();
      return;
    }
    body.push(Buffer.from(data)); // a copy: `data` is a view of the shared read buffer
  }

  /** The response was read whole; `next` < `end` means the origin sent more than one response. */
  private completeResponse(next: number, end: number): void {
    this.responseDone = true;
    if (next < end) this.reusable = false;
    this.body?.end();
    if (!this.requestDone) {
      // The origin answered before taking the whole request body: the socket is out of step.
      this.reusable = false;
      this.stopRequestBody();
      this.requestDone = true;
    }
    this.finishExchange();
  }

  /** The reader left and the rest is not worth reading: close instead of reusing. */
  private abandon(): void {
    this.reusable = false;
    this.responseDone = true;
    this.body?.end();
    this.finishExchange();
  }

  private finishExchange(): void {
    this.exchange = undefined;
    this.exchangeNumber++; // the finished body's hold lets go
    this.body = undefined;
    this.served++;
    if (this.paused) {
      this.paused = false;
      this.socket.resume();
    }
    const keepAliveMs = this.reusable && this.phase !== 'closed' ? this.keepAliveMs : 0;
    if (keepAliveMs <= 0) this.destroy();
    else this.phase = 'idle';
    this.owner.exchangeDone(this, keepAliveMs);
  }

  private failExchange(error: UpstreamError): void {
    const exchange = this.exchange;
    if (exchange === undefined) return;
    this.exchange = undefined;
    this.exchangeNumber++;
    if (this.body !== undefined) {
      this.body.fail(error);
      this.body = undefined;
    } else {
      exchange.reject(error);
    }
  }

  /** A used socket that the origin closed before answering: retry where that is safe. */
  private retryable(): boolean {
    const exchange = this.exchange;
    return (
      exchange !== undefined &&
      !exchange.retried &&
      this.served > 0 &&
      !this.responseStarted &&
      exchange.request.body == null &&
      !nonIdempotent.has(exchange.request.method)
    );
  }

  private retry(): void {
    const exchange = this.exchange as PendingExchange;
    this.exchange = undefined;
    this.phase = 'closed';
    this.socket.destroy();
    exchange.retried = true;
    this.owner.retry(this, exchange);
  }

  private onEnd(): void {
    if (this.phase === 'body' && this.framing.kind === 'close') {
      this.reusable = false;
      this.completeResponse(0, 0);
      return;
    }
    if (this.phase === 'head' && this.retryable()) {
      this.retry();
      return;
    }
    if (this.exchange !== undefined) {
      const closed = Object.assign(new Error('origin closed the connection'), {
        code: 'UND_ERR_SOCKET',
      });
      this.destroy(new UpstreamError('reset', closed));
      return;
    }
    this.destroy();
  }

  private onError(error: Error): void {
    if (this.phase === 'head' && this.retryable()) {
      this.retry();
      return;
    }
    this.destroy(classifyUpstreamError(error));
  }

  private onTimeout(): void {
    if (this.phase === 'closed') return;
    if (this.phase === 'idle') {
      this.destroy();
    } else if (!this.connected) {
      this.destroy(new UpstreamError('timeout', new Error('connect timeout')));
    } else if (this.phase === 'head') {
      this.destroy(new UpstreamError('timeout', new Error('no response head in time')));
    } else if (this.phase === 'body' && !this.paused) {
      // A paused body waits on the edge's reader, not on the origin (undici does the same).
      this.destroy(new UpstreamError('timeout', new Error('origin body idle too long')));
    }
  }

  private onClose(): void {
    if (this.exchange !== undefined) {
      this.failExchange(new UpstreamError('reset', new Error('origin connection closed')));
    }
    this.stopRequestBody();
    this.phase = 'closed';
    this.owner.closed(this);
  }
}
