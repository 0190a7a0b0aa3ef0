// Figures of the purge-propagation section: for each purge, the time until the slowest of the
// edges stopped serving the object; over all purges, p50, p99 and max of that, against issue #5's
// target (p99 at most 100 ms).

/** Issue #5: purge propagation p99 at most this. */
export const purgeTargetP99Ms = 100;

/** One purge: when each edge was first seen not serving the object, in ms after the API call. */
export interface PurgeSample {
  /** Per edge; undefined when the edge still served the object at the per-purge timeout. */
  edgeMs: readonly (number | undefined)[];
  /** How long POST /v1/purges took to answer. */
  apiMs: number;
}

export interface PurgeSummary {
  purges: number;
  /** Purges where some edge still served the object when the per-purge timeout ran out. */
  timedOut: number;
  /** Over the slowest edge of each completed purge. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Over every edge of every completed purge: how the edges do on their own. */
  anyEdgeP50Ms: number;
  apiP50Ms: number;
  apiP99Ms: number;
  meetsTarget: boolean;
}

/** Nearest-rank percentile (p in 0..100) of values; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/** The slowest edge of one purge; undefined when any edge never stopped serving the object. */
export function slowestEdgeMs(sample: PurgeSample): number | undefined {
  if (sample.edgeMs.length === 0 || sample.edgeMs.some((ms) => ms === undefined)) return undefined;
  return Math.max(...(sample.edgeMs as number[]));
}

export function summarisePurges(samples: readonly PurgeSample[]): PurgeSummary {
  const slowest = samples.map(slowestEdgeMs).filter((ms): ms is number => ms !== undefined);
  const timedOut = samples.length - slowest.length;
  const every = samples.flatMap((sample) =>
    sample.edgeMs.filter((ms): ms is number => ms !== undefined),
  );
  const p99Ms = percentile(slowest, 99);
  return {
    purges: samples.length,
    timedOut,
    p50Ms: percentile(slowest, 50),
    p99Ms,
    maxMs: slowest.length === 0 ? Number.NaN : Math.max(...slowest),
    anyEdgeP50Ms: percentile(every, 50),
    apiP50Ms: percentile(
      samples.map((sample) => sample.apiMs),
      50,
    ),
    apiP99Ms: percentile(
      samples.map((sample) => sample.apiMs),
      99,
    ),
    // A purge some edge never applied is a miss of the target whatever the percentiles say.
    meetsTarget: timedOut === 0 && slowest.length > 0 && p99Ms <= purgeTargetP99Ms,
  };
}

const ms = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(1));

/** The report lines of the section. */
export function formatPurgeSummary(summary: PurgeSummary, edges: number): string[] {
  return [
    `purge propagation: POST /v1/purges until all ${edges} edges stop serving the object (slowest edge per purge)`,
    `  purges ${summary.purges}, p50 ${ms(summary.p50Ms)} ms, p99 ${ms(summary.p99Ms)} ms, max ${ms(summary.maxMs)} ms; ` +
      `target p99 <= ${purgeTargetP99Ms} ms ${summary.meetsTarget ? 'met' : 'MISSED'}`,
    `  any single edge p50 ${ms(summary.anyEdgeP50Ms)} ms; the API call itself p50 ${ms(summary.apiP50Ms)} ms, p99 ${ms(summary.apiP99Ms)} ms` +
      (summary.timedOut > 0
        ? `; ${summary.timedOut} purges NOT APPLIED by every edge in time`
        : ''),
  ];
}
