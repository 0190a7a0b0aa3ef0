// Metric names a PromQL expression selects, read from its syntax tree (Prometheus's own Lezer
// grammar) rather than with a regular expression, so functions, labels, keywords and durations are
// never mistaken for metrics. Used by the tests that tie dashboards and rules to the catalog.
import { parser } from '@prometheus-io/lezer-promql';
import { type MetricDefinition, metricCatalog } from '../../runtime/metrics-catalog.ts';

export interface Selector {
  metric: string;
  /** Label names the selector matches on, e.g. `site` in `x{site=~"a"}`. */
  labels: string[];
}

export interface ParsedQuery {
  metrics: string[];
  selectors: Selector[];
  /** Text around each syntax error; empty when the expression parses. */
  errors: string[];
}

/** Grafana variables ($site, ${site}, $__rate_interval) replaced by values PromQL accepts. */
export function withoutGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$__(rate_)?interval|\$__range/g, '5m')
    .replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, 'variable');
}

export function parsePromql(expr: string): ParsedQuery {
  const tree = parser.parse(expr);
  const metrics = new Set<string>();
  const selectors: Selector[] = [];
  const errors: string[] = [];
  const text = (node: { from: number; to: number }) => expr.slice(node.from, node.to);
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors.push(expr.slice(Math.max(0, node.from - 20), node.to + 20));
      if (node.name !== 'VectorSelector') return;
      const identifier = node.node.getChild('Identifier');
      if (!identifier) return;
      metrics.add(text(identifier));
      const matchers = node.node.getChild('LabelMatchers');
      const labels = (matchers?.getChildren('UnquotedLabelMatcher') ?? []).flatMap((matcher) => {
        const name = matcher.getChild('LabelName');
        return name ? [text(name)] : [];
      });
      selectors.push({ metric: text(identifier), labels });
    },
  });
  return { metrics: [...metrics].sort(), selectors, errors };
}

/** Labels Prometheus adds to every scraped series from its target (ServiceMonitor defaults). */
export const targetLabels = [
  'namespace',
  'pod',
  'container',
  'service',
  'endpoint',
  'job',
  'instance',
];

/** Label names each runtime series can be selected by: its declared labels, `le` on buckets, target labels. */
export function runtimeSeriesLabels(): Map<string, Set<string>> {
  const definitions: MetricDefinition[] = Object.values(metricCatalog);
  const labels = new Map<string, Set<string>>();
  for (const metric of definitions) {
    const own = [...metric.labels, ...targetLabels];
    if (metric.type === 'histogram') {
      labels.set(`${metric.name}_bucket`, new Set([...own, 'le']));
      labels.set(`${metric.name}_sum`, new Set(own));
      labels.set(`${metric.name}_count`, new Set(own));
    } else {
      labels.set(metric.name, new Set(own));
    }
  }
  return labels;
}

/** Every series name the runtime exposes: catalog names plus the _bucket/_sum/_count of histograms. */
export function runtimeSeriesNames(): Set<string> {
  const definitions: MetricDefinition[] = Object.values(metricCatalog);
  return new Set(
    definitions.flatMap((metric) =>
      metric.type === 'histogram'
        ? [`${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`]
        : [metric.name],
    ),
  );
}
