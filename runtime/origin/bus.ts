// Tells every origin replica that new events are committed. The message is only a wake-up call
// carrying the newest sequence number: each replica then reads what it has not seen from
// Postgres, in order. A message lost while Redis restarts costs latency, never an event: a
// replica also catches up when its subscription comes back and on a slow periodic check.
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import type { Logger } from '../lib/logger.ts';
import { redisConnection } from './store-tls.ts';

export const eventsChannel = 'edgeplane:edge-events';

export interface EventBus {
  /** Announces that events up to `seq` are committed. Never throws: a failed publish is logged. */
  publish(seq: number): Promise<void>;
  /** `listener(seq)` on every announcement, and with seq undefined after a reconnect (catch up). */
  subscribe(listener: (seq: number | undefined) => void): void;
  close(): Promise<void>;
}

/** One process, no Redis: local mode and single-replica installs. */
export class LocalEventBus implements EventBus {
  private readonly emitter = new EventEmitter();
  async publish(seq: number): Promise<void> {
    this.emitter.emit('seq', seq);
  }
  subscribe(listener: (seq: number | undefined) => void): void {
    this.emitter.on('seq', listener);
  }
  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

export class RedisEventBus implements EventBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly listeners: ((seq: number | undefined) => void)[] = [];
  private readonly logger: Logger;
  /** The newest sequence number whose announcement failed while Redis was away. */
  private unannounced: number | undefined;

  /** `caCert`: REDIS_CA_CERT, the PEM that verifies a rediss:// server (see store-tls.ts). */
  constructor(redisUrl: string, logger: Logger, caCert?: string) {
    this.logger = logger;
    const connection = redisConnection(redisUrl, caCert);
    const options = {
      ...connection.options,
      lazyConnect: false,
      // Publishing must not queue forever while Redis is away: fail fast, the replicas catch up.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (times: number) => Math.min(50 * 2 ** times, 2000),
    };
    this.publisher = new Redis(connection.url, options);
    this.subscriber = new Redis(connection.url, { ...options, enableOfflineQueue: true });
    this.publisher.on('ready', () => {
      const seq = this.unannounced;
      if (seq === undefined) return;
      this.unannounced = undefined;
      void this.tryPublish(seq).then((announced) => {
        if (announced) this.logger.info({ seq }, 'redis bus re-announced after reconnect');
      });
    });
    for (const connection of [this.publisher, this.subscriber]) {
      connection.on('error', (error: Error) =>
        this.logger.warn({ err: error.message }, 'redis bus error'),
      );
    }
    this.subscriber.on('message', (_channel: string, message: string) => {
      const seq = Number(message);
      if (Number.isSafeInteger(seq)) for (const listener of this.listeners) listener(seq);
    });
    // On every (re)connection: subscribe, and once Redis confirms it, catch up from Postgres.
    // ioredis resubscribes by itself after a reconnect, but it emits 'ready' before that
    // SUBSCRIBE is answered: catching up on 'ready' would leave a gap in which an announcement
    // reaches this replica only by the safety poll. Subscribing again is a no-op for Redis, and
    // its answer comes after the automatic one, so the catch-up read starts once messages flow.
    this.subscriber.on('ready', () => {
      this.subscriber.subscribe(eventsChannel).then(
        () => {
          for (const listener of this.listeners) listener(undefined);
        },
        (error: Error) =>
          this.logger.warn(
            { err: error.message },
            'redis bus subscribe failed; will retry on reconnect',
          ),
      );
    });
  }

  async publish(seq: number): Promise<void> {
    await this.tryPublish(seq);
  }

  /** Resolves false when Redis is away (never throws): the replicas catch up from Postgres. */
  private async tryPublish(seq: number): Promise<boolean> {
    try {
      await this.publisher.publish(eventsChannel, String(seq));
      return true;
    } catch (error) {
      // Announced again as soon as the publisher reconnects, so the other replicas need not
      // wait for their safety poll.
      this.unannounced = Math.max(this.unannounced ?? 0, seq);
      this.logger.warn(
        { err: (error as Error).message, seq },
        'redis bus publish failed; replicas catch up from Postgres',
      );
      return false;
    }
  }

  subscribe(listener: (seq: number | undefined) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}
