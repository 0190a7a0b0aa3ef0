// npm run bench: edgeplane's edge side by side with nginx proxy_cache, both in front of one local
// origin, driven by wrk in alternating rounds; then purge propagation from the origin's API to 8
// edges (issue #5). See bench/README.md for what is measured and how.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderReport, reportDocument } from './bench-report.ts';
import { formatProfileSummary, readProfiles, summariseProfiles } from './cpu-profile.ts';
import { startEdge } from './edge.ts';
import { ensureTools, machineFacts } from './machine.ts';
import { startNginx } from './nginx.ts';
import { OptionsError, parseOptions, usage } from './options.ts';
import { startOrigin } from './origin.ts';
import { ProcessGroup } from './processes.ts';
import { acquireRunLock, type RunLock } from './run-lock.ts';
import {
  type BenchContext,
  isStandalone,
  type Section,
  type SectionResult,
  type StandaloneResult,
  type Target,
} from './section.ts';
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
  const comparisons = chosen.filter((section): section is Section => !isStandalone(section));
  const standalones = chosen.filter(isStandalone);
  if (comparisons.length > 0) await ensureTools(projectRoot);

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
    const results: SectionResult[] = [];
    let targets: Target[] = [];
    let originCommand = '';
    let profile = '';
    if (comparisons.length > 0) {
      progress('starting the origin');
      const origin = await startOrigin(processes, { dir, workers: options.originWorkers });
      originCommand = origin.process.command;
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
      targets = [nginx, edge];
      const context: BenchContext = {
        options,
        dir,
        host: benchHost,
        origin,
        targets,
        signal: abort.signal,
        progress,
      };
      for (const section of comparisons) results.push(await section.run(context));
      if (options.profile) {
        // The edge writes its profiles as its processes exit.
        await processes.stop(edge.process);
        const profiles = await readProfiles(profileDir);
        profile = formatProfileSummary(summariseProfiles(profiles, projectRoot), profiles.length);
      }
      // The standalone sections get the cores to themselves.
      await processes.stopAll();
    }
    const standalone: StandaloneResult[] = [];
    for (const section of standalones) {
      standalone.push(
        await section.run({ options, dir, processes, signal: abort.signal, progress }),
      );
    }
    const reportInput = {
      facts,
      options,
      results,
      originCommand,
      targets,
      loadAtEnd: loadavg(),
      standalone,
    };
    process.stdout.write(`${renderReport(reportInput)}\n`);
    if (profile) process.stdout.write(`\n${profile}\n`);
    if (options.json !== undefined) {
      await writeFile(options.json, `${JSON.stringify(reportDocument(reportInput), null, 2)}\n`);
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
