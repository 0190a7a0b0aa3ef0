// The machine facts that matter for reading the figures, and the tools the bench needs.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { nginxBinary } from './nginx.ts';
import { wrkBinary } from './wrk.ts';

const run = promisify(execFile);

/** Installs nginx and wrk with apt-get when either is missing (scripts/install-bench-packages.sh). */
export async function ensureTools(projectRoot: string): Promise<void> {
  if (existsSync(nginxBinary) && existsSync(wrkBinary)) return;
  const script = join(projectRoot, 'scripts', 'install-bench-packages.sh');
  process.stderr.write(`bench: nginx or wrk is missing; running ${script}\n`);
  await run(script, [], { timeout: 10 * 60_000 });
}

async function versionOf(command: string, args: string[], pattern: RegExp): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, args);
    return pattern.exec(`${stdout}${stderr}`)?.[1] ?? 'unknown';
  } catch (error) {
    // wrk -v exits 1 after printing its version.
    const output = error as { stdout?: string; stderr?: string };
    return pattern.exec(`${output.stdout ?? ''}${output.stderr ?? ''}`)?.[1] ?? 'unknown';
  }
}

/** Which code the edge ran: the commit, and whether runtime/ differs from it. */
async function edgeRevision(projectRoot: string): Promise<string> {
  try {
    const { stdout: commit } = await run('git', [
      '-C',
      projectRoot,
      'rev-parse',
      '--short',
      'HEAD',
    ]);
    const { stdout: changes } = await run('git', [
      '-C',
      projectRoot,
      'status',
      '--porcelain',
      '--',
      'runtime',
    ]);
    const dirty = changes.trim() === '' ? '' : ' with uncommitted changes in runtime/';
    return `git ${commit.trim()}${dirty}`;
  } catch {
    return 'not a git checkout';
  }
}

export async function machineFacts(projectRoot: string): Promise<string[]> {
  const nginx = await versionOf(nginxBinary, ['-v'], /nginx\/(\S+)/);
  const wrk = await versionOf(wrkBinary, ['-v'], /wrk (\S+)/);
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
  const [oneMinute = 0] = loadavg();
  const busy =
    oneMinute > availableParallelism()
      ? '; BUSY: other work shares the cores, so figures are noisier and lower than usual'
      : '';
  return [
    `cores: ${availableParallelism()} (${cpus()[0]?.model ?? 'unknown CPU'}), memory ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}`,
    `load average at start: ${load} (server, origin and wrk share the cores)${busy}`,
    `node ${process.version}, nginx ${nginx}, wrk ${wrk}; edge code: ${await edgeRevision(projectRoot)}`,
  ];
}
