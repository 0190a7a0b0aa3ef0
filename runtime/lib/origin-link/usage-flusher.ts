// Counts requests, bytes, hits and misses per site per hour and sends them to the origin in
// batches: periodically and on close. A batch keeps its id until the origin acknowledges it, so a
// retry after a lost answer is counted once.
import { randomUUID } from 'node:crypto';
import { authHeaders, linkUrl, OriginLinkError, type OriginLinkOptions } from './http.ts';
import { edgeLinkPaths, type UsageAck, type UsageBatch, type UsageCounter } from './wire.ts';

export interface UsageFlusherOptions extends OriginLinkOptions {
  intervalMs?: number;
  /** A batch not acknowledged by then counts as failed (kept and retried; bounds shutdown). */
  timeoutMs?: number;
  /** Reports failures (the batch is kept and retried). */
  onError?(error: Error): void;
  now?: () => number;
}

const hourOf = (ms: number) => new Date(Math.floor(ms / 3_600_000) * 3_600_000).toISOString();

export class UsageFlusher {
  private counters = new Map<string, UsageCounter>();
  /** The batch being sent (or to be retried), with its fixed id. */
  private inFlight: UsageBatch | undefined;
  private flushing: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly options: UsageFlusherOptions;

  constructor(options: UsageFlusherOptions) {
    this.options = options;
    this.timer = setInterval(() => void this.flush().catch(() => {}), options.intervalMs ?? 10_000);
    this.timer.unref();
  }

  /** Counts one request. */
  record(site: string, usage: { bytes: number; hit: boolean }): void {
    this.add({
      site,
      requests: 1,
      bytes: usage.bytes,
      hits: usage.hit ? 1 : 0,
      misses: usage.hit ? 0 : 1,
    });
  }

  /** Adds counts gathered elsewhere (an edge's traffic processes), in the current hour. */
  add(usage: Omit<UsageCounter, 'hour'>): void {
    const hour = hourOf((this.options.now ?? Date.now)());
    const key = `${usage.site}\n${hour}`;
    let counter = this.counters.get(key);
    if (!counter) {
      counter = { site: usage.site, hour, requests: 0, bytes: 0, hits: 0, misses: 0 };
      this.counters.set(key, counter);
    }
    counter.requests += usage.requests;
    counter.bytes += usage.bytes;
    counter.hits += usage.hits;
    counter.misses += usage.misses;
  }

  /** Sends what was counted; a failed batch stays and is sent again (same id) next time. */
  flush(): Promise<void> {
    this.flushing ??= this.send().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async send(): Promise<void> {
    if (!this.inFlight) {
      if (this.counters.size === 0) return;
      this.inFlight = { batchId: randomUUID(), counters: [...this.counters.values()] };
      this.counters = new Map();
    }
    const batch = this.inFlight;
    try {
      const response = await fetch(linkUrl(this.options, edgeLinkPaths.usage), {
        method: 'POST',
        headers: { ...authHeaders(this.options), 'content-type': 'application/json' },
        body: JSON.stringify(batch),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      if (!response.ok) {
        throw new OriginLinkError(
          `origin usage answered ${response.status}: ${(await response.text()).slice(0, 300)}`,
          response.status,
        );
      }
      (await response.json()) as UsageAck;
      this.inFlight = undefined;
    } catch (error) {
      this.options.onError?.(error as Error);
      throw error;
    }
  }

  /** Stops the timer and makes a last attempt to send everything. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush().catch(() => {});
    if (this.inFlight || this.counters.size > 0) await this.flush().catch(() => {});
  }
}
