// The connections to one origin: at most `connections` sockets, a FIFO queue of exchanges
// waiting for one, idle sockets reused last-in first-out (the warmest socket, and the cold ones
// time out), one retry on a fresh socket for an exchange whose reused socket died unanswered.
// While any socket is open, a sweep checks their timeouts a few times a second (undici's own
// timers tick every 500 ms for timeouts of a second or more).
import { UpstreamError } from '../upstream-types.ts';
import {
  type ConnectionOwner,
  type ConnectionSettings,
  OriginConnection,
  type PendingExchange,
} from './connection.ts';

export interface PoolSettings extends ConnectionSettings {
  connections: number;
}

/** The sweep runs at a quarter of the shortest timeout, at most every 250 ms, at least 10 ms. */
export function sweepIntervalMs(settings: ConnectionSettings): number {
  const shortest = Math.min(
    settings.connectTimeoutMs,
    settings.firstByteTimeoutMs,
    settings.idleTimeoutMs,
    settings.keepAliveMs,
  );
  return Math.max(10, Math.min(250, Math.floor(shortest / 4)));
}

export class OriginPool implements ConnectionOwner {
  private readonly settings: PoolSettings;
  private readonly open = new Set<OriginConnection>();
  private readonly idle: OriginConnection[] = [];
  private queue: PendingExchange[] = [];
  private closing = false;
  private readonly sweepMs: number;
  private sweep: NodeJS.Timeout | undefined;

  constructor(settings: PoolSettings) {
    this.settings = settings;
    this.sweepMs = sweepIntervalMs(settings);
  }

  /** True while the timeout sweep runs (only while a socket is open). */
  get sweeping(): boolean {
    return this.sweep !== undefined;
  }

  /** Sockets open now (busy or idle). */
  get size(): number {
    return this.open.size;
  }

  /** Exchanges waiting for a socket. */
  get queued(): number {
    return this.queue.length;
  }

  dispatch(exchange: PendingExchange): void {
    if (this.closing) {
      exchange.reject(new UpstreamError('reset', new Error('origin client closed')));
      return;
    }
    for (let idle = this.idle.pop(); idle !== undefined; idle = this.idle.pop()) {
      // A socket that failed while parked leaves the list on its 'close' event, a turn later.
      if (idle.idle && !idle.socket.destroyed) {
        idle.start(exchange);
        return;
      }
    }
    if (this.open.size < this.settings.connections) this.connect().start(exchange);
    else this.queue.push(exchange);
  }

  exchangeDone(connection: OriginConnection, keepAliveMs: number): void {
    if (keepAliveMs <= 0 || this.closing) {
      this.forget(connection);
      return;
    }
    const next = this.queue.shift();
    if (next !== undefined) {
      connection.start(next);
      return;
    }
    connection.park(keepAliveMs);
    this.idle.push(connection);
  }

  closed(connection: OriginConnection): void {
    this.forget(connection);
  }

  retry(connection: OriginConnection, exchange: PendingExchange): void {
    this.forget(connection);
    if (this.closing) {
      exchange.reject(new UpstreamError('reset', new Error('origin client closed')));
      return;
    }
    this.connect().start(exchange);
  }

  /** Ends every socket; exchanges running or queued fail with 'reset'. */
  close(): Promise<void> {
    this.closing = true;
    const error = new UpstreamError('reset', new Error('origin client closed'));
    const queued = this.queue;
    this.queue = [];
    for (const exchange of queued) exchange.reject(error);
    const closing = [...this.open].map(
      (connection) =>
        new Promise<void>((resolve) => {
          if (connection.socket.destroyed && connection.socket.closed) resolve();
          else connection.socket.once('close', () => resolve());
          connection.destroy(error);
        }),
    );
    return Promise.all(closing).then(() => undefined);
  }

  private connect(): OriginConnection {
    const connection = new OriginConnection(this, this.settings);
    this.open.add(connection);
    if (this.sweep === undefined) {
      this.sweep = setInterval(() => this.checkTimeouts(), this.sweepMs);
      this.sweep.unref(); // as idle sockets, the sweep does not hold the event loop
    }
    return connection;
  }

  private checkTimeouts(): void {
    const nowMs = Date.now();
    // A copy: a timed-out exchange may be retried on a new connection while this loop runs.
    for (const connection of [...this.open]) connection.checkTimeout(nowMs);
  }

  /** Drops a connection that is gone or going, and gives its place to a waiting exchange. */
  private forget(connection: OriginConnection): void {
    if (!this.open.delete(connection)) return;
    const at = this.idle.lastIndexOf(connection);
    if (at >= 0) this.idle.splice(at, 1);
    if (!this.closing) {
      const next = this.queue.shift();
      if (next !== undefined) this.connect().start(next);
    }
    if (this.open.size === 0 && this.sweep !== undefined) {
      clearInterval(this.sweep);
      this.sweep = undefined;
    }
  }
}
