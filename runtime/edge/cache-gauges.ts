// Cache size metrics, read from the stores when Prometheus scrapes (no bookkeeping per request).
import type { Registry } from 'prom-client';
import { registerMetrics } from '../lib/metrics.ts';
import type { CacheStats } from './store/edge-cache.ts';

/** Registers cache gauges and the evictions counter; `read` gives stats by tier name. */
export function registerCacheGauges(
  registry: Registry,
  read: () => Record<string, CacheStats | undefined>,
) {
  const metrics = registerMetrics(registry, [
    'edgeCacheBytes',
    'edgeCacheObjects',
    'edgeCacheEvictions',
    'edgePurges',
  ]);
  const reported = new Map<string, number>();
  return {
    purges: metrics.edgePurges,
    /** Call before reading the registry. */
    refresh() {
      for (const [tier, stats] of Object.entries(read())) {
        if (stats === undefined) continue;
        metrics.edgeCacheBytes.labels(tier).set(stats.bytes);
        metrics.edgeCacheObjects.labels(tier).set(stats.objects);
        const previous = reported.get(tier) ?? 0;
        if (stats.evictions > previous)
          metrics.edgeCacheEvictions.labels(tier).inc(stats.evictions - previous);
        reported.set(tier, stats.evictions);
      }
    },
  };
}
