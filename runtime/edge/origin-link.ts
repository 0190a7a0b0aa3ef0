// An edge without a sites file follows the origin: the snapshot and event stream give it its sites
// (OriginSiteSource, started in the background so the edge listens and answers probes while the
// origin is away), purges from the stream apply in sequence order through the same path as the
// management purge (every worker and tier before the next event), and the traffic processes'
// usage is sent in batches (UsageFlusher). Only the primary, or the single process, runs this.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../lib/logger.ts';
import { type MetricsFor, registerMetrics } from '../lib/metrics.ts';
import {
  type OriginLinkStatus,
  OriginSiteSource,
  type PurgeEvent,
  UsageFlusher,
} from '../lib/origin-link/index.ts';
import { diskTierPath, type EdgeConfig } from './config.ts';
import type { RunningEdgeHandle } from './traffic.ts';
import type { SiteUsage } from './usage.ts';

/** Beside the disk tier's objects: the last sequence number whose purges are applied on disk. */
export const appliedSeqFile = 'origin-seq';

export interface EdgeOriginLinkOptions {
  config: EdgeConfig;
  originUrl: string;
  edgeToken: string;
  logger: Logger;
  usageIntervalMs?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

export class EdgeOriginLink {
  readonly sites: OriginSiteSource;
  private readonly flusher: UsageFlusher;
  private readonly logger: Logger;
  private readonly seqFile: string | undefined;
  private edgeStarted: (edge: RunningEdgeHandle) => void = () => {};
  private readonly started: Promise<RunningEdgeHandle>;
  private metrics: MetricsFor<'edgePurgeLag' | 'edgeOriginLinkUp' | 'edgeOriginSeq'> | undefined;
  private linkUp = false;
  private persisting: Promise<void> = Promise.resolve();

  private constructor(options: EdgeOriginLinkOptions, resumeFromSeq: number | undefined) {
    const link = { originUrl: options.originUrl, edgeToken: options.edgeToken };
    this.logger = options.logger;
    const diskPath = diskTierPath(options.config);
    this.seqFile = diskPath === undefined ? undefined : join(diskPath, appliedSeqFile);
    this.started = new Promise((resolve) => {
      this.edgeStarted = resolve;
    });
    this.sites = new OriginSiteSource({
      ...link,
      ...(resumeFromSeq !== undefined ? { resumeFromSeq } : {}),
      ...(options.initialBackoffMs !== undefined
        ? { initialBackoffMs: options.initialBackoffMs }
        : {}),
      ...(options.maxBackoffMs !== undefined ? { maxBackoffMs: options.maxBackoffMs } : {}),
      onPurge: (purge, seq) => this.applyPurge(purge, seq),
      onReset: () => this.purgeEverything(),
      onStatus: (status) => this.status(status),
      onApplied: (seq) => this.applied(seq),
    });
    this.flusher = new UsageFlusher({
      ...link,
      intervalMs: options.usageIntervalMs ?? 10_000,
      onError: (error) =>
        this.logger.warn({ err: error.message }, 'usage batch not accepted; kept for the next try'),
    });
  }

  /** Reads the applied sequence kept with the disk tier, if any, and starts following. */
  static async start(options: EdgeOriginLinkOptions): Promise<EdgeOriginLink> {
    const diskPath = diskTierPath(options.config);
    let resume: number | undefined;
    if (diskPath !== undefined) {
      const text = await readFile(join(diskPath, appliedSeqFile), 'utf8').catch(() => undefined);
      const seq = Number(text?.trim());
      if (text !== undefined && Number.isSafeInteger(seq) && seq >= 0) resume = seq;
    }
    const link = new EdgeOriginLink(options, resume);
    options.logger.info(
      { origin: options.originUrl, resumeFromSeq: resume },
      'following the origin for sites and purges',
    );
    link.sites.start();
    return link;
  }

  /** The edge is listening: purges can apply, metrics have a registry. */
  attach(edge: RunningEdgeHandle): void {
    this.metrics = registerMetrics(edge.registry, [
      'edgePurgeLag',
      'edgeOriginLinkUp',
      'edgeOriginSeq',
    ]);
    this.metrics.edgeOriginLinkUp.set(this.linkUp ? 1 : 0);
    this.metrics.edgeOriginSeq.set(this.sites.seq);
    this.edgeStarted(edge);
  }

  recordUsage(usage: readonly SiteUsage[]): void {
    for (const counts of usage) this.flusher.add(counts);
  }

  /** Stops following and sends the last usage (call after the edge has closed). */
  async close(): Promise<void> {
    await this.sites.close();
    await this.flusher.close();
    await this.persisting;
  }

  private async applyPurge(purge: PurgeEvent, seq: number): Promise<void> {
    const edge = await this.started;
    const purged = await edge.purge({
      site: purge.site,
      kind: purge.kind,
      values: purge.values,
      mode: purge.mode,
    });
    const lagSeconds = Math.max(0, (Date.now() - purge.committedAt) / 1000);
    this.metrics?.edgePurgeLag.observe(lagSeconds);
    this.logger.info(
      { seq, site: purge.site, kind: purge.kind, mode: purge.mode, purged, lagSeconds },
      'origin purge applied',
    );
  }

  /** The origin cannot replay what this edge missed: nothing it holds can be trusted. */
  private async purgeEverything(): Promise<void> {
    const edge = await this.started;
    const sites = this.sites.known();
    for (const site of sites)
      await edge.purge({ site: site.id, kind: 'all', values: [], mode: 'hard' });
    this.logger.warn(
      { sites: sites.length },
      'the origin reset the event stream (its log does not reach this edge): cache emptied',
    );
  }

  private status(status: OriginLinkStatus): void {
    const was = this.linkUp;
    this.linkUp = status.connected;
    this.metrics?.edgeOriginLinkUp.set(status.connected ? 1 : 0);
    if (status.connected) {
      if (!was) this.logger.info({ seq: this.sites.seq }, 'origin event stream connected');
      return;
    }
    const refused = status.error?.includes('401') || status.error?.includes('403');
    this.logger[refused ? 'error' : 'warn'](
      { err: status.error, retryInMs: status.retryInMs, seq: this.sites.seq },
      refused
        ? 'the origin refuses this edge: check EDGEPLANE_EDGE_TOKEN; retrying'
        : 'origin unreachable; serving the last sites known, retrying',
    );
  }

  /** Keeps the applied sequence with the disk tier (coalesced: only the newest is written). */
  private applied(seq: number): void {
    this.metrics?.edgeOriginSeq.set(seq);
    const file = this.seqFile;
    if (file === undefined) return;
    this.pendingSeq = seq;
    this.persisting = this.persisting.then(async () => {
      const next = this.pendingSeq;
      if (next === undefined) return;
      this.pendingSeq = undefined;
      try {
        await writeFile(`${file}.tmp`, String(next));
        await rename(`${file}.tmp`, file);
      } catch (error) {
        this.logger.warn(
          { err: (error as Error).message },
          'could not record the applied sequence',
        );
      }
    });
  }
  private pendingSeq: number | undefined;
}
