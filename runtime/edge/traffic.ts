// Builds what a traffic-serving process runs: sites, cache, upstream pool, metrics, handler.
// Used by the single-process edge and by each worker of the multi-process one.
import type { Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { Logger } from '../lib/logger.ts';
import { registerMetrics } from '../lib/metrics.ts';
import { type SiteSource, SiteTable } from '../lib/site.ts';
import { diskTierPath, type EdgeConfig } from './config.ts';
import type { EdgeContext } from './context.ts';
import { createObserver } from './observe.ts';
import type { PurgeRequest } from './purge.ts';
import { RequestKeys } from './request-keys.ts';
import { DiskStore } from './store/disk-store.ts';
import { createObjectStore, purgeStore } from './store/edge-cache.ts';
import type { CachedObject } from './store/entry.ts';
import type { MemoryStore } from './store/memory-store.ts';
import { PurgeFence } from './store/purge-fence.ts';
import type { SharedTier } from './store/tiers.ts';
import { createTrafficServer } from './traffic-server.ts';
import { Upstream } from './upstream.ts';
import { type SiteUsage, UsageCounts } from './usage.ts';

export interface TrafficProcess {
  ctx: EdgeContext;
  server: Server;
  /** Applies a purge to this process's memory tier. */
  purgeLocal(purge: PurgeRequest): number;
  /** Usage counted since the last take (when counting was asked for). */
  usage: UsageCounts | undefined;
  stopWatchingSites(): void;
  close(): Promise<void>;
}

export async function createTrafficProcess(options: {
  config: EdgeConfig;
  sites: SiteSource;
  /** The shared tier; given the process's own purge function for the single-process case. */
  tier: (purgeLocal: (purge: PurgeRequest) => number) => SharedTier;
  /**
   * The memory tier: a new one of this many bytes, or an existing tier with its purge fence (the
   * primary thread's traffic serves from the shared store's).
   */
  memory: number | { store: MemoryStore<CachedObject>; fence: PurgeFence };
  /** Told of every key a new memory tier takes in (+1) and lets go (-1). */
  onHeld?: (key: string, delta: 1 | -1) => void;
  registry: Registry;
  logger: Logger;
  /** Count usage per site (an edge that reports to the origin). */
  countUsage?: boolean;
}): Promise<TrafficProcess> {
  const { config, registry, logger } = options;
  const initialSites = await options.sites.load();
  const metrics = registerMetrics(registry, [
    'edgeRequests',
    'edgeResponseBytes',
    'edgeOriginDuration',
    'edgeOriginErrors',
  ]);
  const { store: memory, fence } =
    typeof options.memory === 'number'
      ? {
          store: createObjectStore(options.memory, config.maxObjects, undefined, options.onHeld),
          fence: new PurgeFence(config.upstream.firstByteTimeoutMs + config.upstream.idleTimeoutMs),
        }
      : options.memory;
  const purgeLocal = (purge: PurgeRequest) => {
    const now = Date.now();
    fence.record(purge, now);
    return purgeStore(memory, purge, now);
  };
  const usage = options.countUsage ? new UsageCounts() : undefined;
  const upstream = new Upstream({
    ...config.upstream,
    connectionsPerOrigin: 128,
    originClient: config.originClient,
  });
  const ctx: EdgeContext = {
    sites: new SiteTable(initialSites),
    sitesReady: options.sites.ready ?? true,
    fence,
    memory,
    tier: options.tier(purgeLocal),
    upstream,
    observer: createObserver(
      {
        requests: metrics.edgeRequests,
        responseBytes: metrics.edgeResponseBytes,
        originDuration: metrics.edgeOriginDuration,
        originErrors: metrics.edgeOriginErrors,
      },
      logger,
      config.requestLog,
      usage,
    ),
    options: { maxObjectBytes: config.maxObjectBytes, compressMinBytes: config.compressMinBytes },
    inflight: new Map(),
    requestKeys: new RequestKeys(),
    revalidating: new Set(),
  };
  const unsubscribe =
    options.sites.subscribe?.((sites) => {
      ctx.sites = new SiteTable(sites);
      ctx.sitesReady = options.sites.ready ?? true;
      logger.info({ sites: sites.length }, 'sites reloaded');
    }) ?? (() => {});
  const server = createTrafficServer(ctx, { fastHits: config.fastHits, zeroCopy: config.zeroCopy });
  return {
    ctx,
    server,
    purgeLocal,
    usage,
    stopWatchingSites: unsubscribe,
    async close() {
      unsubscribe();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await upstream.close();
      ctx.observer.flush();
    },
  };
}

/** The disk tier the settings ask for, loaded from its files (undefined without one). */
export async function loadDiskTier(
  config: EdgeConfig,
  logger: Logger,
): Promise<DiskStore | undefined> {
  const path = diskTierPath(config);
  if (path === undefined) return undefined;
  const disk = new DiskStore(path, config.diskBytes, config.maxObjects);
  await disk.load();
  logger.info({ objects: disk.objects, bytes: disk.bytes }, 'disk tier loaded');
  return disk;
}

/**
 * Hands a traffic thread's usage counts to `onUsage` every second; `stop()` ends that and hands
 * over the last ones (call it after the traffic closed).
 */
export function reportUsageEverySecond(
  usage: UsageCounts | undefined,
  onUsage: ((usage: readonly SiteUsage[]) => void) | undefined,
): { stop(): void } {
  const report = () => {
    const counted = usage?.take() ?? [];
    if (counted.length > 0) onUsage?.(counted);
  };
  const timer = setInterval(report, 1000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      report();
    },
  };
}

/** What an edge that follows the origin adds to a start. */
export interface EdgeStartOptions {
  /** Receives the usage the traffic processes counted (about once a second, and at close). */
  onUsage?(usage: readonly SiteUsage[]): void;
}

/** A started edge, whatever its process layout. */
export interface RunningEdgeHandle {
  trafficPort: number;
  managementPort: number;
  /** The registry behind /metrics (with workers: the primary's, merged with theirs on scrape). */
  registry: Registry;
  /** Applies a purge as the management endpoint does: every worker and tier, then resolves. */
  purge(purge: PurgeRequest): Promise<number>;
  close(): Promise<void>;
}

export function listen(
  server: Server,
  port: number,
  host: string,
  reusePort = false,
): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, reusePort, exclusive: reusePort }, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}
