// The edge in one process: traffic, cache (memory + optional disk) and management port together.
// Used with EDGEPLANE_EDGE_WORKERS=1, and by tests that need no worker threads.
import { Registry } from 'prom-client';
import type { Logger } from '../lib/logger.ts';
import type { SiteSource } from '../lib/site.ts';
import { registerCacheGauges } from './cache-gauges.ts';
import type { EdgeConfig } from './config.ts';
import { createManagementServer } from './management.ts';
import { normalisePurge, type PurgeRequest } from './purge.ts';
import { LocalTier } from './store/tiers.ts';
import {
  createTrafficProcess,
  type EdgeStartOptions,
  listen,
  loadDiskTier,
  type RunningEdgeHandle,
  reportUsageEverySecond,
} from './traffic.ts';
import { zeroCopyState } from './zero-copy/index.ts';

export type RunningEdge = RunningEdgeHandle;

export async function startSingleEdge(
  config: EdgeConfig,
  sites: SiteSource,
  logger: Logger,
  options: EdgeStartOptions = {},
): Promise<RunningEdge> {
  const registry = new Registry();
  const disk = await loadDiskTier(config, logger);
  let tier: LocalTier | undefined;
  const traffic = await createTrafficProcess({
    config,
    sites,
    tier: (purgeLocal) => {
      tier = new LocalTier(disk, purgeLocal);
      return tier;
    },
    memory: config.memoryBytes,
    registry,
    logger,
    countUsage: options.onUsage !== undefined,
  });
  const usageReports = reportUsageEverySecond(traffic.usage, options.onUsage);
  const memory = traffic.ctx.memory;
  const gauges = registerCacheGauges(registry, () => ({
    memory: { bytes: memory.bytes, objects: memory.objects, evictions: memory.evictions },
    disk: tier?.stats().disk,
  }));
  let ready = false;
  const purge = (request: PurgeRequest) => {
    gauges.purges.labels(request.kind, request.mode).inc();
    return traffic.ctx.tier.purgeEverywhere(normalisePurge(request, traffic.ctx.sites));
  };
  const management = createManagementServer({
    ready: () => ready && (sites.ready ?? true),
    metrics: async () => {
      gauges.refresh();
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    purge,
    purgeToken: config.purgeToken,
    logger,
  });
  const managementPort = await listen(management, config.managementPort, config.host);
  const trafficPort = await listen(traffic.server, config.trafficPort, config.host);
  ready = true;
  logger.info(
    { trafficPort, managementPort, workers: 1, zeroCopy: zeroCopyState(config) },
    'edge listening',
  );
  return {
    trafficPort,
    managementPort,
    registry,
    purge,
    async close() {
      ready = false;
      await traffic.close();
      usageReports.stop();
      await new Promise<void>((resolve) => {
        management.close(() => resolve());
        management.closeAllConnections();
      });
    },
  };
}
