// The edges' own view of purge propagation: edgeplane_edge_purge_lag_seconds (from the purge's
// commit at the origin to the edge applying it), summed over the edges' /metrics. It splits the
// bench's figure into the API call and what follows the commit.
import { managementPaths } from '../runtime/contract.ts';
import { metricCatalog } from '../runtime/metrics-catalog.ts';
import { fetchOnce } from './net.ts';

const lagName = metricCatalog.edgePurgeLag.name;

/** Sum and count of one unlabelled histogram in Prometheus text; zeros when absent. */
export function histogramTotals(text: string, name: string): { sum: number; count: number } {
  const read = (suffix: string) => {
    const match = new RegExp(`^${name}_${suffix}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
    return match ? Number(match[1]) : 0;
  };
  return { sum: read('sum'), count: read('count') };
}

/** Mean commit-to-applied lag in ms over every purge every edge applied (warm-up included). */
export async function meanPurgeLag(
  managementUrls: readonly string[],
): Promise<{ applied: number; meanMs: number }> {
  let sum = 0;
  let count = 0;
  for (const url of managementUrls) {
    const response = await fetchOnce(`${url}${managementPaths.metrics}`);
    const totals = histogramTotals(response.body.toString('utf8'), lagName);
    sum += totals.sum;
    count += totals.count;
  }
  return { applied: count, meanMs: count === 0 ? Number.NaN : (sum / count) * 1000 };
}
