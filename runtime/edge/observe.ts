// Metrics and request logs of the traffic path. A request adds to plain per-site counts that
// prom-client collects at scrape time, and its log line goes to pino's asynchronous destination.
import type { Counter, Histogram } from 'prom-client';
import type { RequestLogMode } from '../contract.ts';
import { createRequestLineWriter, type Logger } from '../lib/logger.ts';
import { beforeCollect } from '../lib/metrics.ts';
import type { UsageCounts } from './usage.ts';

/** How a request was answered; the `cache` label of edgeplane_edge_requests_total. */
export type CacheResult =
  | 'hit'
  | 'stale'
  | 'revalidated'
  | 'miss'
  | 'pass'
  | 'collapsed'
  | 'error'
  | 'none';

export interface ObservedRequest {
  site: string;
  method: string;
  path: string;
  status: number;
  cache: CacheResult;
  bytes: number;
  startedAt: number;
}

export interface Observer {
  request(observed: ObservedRequest): void;
  originLatency(site: string, seconds: number): void;
  originError(site: string, failure: string): void;
  readonly logger: Logger;
  /** Writes out the request lines still held (before the process exits). */
  flush(): void;
}

interface ObserverMetrics {
  requests: Counter<string>;
  responseBytes: Counter<string>;
  originDuration: Histogram<string>;
  originErrors: Counter<string>;
}

const statusClasses = ['1xx', '2xx', '3xx', '4xx', '5xx', 'other'] as const;
const cacheResults: readonly CacheResult[] = [
  'hit',
  'stale',
  'revalidated',
  'miss',
  'pass',
  'collapsed',
  'error',
  'none',
];
const cacheIndex = new Map(cacheResults.map((result, index) => [result, index]));

/** A site's requests and bytes since the last scrape; a slot per status class and cache result. */
interface SiteCounts {
  requests: Float64Array;
  bytes: number;
}

function statusClassIndex(status: number): number {
  const index = Math.floor(status / 100) - 1;
  return index >= 0 && index < 5 ? index : 5;
}

export function createObserver(
  metrics: ObserverMetrics,
  logger: Logger,
  requestLog: RequestLogMode,
  /** Per-site usage for the origin (edges that follow an origin); unknown hosts are not a site's. */
  usage?: UsageCounts,
): Observer {
  // Requests and bytes are counted here and handed to prom-client when it collects (a scrape or
  // the primary's merge): prom-client's inc() hashes and validates the labels on every call.
  const counts = new Map<string, SiteCounts>();
  const handOver = () => {
    for (const [site, pending] of counts) {
      const { requests } = pending;
      for (let slot = 0; slot < requests.length; slot++) {
        const count = requests[slot] as number;
        if (count === 0) continue;
        requests[slot] = 0;
        const status = statusClasses[Math.floor(slot / cacheResults.length)] as string;
        const cache = cacheResults[slot % cacheResults.length] as string;
        metrics.requests.inc({ site, status, cache }, count);
      }
      if (pending.bytes > 0) {
        metrics.responseBytes.inc({ site }, pending.bytes);
        pending.bytes = 0;
      }
    }
  };
  beforeCollect(metrics.requests, handOver);
  beforeCollect(metrics.responseBytes, handOver);
  const durationChildren = new Map<string, Histogram.Internal<string>>();
  const writeLine = createRequestLineWriter(logger);

  return {
    logger,
    flush: () => writeLine.flush(),
    request(observed) {
      let pending = counts.get(observed.site);
      if (pending === undefined) {
        pending = {
          requests: new Float64Array(statusClasses.length * cacheResults.length),
          bytes: 0,
        };
        counts.set(observed.site, pending);
      }
      const slot =
        statusClassIndex(observed.status) * cacheResults.length +
        (cacheIndex.get(observed.cache) ?? cacheResults.length - 1);
      pending.requests[slot] = (pending.requests[slot] as number) + 1;
      pending.bytes += observed.bytes;
      if (usage !== undefined && observed.site !== 'unknown')
        usage.record(observed.site, observed.bytes, observed.cache);
      if (requestLog === 'all' || (requestLog === 'errors' && observed.status >= 500)) {
        writeLine(
          observed.site,
          observed.method,
          observed.path,
          observed.status,
          observed.cache,
          observed.bytes,
          Math.round((performance.now() - observed.startedAt) * 10) / 10,
        );
      }
    },
    originLatency(site, seconds) {
      let child = durationChildren.get(site);
      if (child === undefined) {
        child = metrics.originDuration.labels(site);
        durationChildren.set(site, child);
      }
      child.observe(seconds);
    },
    originError(site, failure) {
      metrics.originErrors.labels(site, failure).inc();
    },
  };
}
