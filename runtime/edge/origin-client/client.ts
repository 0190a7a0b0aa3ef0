// The raw HTTP/1.1 client for plain-http origins: one pool per origin (scheme://host:port).
// Requests are serialised before they queue, so a bad header fails at once and never reaches
// a socket.
import { UpstreamError, type UpstreamRequest, type UpstreamResponse } from '../upstream-types.ts';
import type { PendingExchange } from './connection.ts';
import { OriginPool } from './pool.ts';
import { serialiseRequest } from './request-head.ts';

export interface RawOriginClientOptions {
  connectTimeoutMs: number;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
  /** Sockets per origin at most. */
  connectionsPerOrigin: number;
  /** How long an idle socket is kept when the origin names no Keep-Alive timeout. */
  keepAliveMs?: number;
}

export class RawOriginClient {
  private readonly options: RawOriginClientOptions;
  private readonly pools = new Map<string, OriginPool>();
  private closed = false;

  constructor(options: RawOriginClientOptions) {
    this.options = options;
  }

  request(request: UpstreamRequest): Promise<UpstreamResponse> {
    return new Promise((resolve, reject) => {
      try {
        if (this.closed) throw new Error('origin client closed');
        const pool = this.pools.get(request.origin) ?? this.addPool(request.origin);
        const exchange: PendingExchange = {
          request,
          serialised: serialiseRequest(
            request.method,
            request.path,
            request.headers,
            request.body != null,
          ),
          resolve,
          reject,
          retried: false,
        };
        pool.dispatch(exchange);
      } catch (error) {
        reject(new UpstreamError('reset', error));
      }
    });
  }

  /** The pool of an origin, for tests and gauges. */
  pool(origin: string): OriginPool | undefined {
    return this.pools.get(origin);
  }

  /** Ends every socket; running and queued requests fail with 'reset'. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
  }

  private addPool(origin: string): OriginPool {
    const url = new URL(origin);
    if (url.protocol !== 'http:') throw new TypeError(`not a plain-http origin: ${origin}`);
    // URL keeps an IPv6 literal in brackets; net.connect wants it bare.
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const pool = new OriginPool({
      host,
      port: url.port === '' ? 80 : Number(url.port),
      connectTimeoutMs: this.options.connectTimeoutMs,
      firstByteTimeoutMs: this.options.firstByteTimeoutMs,
      idleTimeoutMs: this.options.idleTimeoutMs,
      keepAliveMs: this.options.keepAliveMs ?? 30_000,
      connections: this.options.connectionsPerOrigin,
    });
    this.pools.set(origin, pool);
    return pool;
  }
}
