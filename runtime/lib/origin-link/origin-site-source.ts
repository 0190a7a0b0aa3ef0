// A SiteSource for the edge fed by the origin: the snapshot on load, then the event stream.
// Site changes reach subscribers as the full new set; purges reach `onPurge` in sequence order.
// A `reset` event (the origin's log is behind this edge, or pruned past it) reloads the snapshot.
//
// Two ways to start: `load()` fetches the snapshot once and rejects when the origin cannot be
// reached (tests, tools); `start()` keeps trying in the background with backoff, so an edge can
// listen (and answer its probes) while the origin is away, and `load()` then answers the sites
// known so far (none before the snapshot; `ready` says whether it is in).
import type { Site, SiteSource } from '../site.ts';
import { Backoff } from './backoff.ts';
import { EventFollower } from './event-follower.ts';
import type { OriginLinkOptions } from './http.ts';
import { fetchSnapshot } from './snapshot.ts';
import type { EdgeEvent, PurgeEvent, Snapshot } from './wire.ts';

export interface OriginLinkStatus {
  connected: boolean;
  error?: string;
  retryInMs?: number;
}

export interface OriginSiteSourceOptions extends OriginLinkOptions {
  /** Applies one purge; awaited before the next event, so purges apply in order. */
  onPurge(purge: PurgeEvent, seq: number): void | Promise<void>;
  /**
   * The origin cannot say which purges this edge missed (its log was restored or pruned past the
   * edge): whatever the edge still holds may be stale. Awaited before the new snapshot is used.
   */
  onReset?(): void | Promise<void>;
  onStatus?(status: OriginLinkStatus): void;
  /** After each event is applied, and with the snapshot's sequence when following starts from it. */
  onApplied?(seq: number): void;
  /**
   * The last sequence number this edge applied in an earlier life (kept with a cache that survives
   * restarts): the stream is replayed from there, so purges issued while it was down still apply,
   * and the source is `ready` only once it has caught up with the snapshot.
   */
  resumeFromSeq?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  idleTimeoutMs?: number;
  /** A snapshot request that has not answered by then is abandoned (and retried). */
  snapshotTimeoutMs?: number;
}

export class OriginSiteSource implements SiteSource {
  private readonly options: OriginSiteSourceOptions;
  private readonly sites = new Map<string, Site>();
  private readonly listeners = new Set<(sites: readonly Site[]) => void>();
  private follower: EventFollower | undefined;
  /** The snapshot's sequence number; ready once the applied sequence reaches it. */
  private snapshotSeq: number | undefined;
  private caughtUp = false;
  private starting: Promise<void> | undefined;
  private stopped = false;
  private wakeSleep: (() => void) | undefined;

  constructor(options: OriginSiteSourceOptions) {
    this.options = options;
  }

  /** True once the snapshot is loaded and every event up to it applied (the edge's readiness). */
  get ready(): boolean {
    return this.caughtUp;
  }

  /** The sequence number of the last event applied. */
  get seq(): number {
    return this.follower?.seq ?? this.snapshotSeq ?? 0;
  }

  /** Loads the snapshot once and starts following; rejects when the origin cannot be reached. */
  async load(): Promise<readonly Site[]> {
    if (this.starting !== undefined) return this.caughtUp ? [...this.sites.values()] : [];
    if (this.snapshotSeq !== undefined) return [...this.sites.values()];
    this.begin(await this.fetchSnapshot(), false);
    return [...this.sites.values()];
  }

  /** Every site known now, caught up or not (a reset purges the cache of each). */
  known(): readonly Site[] {
    return [...this.sites.values()];
  }

  /** Fetches the snapshot in the background until it succeeds, then follows the stream. */
  start(): void {
    this.starting ??= this.keepTrying();
  }

  /**
   * Calls back with the full set on every change. Started in the background and already caught
   * up, it also calls back at once: the set may have come in between a `load()` and this call.
   */
  subscribe(onChange: (sites: readonly Site[]) => void): () => void {
    this.listeners.add(onChange);
    if (this.starting !== undefined && this.caughtUp) onChange([...this.sites.values()]);
    return () => this.listeners.delete(onChange);
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.wakeSleep?.();
    await this.starting;
    await this.follower?.stop();
  }

  /** A hung origin must not stall the edge: each attempt has a deadline. */
  private fetchSnapshot(): Promise<Snapshot> {
    return fetchSnapshot(
      this.options,
      AbortSignal.timeout(this.options.snapshotTimeoutMs ?? 30_000),
    );
  }

  private async keepTrying(): Promise<void> {
    const backoff = new Backoff({
      initialMs: this.options.initialBackoffMs ?? 250,
      maxMs: this.options.maxBackoffMs ?? 10_000,
    });
    while (!this.stopped) {
      try {
        this.begin(await this.fetchSnapshot(), true);
        return;
      } catch (error) {
        if (this.stopped) return;
        const retryInMs = backoff.next();
        this.options.onStatus?.({
          connected: false,
          error: `snapshot: ${(error as Error).message}`,
          retryInMs,
        });
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, retryInMs);
          this.wakeSleep = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  /** `announce`: tell subscribers about the first set (the background start has no caller to return it to). */
  private begin(snapshot: Snapshot, announce: boolean): void {
    this.replaceAll(snapshot.sites);
    this.snapshotSeq = snapshot.seq;
    const resume = this.options.resumeFromSeq;
    // Replaying from an earlier life re-applies site events up to the snapshot (ending where the
    // snapshot is) and, what matters, the purges this edge missed while it was down.
    const fromSeq = resume !== undefined && resume < snapshot.seq ? resume : snapshot.seq;
    this.caughtUp = fromSeq >= snapshot.seq;
    this.follower = new EventFollower({
      ...this.options,
      fromSeq,
      onEvent: async (event) => {
        await this.apply(event);
        this.options.onApplied?.(event.seq);
        if (!this.caughtUp && event.seq >= (this.snapshotSeq ?? 0)) {
          this.caughtUp = true;
          this.emit();
        }
      },
    });
    if (this.caughtUp) this.options.onApplied?.(fromSeq);
    if (this.caughtUp && announce) this.emit();
    this.follower.start();
  }

  private replaceAll(sites: readonly Site[]): void {
    this.sites.clear();
    for (const site of sites) this.sites.set(site.id, site);
  }

  private emit(): void {
    const sites = [...this.sites.values()];
    for (const listener of this.listeners) listener(sites);
  }

  private async apply(event: EdgeEvent): Promise<void> {
    switch (event.type) {
      case 'site.upsert':
        this.sites.set(event.site.id, event.site);
        if (this.caughtUp) this.emit();
        return;
      case 'site.delete':
        this.sites.delete(event.siteId);
        if (this.caughtUp) this.emit();
        return;
      case 'purge':
        await this.options.onPurge(event.purge, event.seq);
        return;
      case 'reset': {
        await this.options.onReset?.();
        const snapshot = await this.fetchSnapshot();
        this.replaceAll(snapshot.sites);
        this.snapshotSeq = snapshot.seq;
        this.caughtUp = true;
        this.emit();
        return;
      }
    }
  }
}
