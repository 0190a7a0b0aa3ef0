// A section that drives every target with wrk on one kind of traffic: a warm-up per target, then
// rounds that alternate the targets (nginx, edge, nginx, edge...) so machine noise hits both alike.
// The origin's counters are read around each run, so the report can show that hits never reached
// the origin and that every miss did.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fetchOnce } from './net.ts';
import type { OriginCounts } from './origin-routes.ts';
import type { BenchContext, Measurement, Section, SectionResult } from './section.ts';
import { errorCount, runWrk, type WrkResult, type WrkRun, wrkCommandLine } from './wrk.ts';
import { renderWrkScript, type WrkScriptKind } from './wrk-script.ts';

/** The origin's workers report their counters every 100 ms. */
const originCountsLagMs = 300;

export interface WrkComparisonSpec {
  id: string;
  title: string;
  targetRatio?: number;
  traffic:
    | { kind: 'fixed-url'; path: string; bodyBytes: number }
    | { kind: 'distinct-urls'; pathPrefix: string; bodyBytes: number };
  /** Which origin counter the traffic moves. */
  originCounter: Exclude<keyof OriginCounts, 'connections'>;
  /** Expected origin fetches per request: 0 for hits, 1 for misses. */
  expectedFetchesPerRequest: 0 | 1;
}

/** What makes one run's figures doubtful: wrk errors, hits that reached the origin, misses that did not, no keep-alive. */
export function runWarnings(run: {
  label: string;
  result: WrkResult;
  originFetches: number;
  originConnections: number;
  expectedFetchesPerRequest: 0 | 1;
  connections: number;
}): string[] {
  const warnings: string[] = [];
  const errors = errorCount(run.result.errors);
  if (errors > 0)
    warnings.push(`${run.label}: ${errors} wrk errors ${JSON.stringify(run.result.errors)}`);
  const expected = run.expectedFetchesPerRequest * run.result.requests;
  // Slack for requests in flight when wrk stopped and for collapsed duplicates.
  const slack = Math.max(run.connections * 2, run.result.requests * 0.02);
  if (Math.abs(run.originFetches - expected) > slack) {
    warnings.push(
      `${run.label}: the origin served ${run.originFetches} requests for ${run.result.requests} ` +
        `client requests (expected about ${expected})`,
    );
  }
  // A cache with a warm keep-alive pool opens few new upstream connections, if any.
  if (run.originConnections > run.connections * 2 + 16) {
    warnings.push(
      `${run.label}: opened ${run.originConnections} new origin connections for ${run.originFetches} ` +
        'origin requests (upstream keep-alive not reused?)',
    );
  }
  return warnings;
}

export function wrkComparison(spec: WrkComparisonSpec): Section {
  return {
    id: spec.id,
    title: spec.title,
    run: (context) => runComparison(spec, context),
  };
}

async function runComparison(
  spec: WrkComparisonSpec,
  context: BenchContext,
): Promise<SectionResult> {
  const { options, targets, origin } = context;
  const scriptKind: WrkScriptKind = spec.traffic.kind;
  const scriptPath = join(context.dir, `wrk-${scriptKind}.lua`);
  await writeFile(scriptPath, renderWrkScript(scriptKind));
  const warnings: string[] = [];

  // One request per target first: a cache that answers wrongly makes any figure meaningless.
  for (const target of targets) {
    const path =
      spec.traffic.kind === 'fixed-url'
        ? spec.traffic.path
        : `${spec.traffic.pathPrefix}check-${process.pid}-${Date.now()}`;
    const response = await fetchOnce(`${target.url}${path}`, { host: context.host });
    if (response.status !== 200 || response.body.length !== spec.traffic.bodyBytes) {
      throw new Error(
        `${target.name} answered ${path} with ${response.status} and ${response.body.length} bytes, ` +
          `not 200 and ${spec.traffic.bodyBytes}: the comparison would be meaningless`,
      );
    }
  }

  let runNumber = 0;
  const wrkRun = (targetUrl: string, durationSeconds: number): WrkRun => {
    runNumber++;
    const base: WrkRun = {
      url: spec.traffic.kind === 'fixed-url' ? `${targetUrl}${spec.traffic.path}` : `${targetUrl}/`,
      durationSeconds,
      connections: options.connections,
      threads: options.threads,
      scriptPath,
      headers: { Host: context.host },
    };
    if (spec.traffic.kind === 'fixed-url') return base;
    // A prefix no earlier run used, so every request of this run is a URL no cache has seen.
    const prefix = `${spec.traffic.pathPrefix}${process.pid}-${Date.now()}-${runNumber}/`;
    return { ...base, scriptArgs: [prefix] };
  };

  for (const target of targets) {
    context.progress(`${spec.id}: warm-up of ${target.name} (${options.warmupSeconds} s)`);
    await runWrk(wrkRun(target.url, options.warmupSeconds), context.signal);
  }

  const runs = new Map<string, Measurement[]>(targets.map((target) => [target.name, []]));
  const commands: string[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const target of targets) {
      context.progress(
        `${spec.id}: round ${round}/${options.rounds}, ${target.name} (${options.durationSeconds} s)`,
      );
      await sleep(originCountsLagMs);
      const before = await origin.counts();
      const run = wrkRun(target.url, options.durationSeconds);
      const result = await runWrk(run, context.signal);
      await sleep(originCountsLagMs);
      const after = await origin.counts();
      const fetches = after[spec.originCounter] - before[spec.originCounter];
      const errors = errorCount(result.errors);
      const measurement: Measurement = {
        requestsPerSecond: result.requestsPerSecond,
        p50Ms: result.p50Ms,
        p99Ms: result.p99Ms,
        errors,
        originFetchesPerRequest: result.requests === 0 ? 0 : fetches / result.requests,
        originConnections: after.connections - before.connections,
      };
      runs.get(target.name)?.push(measurement);
      if (round === 1) commands.push(`${target.name}: ${wrkCommandLine(run)}`);
      warnings.push(
        ...runWarnings({
          label: `${target.name} round ${round}`,
          result,
          originFetches: fetches,
          originConnections: measurement.originConnections,
          expectedFetchesPerRequest: spec.expectedFetchesPerRequest,
          connections: options.connections,
        }),
      );
    }
  }
  const result: SectionResult = {
    id: spec.id,
    title: spec.title,
    runs,
    commands:
      spec.traffic.kind === 'distinct-urls'
        ? [...commands, '(the miss prefix after -- is new in every run)']
        : commands,
    warnings,
  };
  return spec.targetRatio === undefined ? result : { ...result, targetRatio: spec.targetRatio };
}
