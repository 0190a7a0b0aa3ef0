// Turns section results into the side-by-side table: medians over the rounds, the edge/nginx
// ratio of req/s next to the target, latencies, and whether hits and misses were real.
import type { Measurement, SectionResult } from './section.ts';

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export interface Summary {
  requestsPerSecond: number;
  minRequestsPerSecond: number;
  maxRequestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  originFetchesPerRequest: number;
  originConnections: number;
}

export function summarise(runs: readonly Measurement[]): Summary {
  const rps = runs.map((run) => run.requestsPerSecond);
  return {
    requestsPerSecond: median(rps),
    minRequestsPerSecond: Math.min(...rps),
    maxRequestsPerSecond: Math.max(...rps),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    originFetchesPerRequest: median(runs.map((run) => run.originFetchesPerRequest)),
    originConnections: median(runs.map((run) => run.originConnections)),
  };
}

export interface ComparisonLine {
  id: string;
  title: string;
  baseline: Summary;
  candidate: Summary;
  /** candidate req/s over baseline req/s (medians). */
  ratio: number;
  /** The same ratio within each round: the two runs of a round are next to each other in time. */
  roundRatios: number[];
  targetRatio?: number;
  /** undefined when the issue sets no target. */
  meetsTarget?: boolean;
}

export function compare(
  result: SectionResult,
  baseline: string,
  candidate: string,
): ComparisonLine {
  const baselineRuns = result.runs.get(baseline);
  const candidateRuns = result.runs.get(candidate);
  if (!baselineRuns?.length || !candidateRuns?.length) {
    throw new Error(`section ${result.id} has no runs of ${baseline} and ${candidate}`);
  }
  const baselineSummary = summarise(baselineRuns);
  const candidateSummary = summarise(candidateRuns);
  const ratio = candidateSummary.requestsPerSecond / baselineSummary.requestsPerSecond;
  const roundRatios = candidateRuns
    .slice(0, baselineRuns.length)
    .map(
      (run, index) =>
        run.requestsPerSecond / (baselineRuns[index] as Measurement).requestsPerSecond,
    );
  const line: ComparisonLine = {
    id: result.id,
    title: result.title,
    baseline: baselineSummary,
    candidate: candidateSummary,
    ratio,
    roundRatios,
  };
  if (result.targetRatio === undefined) return line;
  return { ...line, targetRatio: result.targetRatio, meetsTarget: ratio >= result.targetRatio };
}

const thousands = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const rps = (value: number) => thousands.format(value);
const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const fetches = (value: number) => value.toFixed(2);

function table(rows: readonly string[][]): string[] {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd(),
  );
}

/** The side-by-side table; baseline and candidate are the targets' names (nginx, edge). */
export function formatComparison(
  lines: readonly ComparisonLine[],
  baseline: string,
  candidate: string,
): string {
  const header = [
    'section',
    `${baseline} req/s`,
    `${candidate} req/s`,
    `${candidate}/${baseline}`,
    'target',
    `${baseline} p50/p99 ms`,
    `${candidate} p50/p99 ms`,
    'origin fetches/req',
  ];
  const rows = lines.map((line) => [
    line.title,
    rps(line.baseline.requestsPerSecond),
    rps(line.candidate.requestsPerSecond),
    `${line.ratio.toFixed(2)}x`,
    line.targetRatio === undefined
      ? '-'
      : `>=${line.targetRatio.toFixed(2)}x ${line.meetsTarget ? 'met' : 'MISSED'}`,
    `${ms(line.baseline.p50Ms)} / ${ms(line.baseline.p99Ms)}`,
    `${ms(line.candidate.p50Ms)} / ${ms(line.candidate.p99Ms)}`,
    `${fetches(line.baseline.originFetchesPerRequest)} / ${fetches(line.candidate.originFetchesPerRequest)}`,
  ]);
  const spread = lines.map(
    (line) =>
      `  ${line.title}: ${baseline} ${rps(line.baseline.minRequestsPerSecond)}-${rps(line.baseline.maxRequestsPerSecond)}, ` +
      `${candidate} ${rps(line.candidate.minRequestsPerSecond)}-${rps(line.candidate.maxRequestsPerSecond)} req/s; ` +
      `${candidate}/${baseline} by round ${line.roundRatios.map((value) => value.toFixed(2)).join(' ')}; ` +
      `new origin connections per run ${rps(line.baseline.originConnections)} / ${rps(line.candidate.originConnections)}`,
  );
  return [...table([header, ...rows]), '', 'Spread over the rounds (min-max):', ...spread].join(
    '\n',
  );
}
