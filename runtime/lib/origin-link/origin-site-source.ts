// A SiteSource for the edge fed by the origin: the snapshot on load, then the event stream.
// Site changes reach subscribers as the full new set; purges reach `onPurge` in sequence order.
// A `reset` event (the origin's log is behind this edge) reloads the snapshot.
import type { Site, SiteSource } from '../site.ts';
import { EventFollower } from './event-follower.ts';
import type { OriginLinkOptions } from './http.ts';
import { fetchSnapshot } from './snapshot.ts';
import type { EdgeEvent, PurgeEvent } from './wire.ts';

export interface OriginSiteSourceOptions extends OriginLinkOptions {
  /** Applies one purge; awaited before the next event, so purges apply in order. */
  onPurge(purge: PurgeEvent, seq: number): void | Promise<void>;
  onStatus?(status: { connected: boolean; error?: string; retryInMs?: number }): void;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  idleTimeoutMs?: number;
}

export class OriginSiteSource implements SiteSource {
  private readonly options: OriginSiteSourceOptions;
  private readonly sites = new Map<string, Site>();
  private readonly listeners = new Set<(sites: readonly Site[]) => void>();
  private follower: EventFollower | undefined;
  private loaded = false;

  constructor(options: OriginSiteSourceOptions) {
    this.options = options;
  }

  /** True once the snapshot is loaded (the edge's readiness). */
  get ready(): boolean {
    return this.loaded;
  }

  /** The sequence number of the last event applied. */
  get seq(): number {
    return this.follower?.seq ?? 0;
  }

  async load(): Promise<readonly Site[]> {
    if (this.loaded) return [...this.sites.values()];
    const snapshot = await fetchSnapshot(this.options);
    this.replaceAll(snapshot.sites);
    this.loaded = true;
    this.follower = new EventFollower({
      ...this.options,
      fromSeq: snapshot.seq,
      onEvent: (event) => this.apply(event),
    });
    this.follower.start();
    return snapshot.sites;
  }

  subscribe(onChange: (sites: readonly Site[]) => void): () => void {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  }

  async close(): Promise<void> {
    await this.follower?.stop();
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
        this.emit();
        return;
      case 'site.delete':
        this.sites.delete(event.siteId);
        this.emit();
        return;
      case 'purge':
        await this.options.onPurge(event.purge, event.seq);
        return;
      case 'reset': {
        const snapshot = await fetchSnapshot(this.options);
        this.replaceAll(snapshot.sites);
        this.emit();
        return;
      }
    }
  }
}
