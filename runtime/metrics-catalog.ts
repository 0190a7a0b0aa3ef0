// Every metric the runtime exports: name, type, help and labels. The runtime registers its
// prom-client metrics from this list, and the monitoring component's dashboards and alert rules
// may only query names found here (a test checks it), so the two cannot drift apart.
export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricDefinition {
  name: string;
  type: MetricType;
  help: string;
  labels: readonly string[];
  /** Histogram buckets, in the metric's unit. */
  buckets?: readonly number[];
}

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export const metricCatalog = {
  edgeRequests: {
    name: 'edgeplane_edge_requests_total',
    type: 'counter',
    help: 'Requests served by the edge, by site, status code class and cache result.',
    labels: ['site', 'status', 'cache'],
  },
  edgeResponseBytes: {
    name: 'edgeplane_edge_response_bytes_total',
    type: 'counter',
    help: 'Response body bytes sent to clients, by site.',
    labels: ['site'],
  },
  edgeOriginDuration: {
    name: 'edgeplane_edge_origin_duration_seconds',
    type: 'histogram',
    help: 'Time to the first byte of the upstream (origin or shield) response, by site.',
    labels: ['site'],
    buckets: latencyBuckets,
  },
  edgeCacheBytes: {
    name: 'edgeplane_edge_cache_bytes',
    type: 'gauge',
    help: 'Bytes held by the cache, by tier (memory, disk).',
    labels: ['tier'],
  },
  edgeCacheObjects: {
    name: 'edgeplane_edge_cache_objects',
    type: 'gauge',
    help: 'Objects held by the cache, by tier (memory, disk).',
    labels: ['tier'],
  },
  edgeCacheEvictions: {
    name: 'edgeplane_edge_cache_evictions_total',
    type: 'counter',
    help: 'Objects evicted to stay within the byte bound, by tier.',
    labels: ['tier'],
  },
  edgeOriginErrors: {
    name: 'edgeplane_edge_origin_errors_total',
    type: 'counter',
    help: 'Upstream requests that failed, by site and failure (connect, timeout, reset).',
    labels: ['site', 'failure'],
  },
  edgePurges: {
    name: 'edgeplane_edge_purges_total',
    type: 'counter',
    help: 'Purges applied by the edge, by kind (url, key, prefix, all) and mode (soft, hard).',
    labels: ['kind', 'mode'],
  },
  edgePurgeLag: {
    name: 'edgeplane_edge_purge_lag_seconds',
    type: 'histogram',
    help: 'Time from a purge being committed at the origin to the edge applying it.',
    labels: [],
    buckets: latencyBuckets,
  },
  edgeOriginLinkUp: {
    name: 'edgeplane_edge_origin_link_up',
    type: 'gauge',
    help: "1 while the edge's event stream from the origin is connected, 0 while it reconnects.",
    labels: [],
  },
  edgeOriginSeq: {
    name: 'edgeplane_edge_origin_seq',
    type: 'gauge',
    help: 'Sequence number of the last origin event (site change or purge) the edge applied.',
    labels: [],
  },
  originHttpRequests: {
    name: 'edgeplane_origin_http_requests_total',
    type: 'counter',
    help: 'Origin API requests, by route, method and status code.',
    labels: ['route', 'method', 'status'],
  },
  originHttpDuration: {
    name: 'edgeplane_origin_http_request_duration_seconds',
    type: 'histogram',
    help: 'Origin API request duration, by route and method.',
    labels: ['route', 'method'],
    buckets: latencyBuckets,
  },
  originEdgeStreams: {
    name: 'edgeplane_origin_edge_streams',
    type: 'gauge',
    help: 'Edges connected to this origin replica by the event stream.',
    labels: [],
  },
  originPurges: {
    name: 'edgeplane_origin_purges_total',
    type: 'counter',
    help: 'Purges committed by the origin API, by kind and mode.',
    labels: ['kind', 'mode'],
  },
  // Usage as the origin records it from the edges' usage batches: the one place that knows which
  // tenant owns a site, so the tenant usage dashboard reads these (one series per site).
  originUsageRequests: {
    name: 'edgeplane_origin_usage_requests_total',
    type: 'counter',
    help: 'Requests reported in edge usage batches, by tenant and site.',
    labels: ['tenant', 'site'],
  },
  originUsageBytes: {
    name: 'edgeplane_origin_usage_bytes_total',
    type: 'counter',
    help: 'Response bytes reported in edge usage batches, by tenant and site.',
    labels: ['tenant', 'site'],
  },
} as const satisfies Record<string, MetricDefinition>;

export const metricNames: ReadonlySet<string> = new Set(
  Object.values(metricCatalog).map((metric) => metric.name),
);
