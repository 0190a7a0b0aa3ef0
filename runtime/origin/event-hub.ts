// One per origin replica: reads committed events from Postgres in sequence order (woken by the
// bus, on reconnect, and by a slow safety poll) and hands them to the edges connected here.
import type { Pool } from 'pg';
import type { Logger } from '../lib/logger.ts';
import type { EdgeEvent } from '../lib/origin-link/wire.ts';
import type { EventBus } from './bus.ts';
import { currentSeq, eventsAfter } from './events-store.ts';

export interface HubClient {
  /** Called with events in sequence order, each once. */
  deliver(event: EdgeEvent): void;
}

export interface EventHubOptions {
  pool: Pool;
  bus: EventBus;
  logger: Logger;
  /** Safety poll of Postgres, for announcements lost on the bus. */
  pollIntervalMs?: number;
}

export class EventHub {
  private readonly pool: Pool;
  private readonly logger: Logger;
  private readonly clients = new Set<HubClient>();
  private lastSeq = 0;
  private reading: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: EventHubOptions) {
    this.pool = options.pool;
    this.logger = options.logger;
    options.bus.subscribe((seq) => {
      if (seq === undefined || seq > this.lastSeq) this.wake();
    });
    this.timer = setInterval(() => this.wake(), options.pollIntervalMs ?? 5000);
    this.timer.unref();
  }

  /** Starts from the current end of the log: older events reach clients by their own replay. */
  async start(): Promise<void> {
    this.lastSeq = await currentSeq(this.pool);
  }

  get seq(): number {
    return this.lastSeq;
  }

  get size(): number {
    return this.clients.size;
  }

  add(client: HubClient): void {
    this.clients.add(client);
  }

  remove(client: HubClient): void {
    this.clients.delete(client);
  }

  /** Reads what is new; concurrent wake-ups coalesce into one more read. */
  wake(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = this.readNew()
      .catch((error: unknown) =>
        this.logger.warn({ err: String(error) }, 'reading edge events failed; will retry'),
      )
      .finally(() => {
        this.reading = undefined;
        if (this.again) {
          this.again = false;
          void this.wake();
        }
      });
    return this.reading;
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const events = await eventsAfter(this.pool, this.lastSeq);
      for (const event of events) {
        this.lastSeq = event.seq;
        for (const client of this.clients) client.deliver(event);
      }
      if (events.length < 1000) return;
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.clients.clear();
  }
}
