// Metric names a PromQL expression selects, read from its syntax tree (Prometheus's own Lezer
// grammar) rather than with a regular expression, so functions, labels, keywords and durations are
// never mistaken for metrics. Used by the tests that tie dashboards and rules to the catalog.
import { parser } from '@prometheus-io/lezer-promql';
import { type MetricDefinition, metricCatalog } from '../../runtime/metrics-catalog.ts';

export interface ParsedQuery {
  metrics: string[];
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
  const errors: string[] = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors.push(expr.slice(Math.max(0, node.from - 20), node.to + 20));
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') {
        metrics.add(expr.slice(node.from, node.to));
      }
    },
  });
  return { metrics: [...metrics].sort(), errors };
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
