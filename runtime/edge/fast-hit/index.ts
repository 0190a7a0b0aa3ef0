// The fast path for cache hits: a front on the traffic server's connections that answers plain
// fresh hits straight from the memory tier with pre-serialised bytes, and hands every other
// connection to node:http (see connection.ts). The server stays a node:http Server: listen,
// close, closeIdleConnections and closeAllConnections cover both kinds of connection.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { EdgeContext } from '../context.ts';
import { type FastFront, type FastHitStats, serveConnection } from './connection.ts';

export type { FastHitStats } from './connection.ts';

const statsByServer = new WeakMap<Server, FastHitStats>();

/** What the fast path has done on a server (tests and diagnostics). */
export function fastHitStats(server: Server): FastHitStats | undefined {
  return statsByServer.get(server);
}

export function attachFastHits(
  server: Server,
  ctx: EdgeContext,
  limits: { maxHeaderBytes: number; maxHeaderCount: number },
): FastHitStats {
  const listeners = server.listeners('connection');
  const httpConnection = listeners[0] as ((socket: Socket) => void) | undefined;
  if (listeners.length !== 1 || httpConnection === undefined)
    throw new Error(
      'attachFastHits needs a node:http Server with only its own connection listener',
    );
  server.removeListener('connection', httpConnection);

  const stats: FastHitStats = { served: 0, handedOver: 0 };
  const keepAliveSeconds = Math.floor(server.keepAliveTimeout / 1000);
  const front: FastFront = {
    ctx,
    persistence: {
      keepAliveLines: `Connection: keep-alive\r\n${keepAliveSeconds > 0 ? `Keep-Alive: timeout=${keepAliveSeconds}\r\n` : ''}`,
    },
    maxHeaderBytes: limits.maxHeaderBytes,
    maxHeaderCount: limits.maxHeaderCount,
    headersTimeoutMs: server.headersTimeout,
    keepAliveTimeoutMs: server.keepAliveTimeout,
    stats,
    open: new Set(),
    handOver: (socket) => httpConnection.call(server, socket),
  };
  server.on('connection', (socket: Socket) => {
    // A per-socket request cap makes node:http close after N answers: leave those to it.
    if (server.maxRequestsPerSocket) front.handOver(socket);
    else serveConnection(front, socket);
  });

  const closeIdle = server.closeIdleConnections.bind(server);
  server.closeIdleConnections = () => {
    // A fast connection has no answer in progress once its writes are queued: end it after them.
    for (const socket of front.open) socket.end();
    closeIdle();
  };
  const closeAll = server.closeAllConnections.bind(server);
  server.closeAllConnections = () => {
    for (const socket of front.open) socket.destroy();
    closeAll();
  };
  statsByServer.set(server, stats);
  return stats;
}
