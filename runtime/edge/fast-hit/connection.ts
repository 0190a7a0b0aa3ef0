// One client connection on the fast path. Each chunk is cut at the end of each request head;
// while heads are plain (plain-request.ts) they are answered here, in order: plain fresh hits
// with one write each (one writev for a pipelined batch), any other plain GET or HEAD (a miss,
// a conditional, a Range, a stale or uncacheable object...) by the edge's handler writing to a FastResponse,
// the same bytes node:http would write. Reading stops while the handler works and goes on with
// the bytes that came meanwhile once its response is queued. The first request that is not
// plain, or a head split across reads, hands the connection (with the bytes not yet answered)
// to node:http for the rest of its life, so every edge case keeps node:http's parsing. Nothing
// is written for a request before every earlier one is written, so answers stay in order.
import type { Socket } from 'node:net';
import type { EdgeContext } from '../context.ts';
import type { EdgeRequest, EdgeResponse } from '../exchange.ts';
import type { BodyFiles } from '../zero-copy/body-files.ts';
import { socketFd, type ZeroCopy } from '../zero-copy/index.ts';
import { type FastAnswer, fastAnswer } from './answer.ts';
import { FastRequest } from './fast-request.ts';
import { FastResponse } from './fast-response.ts';
import { type PlainRequest, plainRequest } from './plain-request.ts';

const headEnd = Buffer.from('\r\n\r\n', 'latin1');

export interface FastHitStats {
  /** Plain fresh hits answered by the fast path. */
  served: number;
  /** Other plain requests answered by the handler on a fast connection (misses and the like). */
  handled: number;
  /** Connections handed to node:http. */
  handedOver: number;
  /** Fast hits whose body went out with sendfile, whole or in part (zero-copy/). */
  sentFromFile: number;
}

/** What the front's sweep asks of a fast connection. */
export interface FastConnection {
  /** Hands an idle new connection to node:http or closes an idle kept-alive one. */
  sweep(nowMs: number): void;
  /** Ends the connection now, or after the answer the handler is making (closeIdleConnections). */
  endWhenIdle(): void;
}

export interface FastFront {
  readonly ctx: EdgeContext;
  readonly maxHeaderBytes: number;
  readonly maxHeaderCount: number;
  /** Before the first request (node:http's headersTimeout) and between requests. */
  readonly headersTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly stats: FastHitStats;
  /** This thread's body files (and through them the addon), when zero-copy sends are on. */
  readonly bodyFiles: BodyFiles | undefined;
  /** Fast connections: idle sweeps, closeIdleConnections and closeAllConnections. */
  readonly open: Map<Socket, FastConnection>;
  /** node:http's own connection listener. */
  handOver(socket: Socket): void;
  /** The edge's request handler (handler.ts), for plain requests that are not fast hits. */
  handle(req: EdgeRequest, res: EdgeResponse): void;
}

/** Bytes a client may send ahead while the handler answers an earlier request on its connection. */
const maxAheadBytes = 64 * 1024;

function write(front: FastFront, socket: Socket, answer: FastAnswer): void {
  // From the file only when nothing is queued before it: the addon writes to the socket itself.
  if (
    answer.file !== undefined &&
    front.bodyFiles !== undefined &&
    socket.writableLength === 0 &&
    socket.writableCorked === 0 &&
    sendFromFile(front.bodyFiles.addon, socket, answer, answer.file)
  ) {
    front.stats.sentFromFile++;
    return;
  }
  if (answer.whole !== undefined) {
    socket.write(answer.whole);
    return;
  }
  // Corked, the two writes leave as one writev that references the stored body (no copy).
  socket.cork();
  socket.write(answer.head);
  socket.write(answer.body);
  socket.uncork();
}

/**
 * Sends the head and the body's file as far as the socket takes them now and queues the rest on
 * the socket as usual; false when nothing was sent (the caller writes it all, and meets any error
 * of the socket on Node's own path).
 */
function sendFromFile(addon: ZeroCopy, socket: Socket, answer: FastAnswer, file: number): boolean {
  const fd = socketFd(socket);
  if (fd === undefined) return false;
  const sent = addon.send(fd, answer.head, file, answer.body.length);
  if (sent <= 0) return false;
  const headLength = answer.head.length;
  if (sent < headLength) {
    socket.cork();
    socket.write(answer.head.subarray(sent));
    socket.write(answer.body);
    socket.uncork();
  } else if (sent < headLength + answer.body.length) {
    socket.write(answer.body.subarray(sent - headLength));
  }
  return true;
}

export function serveConnection(front: FastFront, socket: Socket): void {
  const { ctx, stats } = front;
  let served = 0;
  // Idle time is read from this stamp by the front's sweep (index.ts) rather than with
  // socket.setTimeout, whose timer Node re-arms on every read and write (~2.5% of a hit).
  let lastActiveMs = Date.now();
  /** The handler's response in progress, if any; `ahead` holds what arrived meanwhile. */
  let current: FastResponse | undefined;
  let ahead: Buffer | undefined;
  let endAfterCurrent = false;

  const onData = (chunk: Buffer): void => {
    if (current !== undefined) {
      ahead = ahead === undefined ? chunk : Buffer.concat([ahead, chunk]);
      if (ahead.length > maxAheadBytes) socket.pause();
      return;
    }
    serveChunk(chunk);
  };

  function serveChunk(chunk: Buffer): void {
    if (socket.writableEnded) {
      // closeIdleConnections ended it: nothing more is answered (node:http does the same).
      socket.destroy();
      return;
    }
    const nowMs = Date.now();
    lastActiveMs = nowMs;
    let offset = 0;
    let corked = false;
    while (offset < chunk.length) {
      const end = chunk.indexOf(headEnd, offset);
      const next = end + 4;
      if (end === -1 || next - offset > front.maxHeaderBytes) break;
      const startedAt = performance.now();
      let request: PlainRequest | undefined;
      let answer: FastAnswer | undefined;
      try {
        request = plainRequest(chunk, offset, next, front.maxHeaderCount);
        answer =
          request?.plainHit === true
            ? fastAnswer(ctx, request, nowMs, front.keepAliveTimeoutMs, front.bodyFiles)
            : undefined;
      } catch (error) {
        // A fault here must not take the worker down: the full handler answers instead.
        ctx.observer.logger.error({ err: error }, 'fast path lookup failed');
        answer = undefined;
      }
      if (request === undefined) break;
      if (answer === undefined) {
        if (corked) socket.uncork();
        const rest = next < chunk.length ? chunk.subarray(next) : undefined;
        handle(new FastRequest(request, socket, chunk, offset, next), rest);
        return;
      }
      if (!corked && next < chunk.length) {
        socket.cork();
        corked = true;
      }
      write(front, socket, answer);
      ctx.observer.request({
        site: answer.site.id,
        method: 'GET',
        path: request.target,
        status: answer.status,
        cache: 'hit',
        bytes: answer.body.length,
        startedAt,
      });
      served++;
      stats.served++;
      offset = next;
    }
    if (corked) socket.uncork();
    if (offset < chunk.length) {
      handOver(offset === 0 ? chunk : chunk.subarray(offset));
      return;
    }
    // A client that sends faster than it reads: stop reading until the answers drain.
    if (socket.writableNeedDrain) socket.pause();
  }

  /** Runs the handler for a plain request; reading goes on once its response is queued. */
  function handle(request: FastRequest, rest: Buffer | undefined): void {
    ahead = rest;
    const response = new FastResponse(
      socket,
      front.keepAliveTimeoutMs,
      request.method === 'HEAD',
      finished,
    );
    current = response;
    try {
      front.handle(request, response);
    } catch (error) {
      // node:http would let this escape and end the process; one connection is enough.
      ctx.observer.logger.error({ err: error }, 'request handler failed');
      response.destroy();
    }
  }

  function finished(response: FastResponse): void {
    if (current !== response) return;
    current = undefined;
    served++;
    stats.handled++;
    lastActiveMs = Date.now();
    const rest = ahead;
    ahead = undefined;
    if (response.last) return;
    if (endAfterCurrent) {
      socket.end();
      return;
    }
    // The handler may have ended the response inside its own call: the next request starts
    // after that call returns, not inside it.
    if (rest !== undefined)
      queueMicrotask(() => {
        serveChunk(rest);
        resumeReading();
      });
    else resumeReading();
  }

  /** Reading was paused for bytes sent ahead or a slow reader: go on once neither holds. */
  function resumeReading(): void {
    if (current === undefined && socket.isPaused() && !socket.writableNeedDrain) socket.resume();
  }

  const onDrain = (): void => {
    if (current !== undefined) current.emit('drain');
    else if (socket.isPaused()) socket.resume();
  };
  // allowHalfOpen (node:http's setting): every answer is already queued, so finish and close;
  // an answer still being made is finished first.
  const onEnd = (): void => {
    connection.endWhenIdle();
  };
  const onError = (): void => {
    socket.destroy();
  };
  const connection: FastConnection = {
    endWhenIdle() {
      if (current !== undefined) endAfterCurrent = true;
      else socket.end();
    },
    sweep(nowMs) {
      // Still writing to a slow reader, or the handler still working: not idle.
      if (socket.writableLength > 0 || current !== undefined) lastActiveMs = nowMs;
      const idleMs = nowMs - lastActiveMs;
      // Nothing asked yet: node:http applies its own headersTimeout (408) from here.
      if (served === 0 && idleMs >= front.headersTimeoutMs) handOver(undefined);
      else if (served > 0 && idleMs >= front.keepAliveTimeoutMs) socket.destroy();
    },
  };
  const onClose = (): void => {
    front.open.delete(socket);
    current?.socketClosed();
  };

  function handOver(rest: Buffer | undefined): void {
    socket.removeListener('data', onData);
    socket.removeListener('drain', onDrain);
    socket.removeListener('end', onEnd);
    socket.removeListener('error', onError);
    socket.removeListener('close', onClose);
    front.open.delete(socket);
    stats.handedOver++;
    front.handOver(socket);
    // node:http does its own flow control from here; a pause of ours must not outlive us.
    if (socket.isPaused()) socket.resume();
    // node:http reads the socket from here on; the bytes already read are given to it first.
    if (rest !== undefined) socket.emit('data', rest);
  }

  front.open.set(socket, connection);
  socket.on('data', onData);
  socket.on('drain', onDrain);
  socket.on('end', onEnd);
  socket.on('error', onError);
  socket.on('close', onClose);
}
