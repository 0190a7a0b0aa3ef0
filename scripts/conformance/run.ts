// Runs the HTTP cache conformance suite (http-tests/cache-tests, reconstructed outside this
// repository) against a real edge: the suite's origin server on loopback, `node runtime/main.ts`
// as the edge in front of it, and the suite's CLI pointed at the edge. Prints a per-section table
// and every test that did not pass, and writes the raw results as JSON.
//
//   node scripts/conformance/run.ts <suite-dir> [--workers N] [--id TEST_ID] [--out FILE]
//
// <suite-dir> holds the suite's test-engine/ and tests/ (see docs/conformance.md). Nothing of the
// suite lives in this repository: its modules are imported from <suite-dir> at run time.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  markdownFindings,
  markdownTable,
  type RawResults,
  type Suite,
  tally,
  type Verdict,
  verdicts,
} from './summary.ts';

const repoRoot = resolve(import.meta.dirname, '../..');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/** Starts a long-lived child in its own process group (like setsid), output to a log file. */
function startDetached(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; log: string },
): ChildProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(options.log);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

function stopGroup(child: ChildProcess | undefined): void {
  if (child?.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${what} did not come up within ${timeoutMs} ms`);
}

function runToEnd(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs: number },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      fail(new Error(`${command} ${args.join(' ')} ran over ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      workers: { type: 'string', default: '1' },
      id: { type: 'string', default: '' },
      out: { type: 'string' },
    },
  });
  const suiteArg = positionals[0];
  if (suiteArg === undefined) {
    process.stderr.write(
      'usage: node scripts/conformance/run.ts <suite-dir> [--workers N] [--id TEST_ID] [--out FILE]\n',
    );
    return 2;
  }
  const suiteDir = resolve(suiteArg);
  for (const file of ['test-engine/cli.mjs', 'test-engine/server/server.mjs', 'tests/index.mjs']) {
    if (!existsSync(join(suiteDir, file))) {
      process.stderr.write(`${suiteDir} is not a cache-tests checkout: ${file} is missing\n`);
      return 2;
    }
  }

  const work = await mkdtemp(join(tmpdir(), 'edgeplane-conformance-'));
  const [originPort, trafficPort, managementPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const baseEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? work };
  let origin: ChildProcess | undefined;
  let edge: ChildProcess | undefined;
  try {
    origin = startDetached(
      process.execPath,
      [
        '--import',
        pathToFileURL(join(import.meta.dirname, 'loopback-only.ts')).href,
        'test-engine/server/server.mjs',
      ],
      {
        cwd: suiteDir,
        env: {
          ...baseEnv,
          npm_config_protocol: 'http',
          npm_config_port: String(originPort),
          npm_config_pidfile: join(work, 'origin.pid'),
        },
        log: join(work, 'origin.log'),
      },
    );
    await waitFor(
      'the suite server',
      async () => (await fetch(`http://127.0.0.1:${originPort}/state/none`)).status === 404,
      15_000,
    );

    const sitesFile = join(work, 'sites.json');
    await writeFile(
      sitesFile,
      JSON.stringify({
        sites: [
          { id: 'conformance', hosts: ['127.0.0.1'], origin: `http://127.0.0.1:${originPort}` },
        ],
      }),
    );
    edge = startDetached(process.execPath, [join(repoRoot, 'runtime/main.ts')], {
      cwd: repoRoot,
      env: {
        ...baseEnv,
        EDGEPLANE_ROLE: 'edge',
        EDGEPLANE_SITES_FILE: sitesFile,
        EDGEPLANE_LISTEN_ADDRESS: '127.0.0.1',
        EDGEPLANE_TRAFFIC_PORT: String(trafficPort),
        EDGEPLANE_MANAGEMENT_PORT: String(managementPort),
        EDGEPLANE_EDGE_WORKERS: values.workers,
        EDGEPLANE_REQUEST_LOG: 'errors',
        EDGEPLANE_PURGE_TOKEN: 'conformance-purge-token-0123456789',
      },
      log: join(work, 'edge.log'),
    });
    await waitFor(
      'the edge',
      async () => (await fetch(`http://127.0.0.1:${managementPort}/readyz`)).status === 200,
      30_000,
    );

    const cli = await runToEnd(process.execPath, ['--no-warnings', 'test-engine/cli.mjs'], {
      cwd: suiteDir,
      env: {
        ...baseEnv,
        npm_config_base: `http://127.0.0.1:${trafficPort}`,
        npm_config_id: values.id,
        npm_package_config_id: values.id,
      },
      timeoutMs: 15 * 60_000,
    });
    if (values.id !== '') {
      process.stdout.write(cli.stdout);
      process.stderr.write(cli.stderr);
      return cli.code ?? 1;
    }
    if (cli.code !== 0) {
      process.stderr.write(cli.stderr);
      throw new Error(`the suite's CLI exited with ${cli.code}`);
    }
    const results = JSON.parse(cli.stdout) as RawResults;

    const suites = (await import(pathToFileURL(join(suiteDir, 'tests/index.mjs')).href))
      .default as Suite[];
    const { determineTestResult, resultTypes } = (await import(
      pathToFileURL(join(suiteDir, 'test-engine/lib/results.mjs')).href
    )) as {
      determineTestResult: (s: Suite[], id: string, r: RawResults) => unknown;
      resultTypes: Record<string, unknown>;
    };
    const verdictOf = (testId: string): Verdict => {
      const symbol = determineTestResult(suites, testId, results);
      const name = Object.keys(resultTypes).find((key) => resultTypes[key] === symbol);
      if (name === undefined || !(verdicts as readonly string[]).includes(name)) {
        throw new Error(`unknown verdict for ${testId}`);
      }
      return name as Verdict;
    };
    const { sections, total, findings } = tally(suites, results, verdictOf);
    const out = values.out ?? join(work, 'results.json');
    await writeFile(out, `${JSON.stringify({ workers: values.workers, results }, null, 2)}\n`);
    process.stdout.write(
      `# cache-tests against the edge (EDGEPLANE_EDGE_WORKERS=${values.workers})\n\n` +
        `${markdownTable(sections, total)}\n\n## Not passed\n\n${markdownFindings(findings)}\n\n` +
        `raw results: ${out}; logs: ${work}\n`,
    );
    return 0;
  } finally {
    stopGroup(edge);
    stopGroup(origin);
  }
}

if (import.meta.main) {
  process.exitCode = await main();
}
