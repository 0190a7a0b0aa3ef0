// The fast path: a front on the traffic server's connections that answers plain fresh hits
// straight from the memory tier with pre-serialised bytes, runs the edge's handler without
// node:http for the other plain GETs (misses...), and hands every other connection to node:http
// (see connection.ts). The server stays a node:http Server: listen,
// close, closeIdleConnections and closeAllConnections cover both kinds of connection.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { EdgeContext } from '../context.ts';
import type { EdgeRequest, EdgeResponse } from '../exchange.ts';
import { BodyFiles } from '../zero-copy/body-files.ts';
import type { ZeroCopy } from '../zero-copy/index.ts';
import { type FastFront, type FastHitStats, serveConnection } from './connection.ts';

export type { FastHitStats } from './connection.ts';

const sweepIntervalMs = 1000;

const statsByServer = new WeakMap<Server, FastHitStats>();

/** What the fast path has done on a server (tests and diagnostics). */
export function fastHitStats(server: Server): FastHitStats | undefined {
  return statsByServer.get(server);
}

export function attachFastHits(
  server: Server,
  ctx: EdgeContext,
  options: { maxHeaderBytes: number; maxHeaderCount: number; zeroCopy?: ZeroCopy | undefined },
  /** The edge's handler, for plain requests that are not fast hits. */
  handle: (req: EdgeRequest, res: EdgeResponse) => void,
): FastHitStats {
  const listeners = server.listeners('connection');
  const httpConnection = listeners[0] as ((socket: Socket) => void) | undefined;
  if (listeners.length !== 1 || httpConnection === undefined)
    throw new Error(
      'attachFastHits needs a node:http Server with only its own connection listener',
    );
  server.removeListener('connection', httpConnection);

  const stats: FastHitStats = { served: 0, handled: 0, handedOver: 0, sentFromFile: 0 };
  const bodyFiles = options.zeroCopy === undefined ? undefined : new BodyFiles(options.zeroCopy);
  const front: FastFront = {
    ctx,
    maxHeaderBytes: options.maxHeaderBytes,
    maxHeaderCount: options.maxHeaderCount,
    // node:http's settings, read when used: changing them on the server changes both paths.
    get headersTimeoutMs() {
      return server.headersTimeout;
    },
    get keepAliveTimeoutMs() {
      return server.keepAliveTimeout;
    },
    stats,
    bodyFiles,
    open: new Map(),
    handOver: (socket) => httpConnection.call(server, socket),
    handle,
  };
  // Idle connections are found by one sweep a second, not a timer per socket (connection.ts).
  const sweep = setInterval(() => {
    const nowMs = Date.now();
    for (const connection of front.open.values()) connection.sweep(nowMs);
  }, sweepIntervalMs);
  sweep.unref();
  server.once('close', () => {
    clearInterval(sweep);
    bodyFiles?.clear();
  });
  server.on('connection', (socket: Socket) => {
    // A per-socket request cap makes node:http close after N answers: leave those to it.
    if (server.maxRequestsPerSocket) front.handOver(socket);
    else serveConnection(front, socket);
  });

  const closeIdle = server.closeIdleConnections.bind(server);
  server.closeIdleConnections = () => {
    // A fast connection ends after its queued writes, or after the answer the handler is making.
    for (const connection of front.open.values()) connection.endWhenIdle();
    closeIdle();
  };
  const closeAll = server.closeAllConnections.bind(server);
  server.closeAllConnections = () => {
    for (const socket of front.open.keys()) socket.destroy();
    closeAll();
  };
  statsByServer.set(server, stats);
  return stats;
}
