// Alerting rules for the edgeplane runtime, written once here: the component renders them into a
// PrometheusRule, and runtime-rules.test.ts writes the same groups to a rule file for
// `promtool check rules` and `promtool test rules` (runtime-rules.promtool-test.yaml).
// Metric names come from the runtime's catalog; restarts come from kube-state-metrics.
import { metricCatalog } from '../../runtime/metrics-catalog.ts';
import { namespaces } from '../namespaces.ts';

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: 'critical' | 'warning' };
  annotations: { summary: string; description: string };
}

export interface RuleGroup {
  name: string;
  rules: AlertRule[];
}

/** kube-state-metrics series the rules use (shipped by kube-prometheus-stack). */
export const kubeStateMetrics = [
  'kube_pod_container_status_restarts_total',
  'kube_pod_container_status_waiting_reason',
  'kube_deployment_status_replicas_available',
] as const;

const requests = metricCatalog.edgeRequests.name;
const upstreamDuration = metricCatalog.edgeOriginDuration.name;
const originDuration = metricCatalog.originHttpDuration.name;
const purgeLag = metricCatalog.edgePurgeLag.name;
const edgePurges = metricCatalog.edgePurges.name;
const originPurges = metricCatalog.originPurges.name;
const edgeStreams = metricCatalog.originEdgeStreams.name;
const cdnNamespace = namespaces.cdn;

/** Below this many requests per second a site's ratios are noise, not signal. */
const minimumRequestRate = 0.1;

export const runtimeRuleGroups: RuleGroup[] = [
  {
    name: 'edgeplane-edge',
    rules: [
      {
        alert: 'EdgeplaneEdgeHigh5xxRate',
        expr: `(sum by (site) (rate(${requests}{status=~"5.."}[5m])) / sum by (site) (rate(${requests}[5m]))) > 0.05 and sum by (site) (rate(${requests}[5m])) > ${minimumRequestRate}`,
        for: '5m',
        labels: { severity: 'critical' },
        annotations: {
          summary: 'Edge 5xx rate above 5% on site {{ $labels.site }}',
          description:
            'More than 5% of the requests the edge served for {{ $labels.site }} over the last 5 minutes were 5xx responses.',
        },
      },
      {
        alert: 'EdgeplaneCacheHitRatioDrop',
        expr: `(sum by (site) (rate(${requests}{cache="hit"}[15m])) / sum by (site) (rate(${requests}[15m]))) < 0.8 * (sum by (site) (rate(${requests}{cache="hit"}[6h] offset 15m)) / sum by (site) (rate(${requests}[6h] offset 15m))) and sum by (site) (rate(${requests}[15m])) > ${minimumRequestRate}`,
        for: '15m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'Cache hit ratio dropped on site {{ $labels.site }}',
          description:
            'The cache hit ratio of {{ $labels.site }} over 15 minutes is below 80% of its ratio over the 6 hours before: check for a purge storm, a Cache-Control change at the origin or an edge restart.',
        },
      },
      {
        alert: 'EdgeplaneUpstreamLatencyHigh',
        expr: `histogram_quantile(0.95, sum by (site, le) (rate(${upstreamDuration}_bucket[5m]))) > 2`,
        for: '10m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'Slow upstream for site {{ $labels.site }}',
          description:
            'The 95th percentile time to first byte from the origin or shield for {{ $labels.site }} is above 2 seconds.',
        },
      },
    ],
  },
  {
    name: 'edgeplane-origin',
    rules: [
      {
        alert: 'EdgeplaneOriginApiLatencyHigh',
        expr: `histogram_quantile(0.95, sum by (route, le) (rate(${originDuration}_bucket[5m]))) > 0.5`,
        for: '10m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'Origin API route {{ $labels.route }} is slow',
          description:
            'The 95th percentile duration of origin API requests on {{ $labels.route }} is above 500 ms.',
        },
      },
    ],
  },
  {
    name: 'edgeplane-purge',
    rules: [
      {
        alert: 'EdgeplanePurgeLagHigh',
        expr: `histogram_quantile(0.99, sum by (le) (rate(${purgeLag}_bucket[10m]))) > 10`,
        for: '5m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'Purges reach the edges late',
          description:
            'The 99th percentile time from a purge committed at the origin to an edge applying it is above 10 seconds: stale content is served for that long.',
        },
      },
      {
        // Only the home region runs the origin: elsewhere the left side is empty and this is quiet.
        alert: 'EdgeplaneEdgesDisconnected',
        expr: `sum(${edgeStreams}) < 1 and on () sum(kube_deployment_status_replicas_available{namespace="${cdnNamespace}", deployment=~".*edge.*"}) > 0`,
        for: '10m',
        labels: { severity: 'critical' },
        annotations: {
          summary: 'No edge is connected to the origin event stream',
          description:
            'Edge pods are running but the origin has no edge on its event stream: edges keep serving, but miss config changes and purges until they reconnect.',
        },
      },
      {
        alert: 'EdgeplanePurgesNotApplied',
        expr: `sum(increase(${originPurges}[15m])) > 0 unless sum(increase(${edgePurges}[15m])) > 0`,
        for: '10m',
        labels: { severity: 'critical' },
        annotations: {
          summary: 'Purges are committed but no edge applies them',
          description:
            'The origin committed purges in the last 15 minutes and no edge applied any: the event stream between origin and edges is broken.',
        },
      },
    ],
  },
  {
    name: 'edgeplane-pods',
    rules: [
      {
        alert: 'EdgeplanePodRestarting',
        expr: `increase(kube_pod_container_status_restarts_total{namespace="${cdnNamespace}"}[15m]) > 2`,
        for: '5m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'Container {{ $labels.container }} of {{ $labels.pod }} keeps restarting',
          description:
            'The container restarted more than twice in 15 minutes; see its logs in Grafana (Loki) and `kubectl describe pod`.',
        },
      },
      {
        alert: 'EdgeplanePodCrashLooping',
        expr: `max_over_time(kube_pod_container_status_waiting_reason{namespace="${cdnNamespace}", reason="CrashLoopBackOff"}[5m]) >= 1`,
        for: '10m',
        labels: { severity: 'critical' },
        annotations: {
          summary: 'Container {{ $labels.container }} of {{ $labels.pod }} is crash looping',
          description: 'The container has been in CrashLoopBackOff for 10 minutes.',
        },
      },
    ],
  },
];

/** The rule groups as a Prometheus rule file (also the `spec` of the PrometheusRule). */
export function runtimeRuleFile(): { groups: RuleGroup[] } {
  return { groups: runtimeRuleGroups };
}
