// What the edge's origin clients (undici for https: origins, origin-client/ for http: ones)
// hand to fill.ts: the request, the response with lower-case header names, the body with
// backpressure, and failures classified for the edge's 502/504 answers.
import type { Readable } from 'node:stream';
import { errors } from 'undici';

/**
 * The body's hold on the connection it arrives on: undici's DispatchController, or the raw
 * client's connection. pause() stops reading the origin; resume() reads on.
 */
export interface BodyController {
  readonly paused: boolean;
  pause(): void;
  resume(): void;
  /** Called once when the reader drops the body (UpstreamBody.resume()). */
  discard?(): void;
}

export interface UpstreamRequest {
  origin: string;
  path: string;
  method: string;
  headers: string[];
  body?: Readable | null;
  /** Interim (1xx) responses from the origin, before the final one. */
  onInterim?: (status: number, headers: Record<string, string | string[]>) => void;
}

export interface UpstreamResponse {
  status: number;
  /** Lower-case names; repeated headers as arrays (Set-Cookie). */
  headers: Record<string, string | string[]>;
  body: UpstreamBody;
}

export type UpstreamFailure = 'connect' | 'timeout' | 'reset';

export class UpstreamError extends Error {
  readonly failure: UpstreamFailure;
  constructor(failure: UpstreamFailure, cause: unknown) {
    super(`origin ${failure === 'timeout' ? 'timed out' : `failed (${failure})`}`, { cause });
    this.name = 'UpstreamError';
    this.failure = failure;
  }
}

export function classifyUpstreamError(error: unknown): UpstreamError {
  if (error instanceof UpstreamError) return error;
  if (
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError ||
    error instanceof errors.ConnectTimeoutError
  ) {
    return new UpstreamError('timeout', error);
  }
  const code = (error as { code?: string }).code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') {
    return new UpstreamError('connect', error);
  }
  return new UpstreamError('reset', error);
}

/** Bytes queued in an UpstreamBody before the origin connection is paused. */
export const highWaterMark = 64 * 1024;

/**
 * An origin response body as it arrives. Read it with take() (the chunks queued so far) and
 * wait() (until more arrive, it ends or fails), or drop it with resume().
 */
export class UpstreamBody {
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private finished = false;
  private failure: UpstreamError | undefined;
  private discarding_ = false;
  private wake: (() => void) | undefined;
  private readonly controller: BodyController;

  constructor(controller: BodyController) {
    this.controller = controller;
  }

  /** True once resume() was called: chunks pushed from then on are dropped. */
  get discarding(): boolean {
    return this.discarding_;
  }

  /** Bytes pushed and not yet taken (bounded by highWaterMark plus one read of the origin). */
  get bufferedBytes(): number {
    return this.queuedBytes;
  }

  /** True once the origin sent the whole body and every chunk was taken. */
  get ended(): boolean {
    return this.finished && this.queue.length === 0;
  }

  /** The chunks that arrived since the last call, in order; throws when the body broke off. */
  take(): Buffer[] {
    if (this.failure !== undefined) throw this.failure;
    const chunks = this.queue;
    if (chunks.length === 0) return chunks;
    this.queue = [];
    this.queuedBytes = 0;
    if (this.controller.paused) this.controller.resume();
    return chunks;
  }

  /** Resolves when chunks arrive, the body ends, or it fails. */
  wait(): Promise<void> {
    if (this.queue.length > 0 || this.finished || this.failure !== undefined)
      return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  /** Reads and drops the rest of the body, so the connection goes back to the pool. */
  resume(): void {
    this.discarding_ = true;
    this.queue = [];
    this.queuedBytes = 0;
    this.controller.discard?.();
    if (this.controller.paused) this.controller.resume();
  }

  /** The whole body as async iterable chunks (for callers that want a stream-like read). */
  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for (;;) {
      const chunks = this.take();
      for (const chunk of chunks) yield chunk;
      if (this.ended) return;
      await this.wait();
    }
  }

  /** @internal from the client reading the origin */
  push(chunk: Buffer): void {
    if (this.discarding_) return;
    this.queue.push(chunk);
    this.queuedBytes += chunk.length;
    if (this.queuedBytes > highWaterMark) this.controller.pause();
    this.signal();
  }

  /** @internal */
  end(): void {
    this.finished = true;
    this.signal();
  }

  /** @internal */
  fail(error: unknown): void {
    if (this.finished) return;
    this.failure = classifyUpstreamError(error);
    this.signal();
  }

  private signal(): void {
    const wake = this.wake;
    if (wake === undefined) return;
    this.wake = undefined;
    wake();
  }
}
