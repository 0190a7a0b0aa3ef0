// Follows GET /v1/edge/events: hands each event to the caller in sequence order, remembers the
// last id, and reconnects with backoff and Last-Event-ID so the origin replays what was missed.
// A stream silent for longer than `idleTimeoutMs` (no event, no heartbeat) is treated as dead.
import { Backoff } from './backoff.ts';
import { authHeaders, linkUrl, type OriginLinkOptions } from './http.ts';
import { SseParser } from './sse-parser.ts';
import { type EdgeEvent, edgeEventSchema, edgeLinkPaths } from './wire.ts';

export interface EventFollowerOptions extends OriginLinkOptions {
  /** The sequence number already applied (the snapshot's seq): events after it are asked for. */
  fromSeq: number;
  /** Applies one event; the follower awaits it before the next, so order is kept. */
  onEvent(event: EdgeEvent): void | Promise<void>;
  /** Connection state changes and errors, for logs and readiness. */
  onStatus?(status: { connected: boolean; error?: string; retryInMs?: number }): void;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Reconnect when nothing (not even a heartbeat) arrived for this long. */
  idleTimeoutMs?: number;
}

export class EventFollower {
  private lastSeq: number;
  private readonly options: EventFollowerOptions;
  private readonly backoff: Backoff;
  private abort: AbortController | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;
  private wakeSleep: (() => void) | undefined;

  constructor(options: EventFollowerOptions) {
    this.options = options;
    this.lastSeq = options.fromSeq;
    this.backoff = new Backoff({
      initialMs: options.initialBackoffMs ?? 250,
      maxMs: options.maxBackoffMs ?? 10_000,
    });
  }

  /** The sequence number of the last event applied. */
  get seq(): number {
    return this.lastSeq;
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Stops following; resolves once the connection is closed. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    this.wakeSleep?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let error: string | undefined;
      try {
        await this.follow();
        error = 'the origin closed the stream';
      } catch (caught) {
        if (this.stopped) break;
        error = caught instanceof Error ? caught.message : String(caught);
      }
      if (this.stopped) break;
      const retryInMs = this.backoff.next();
      this.options.onStatus?.({ connected: false, error, retryInMs });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, retryInMs);
        this.wakeSleep = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async follow(): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    const idleMs = this.options.idleTimeoutMs ?? 45_000;
    let idle: NodeJS.Timeout | undefined;
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(
        () => abort.abort(new Error(`no event or heartbeat for ${idleMs} ms`)),
        idleMs,
      );
    };
    try {
      touch();
      const response = await fetch(linkUrl(this.options, edgeLinkPaths.events), {
        headers: {
          ...authHeaders(this.options),
          accept: 'text/event-stream',
          'last-event-id': String(this.lastSeq),
        },
        signal: abort.signal,
      });
      if (!response.ok || !response.body) {
        throw new Error(`origin event stream answered ${response.status}`);
      }
      this.backoff.reset();
      this.options.onStatus?.({ connected: true });
      const pending: EdgeEvent[] = [];
      const parser = new SseParser({
        onMessage: (message) => {
          const parsed = edgeEventSchema.safeParse(JSON.parse(message.data));
          if (!parsed.success)
            throw new Error(`invalid event ${message.id}: ${parsed.error.message}`);
          pending.push(parsed.data);
        },
      });
      const decoder = new TextDecoder();
      for await (const chunk of response.body) {
        touch();
        parser.push(decoder.decode(chunk, { stream: true }));
        while (pending.length > 0) {
          const event = pending.shift() as EdgeEvent;
          // The origin never sends an event twice on one stream; this guards replays across streams.
          if (event.type !== 'reset' && event.seq <= this.lastSeq) continue;
          await this.options.onEvent(event);
          this.lastSeq = event.seq;
        }
      }
    } finally {
      clearTimeout(idle);
    }
  }
}
