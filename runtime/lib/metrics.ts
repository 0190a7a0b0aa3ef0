// prom-client metrics built from runtime/metrics-catalog.ts, so no name is typed twice.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { type MetricDefinition, metricCatalog } from '../metrics-catalog.ts';

type Catalog = typeof metricCatalog;
type MetricFor<D extends MetricDefinition> = D['type'] extends 'counter'
  ? Counter<string>
  : D['type'] extends 'gauge'
    ? Gauge<string>
    : Histogram<string>;

export type MetricsFor<K extends keyof Catalog> = { [P in K]: MetricFor<Catalog[P]> };

/** Registers the named catalog metrics on a registry and returns them by catalog key. */
export function registerMetrics<K extends keyof Catalog>(
  registry: Registry,
  keys: readonly K[],
): MetricsFor<K> {
  const out: Partial<Record<K, Counter<string> | Gauge<string> | Histogram<string>>> = {};
  for (const key of keys) {
    const definition: MetricDefinition = metricCatalog[key];
    const common = {
      name: definition.name,
      help: definition.help,
      labelNames: [...definition.labels],
      registers: [registry],
    };
    if (definition.type === 'counter') out[key] = new Counter(common);
    else if (definition.type === 'gauge') out[key] = new Gauge(common);
    else
      out[key] = new Histogram({
        ...common,
        ...(definition.buckets ? { buckets: [...definition.buckets] } : {}),
      });
  }
  return out as MetricsFor<K>;
}

type Collectable = Counter<string> | Gauge<string> | Histogram<string>;

/**
 * Runs `hook` whenever prom-client collects `metric` (a scrape, or `getMetricsAsJSON` for the
 * primary's merge), after any hook added before. Lets a hot path count in plain numbers and hand
 * the totals over only when they are read.
 */
export function beforeCollect(metric: Collectable, hook: () => void): void {
  // prom-client reads `collect` from the instance at every get(); its typings declare it only as
  // a constructor option, hence the widened view.
  const target = metric as unknown as { collect?: () => void | Promise<void> };
  const earlier = target.collect;
  target.collect =
    earlier === undefined
      ? hook
      : async () => {
          await earlier.call(metric);
          hook();
        };
}
