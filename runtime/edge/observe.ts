// Metrics and request logs of the traffic path. Label children are cached so a hit costs one
// Map lookup and one increment, and the log line is written by pino's asynchronous destination.
import type { Counter, Histogram } from 'prom-client';
import type { RequestLogMode } from '../contract.ts';
import { createRequestLineWriter, type Logger } from '../lib/logger.ts';
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

const statusClasses = ['1xx', '2xx', '3xx', '4xx', '5xx'];

export function createObserver(
  metrics: ObserverMetrics,
  logger: Logger,
  requestLog: RequestLogMode,
  /** Per-site usage for the origin (edges that follow an origin); unknown hosts are not a site's. */
  usage?: UsageCounts,
): Observer {
  const requestChildren = new Map<string, Counter.Internal>();
  const byteChildren = new Map<string, Counter.Internal>();
  const durationChildren = new Map<string, Histogram.Internal<string>>();
  const writeLine = createRequestLineWriter(logger);

  return {
    logger,
    flush: () => writeLine.flush(),
    request(observed) {
      const status = statusClasses[Math.floor(observed.status / 100) - 1] ?? 'other';
      const id = `${observed.site}\u0000${status}\u0000${observed.cache}`;
      let child = requestChildren.get(id);
      if (child === undefined) {
        child = metrics.requests.labels(observed.site, status, observed.cache);
        requestChildren.set(id, child);
      }
      child.inc();
      if (usage !== undefined && observed.site !== 'unknown')
        usage.record(observed.site, observed.bytes, observed.cache);
      if (observed.bytes > 0) {
        let bytes = byteChildren.get(observed.site);
        if (bytes === undefined) {
          bytes = metrics.responseBytes.labels(observed.site);
          byteChildren.set(observed.site, bytes);
        }
        bytes.inc(observed.bytes);
      }
      if (requestLog === 'all' || (requestLog === 'errors' && observed.status >= 500)) {
        writeLine({
          site: observed.site,
          method: observed.method,
          path: observed.path,
          status: observed.status,
          cache: observed.cache,
          bytes: observed.bytes,
          ms: Math.round((performance.now() - observed.startedAt) * 10) / 10,
        });
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
