// npm run bench: edgeplane's edge side by side with nginx proxy_cache, both in front of one local
// origin, driven by wrk in alternating rounds. See bench/README.md for what is measured and how.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatProfileSummary, readProfiles, summariseProfiles } from './cpu-profile.ts';
import { startEdge } from './edge.ts';
import { ensureTools, machineFacts } from './machine.ts';
import { startNginx, type Target } from './nginx.ts';
import { OptionsError, parseOptions, usage } from './options.ts';
import { startOrigin } from './origin.ts';
import { ProcessGroup } from './processes.ts';
import { compare, formatComparison } from './report.ts';
import { acquireRunLock, type RunLock } from './run-lock.ts';
import type { BenchContext, SectionResult } from './section.ts';
import { selectSections } from './sections.ts';

/** Host header of every request; the one site both caches serve. */
const benchHost = 'bench.edgeplane.test';
const projectRoot = join(import.meta.dirname, '..');
const sharedMemory = '/dev/shm';

async function bench(argv: readonly string[]): Promise<number> {
  const options = parseOptions(argv);
  if (options.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const chosen = selectSections(options.sections);
  await ensureTools(projectRoot);

  const processes = new ProcessGroup();
  const abort = new AbortController();
  const dir = await mkdtemp(join(tmpdir(), 'edgeplane-bench-'));
  // nginx's cache lives in RAM when the machine has a tmpfs, as the edge's memory tier does:
  // on disk every miss costs nginx a file creation the edge does not pay (2-3x fewer misses/s here).
  const cacheDir = await mkdtemp(
    join(existsSync(sharedMemory) ? sharedMemory : dir, 'edgeplane-bench-nginx-cache-'),
  );
  const profileDir = join(dir, 'profiles');
  const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = true;
    progress(`${signal}: stopping`);
    abort.abort(new Error(`interrupted by ${signal}`));
  };
  const onExit = () => processes.killAllNow();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  process.on('exit', onExit);

  let lock: RunLock | undefined;
  try {
    lock = await acquireRunLock({
      timeoutMs: 10 * 60_000,
      signal: abort.signal,
      onWait: (pid) =>
        progress(`another bench (pid ${pid}) is running on this machine; waiting for it`),
    });
    const facts = await machineFacts(projectRoot);
    progress(`temp dir ${dir}`);
    progress('starting the origin');
    const origin = await startOrigin(processes, { dir, workers: options.originWorkers });
    progress('starting nginx');
    const nginx = await startNginx(processes, {
      dir,
      cacheDir,
      originUrl: origin.url,
      workers: 2,
      host: benchHost,
    });
    progress(`starting the edge (${options.edge})`);
    const edge = await startEdge(processes, {
      kind: options.edge,
      dir,
      originUrl: origin.url,
      host: benchHost,
      workers: 2,
      extraEnv: options.edgeEnv,
      ...(options.profile ? { profileDir } : {}),
    });
    const targets: Target[] = [nginx, edge];
    const context: BenchContext = {
      options,
      dir,
      host: benchHost,
      origin,
      targets,
      signal: abort.signal,
      progress,
    };
    const results: SectionResult[] = [];
    for (const section of chosen) results.push(await section.run(context));
    let profile = '';
    if (options.profile) {
      // The edge writes its profiles as its processes exit.
      await processes.stop(edge.process);
      const profiles = await readProfiles(profileDir);
      profile = formatProfileSummary(summariseProfiles(profiles, projectRoot), profiles.length);
    }
    process.stdout.write(
      `${formatReport({ facts, options, results, processes: [origin.process.command], targets })}\n`,
    );
    if (profile) process.stdout.write(`\n${profile}\n`);
    if (options.json !== undefined) {
      const [baseline, candidate] = targets.map((target) => target.name) as [string, string];
      const document = {
        facts,
        options,
        sections: results.map((result) => ({
          ...compare(result, baseline, candidate),
          runs: Object.fromEntries(result.runs),
          warnings: result.warnings,
          commands: result.commands,
        })),
      };
      await writeFile(options.json, `${JSON.stringify(document, null, 2)}\n`);
      progress(`wrote ${options.json}`);
    }
    return 0;
  } catch (error) {
    if (interrupted) return 130;
    throw error;
  } finally {
    await processes.stopAll();
    await lock?.release();
    process.off('exit', onExit);
    if (options.keep) progress(`kept ${dir} and ${cacheDir}`);
    else {
      await rm(cacheDir, { recursive: true, force: true });
      await rm(dir, { recursive: true, force: true });
    }
  }
}

function formatReport(input: {
  facts: string[];
  options: ReturnType<typeof parseOptions>;
  results: SectionResult[];
  processes: string[];
  targets: Target[];
}): string {
  const { options, results, targets } = input;
  const [baseline, candidate] = targets.map((target) => target.name) as [string, string];
  const lines = [
    '',
    `edgeplane bench: ${candidate === 'stand-in' ? "THE BENCH STAND-IN EDGE (not edgeplane's edge; figures are not results)" : "edgeplane's edge"} vs nginx proxy_cache`,
    ...input.facts.map((fact) => `  ${fact}`),
    `  wrk -t${options.threads} -c${options.connections}, ${options.rounds} rounds of ${options.durationSeconds} s per target and section, ` +
      `alternating ${baseline}, ${candidate}; ${options.warmupSeconds} s warm-up each; figures are medians over the rounds`,
    '',
    formatComparison(
      results.map((result) => compare(result, baseline, candidate)),
      baseline,
      candidate,
    ),
    '',
    'origin fetches/req: origin requests per client request during the measured runs (hits 0.00, misses 1.00).',
    `load average at end: ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')}`,
  ];
  const warnings = results.flatMap((result) =>
    result.warnings.map((warning) => `  ${result.id}: ${warning}`),
  );
  if (warnings.length > 0) lines.push('', 'WARNINGS (figures below may be doubtful):', ...warnings);
  lines.push(
    ...(Object.keys(options.edgeEnv).length > 0
      ? [
          '',
          `EDGE ENVIRONMENT OVERRIDDEN: ${Object.entries(options.edgeEnv)
            .map(([name, value]) => `${name}=${value}`)
            .join(' ')} (the issue's targets are for metrics and request logging on)`,
        ]
      : []),
    ...(options.profile
      ? [
          '',
          'PROFILED RUN: the edge ran under node --cpu-prof, so its figures are lower than without.',
        ]
      : []),
    '',
    'Commands:',
    `  origin: ${input.processes.join(' ')}`,
    ...targets.flatMap((target) =>
      target.commands.map((command) => `  ${target.name}: ${command}`),
    ),
    ...results.flatMap((result) => result.commands.map((command) => `  ${result.id} ${command}`)),
  );
  return lines.join('\n');
}

if (import.meta.main) {
  try {
    process.exitCode = await bench(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(
      `bench: ${error instanceof OptionsError ? error.message : ((error as Error).stack ?? String(error))}\n`,
    );
    process.exitCode = error instanceof OptionsError ? 2 : 1;
  }
}
