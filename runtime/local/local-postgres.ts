// Local mode's Postgres: one cluster kept in the data folder across runs, on a fixed port, with a
// generated superuser password kept beside it (0600) and a database `edgeplane` for the origin.
// As root the server runs as the `postgres` user, who must reach the data folder; when the checkout
// is private (a 0700 parent), the cluster lives under /var/lib/edgeplane-local instead and the
// data folder holds a symlink to it.
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chown,
  lstat,
  mkdir,
  readFile,
  realpath,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import {
  canEnter,
  initialiseCluster,
  type OsUser,
  postgresBinaries,
  postgresUser,
  servePostgres,
  stopPostgres,
} from './embedded-postgres.ts';
import { isAlive } from './lock.ts';

export interface LocalPostgres {
  /** postgres://postgres:<password>@127.0.0.1:<port>/edgeplane */
  url: string;
  dataDir: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface LocalPostgresOptions {
  dir: string;
  port: number;
  onLog: (chunk: Buffer) => void;
  /** One-line notes for the person running local mode. */
  notice: (message: string) => void;
  /** How a path is shown in a notice (e.g. relative to the working folder). */
  display?: (path: string) => string;
}

/** Where clusters of private checkouts live when local mode runs as root. */
export const rootFallbackBase = '/var/lib/edgeplane-local';
export const databaseName = 'edgeplane';

export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const user = postgresUser();
  const bin = await postgresBinaries(user);
  const display = options.display ?? ((path: string) => path);
  const dataDir = await dataFolder(options.dir, user, options.notice, display);
  const passwordFile = join(options.dir, 'postgres-password');
  let password: string;
  if (await exists(join(dataDir, 'PG_VERSION'))) {
    password = await readFile(passwordFile, 'utf8').then(
      (text) => text.trim(),
      () => {
        throw new Error(
          `${dataDir} holds a Postgres cluster but its password file ${passwordFile} is gone: restore it, or remove both folders to start over`,
        );
      },
    );
  } else {
    password = randomBytes(18).toString('base64url');
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    options.notice(`creating the Postgres cluster in ${display(dataDir)}`);
    await initialiseCluster({ bin, dataDir, password, user, detached: true });
  }
  const child = await servePostgres({
    bin,
    dataDir,
    port: options.port,
    user,
    detached: true,
    onLog: options.onLog,
  });
  const admin = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}`;
  try {
    await ensureDatabase(`${admin}/postgres`);
  } catch (error) {
    await stopPostgres(child);
    throw error;
  }
  return {
    url: `${admin}/${databaseName}`,
    dataDir,
    pid: child.pid as number,
    child,
    stop: () => stopPostgres(child),
  };
}

/** The cluster's folder, created (empty, owned by the server's user) when there is none yet. */
async function dataFolder(
  dir: string,
  user: OsUser | undefined,
  notice: (message: string) => void,
  display: (path: string) => string,
): Promise<string> {
  const link = join(dir, 'postgres');
  const existing = await lstat(link).catch(() => undefined);
  if (existing?.isSymbolicLink()) {
    const target = await realpath(link).catch(() => {
      throw new Error(`${link} points to a folder that is gone: remove the link to start over`);
    });
    return target;
  }
  if (existing) {
    if (user && !canEnter(link, user)) {
      throw new Error(
        `the postgres user cannot reach ${link}: let it through the parent folders (chmod o+x), or choose another EDGEPLANE_LOCAL_DIR`,
      );
    }
    return link;
  }
  if (!user || canEnter(dir, user)) {
    await mkdir(link, { mode: 0o700 });
    if (user) await chown(link, user.uid, user.gid);
    return link;
  }
  // A private checkout as root: the postgres user cannot enter it. Keep the cluster where it can.
  const key = createHash('sha256').update(dir).digest('hex').slice(0, 16);
  const target = join(rootFallbackBase, key);
  await mkdir(rootFallbackBase, { recursive: true, mode: 0o755 });
  await mkdir(target, { recursive: true, mode: 0o700 });
  await chown(target, user.uid, user.gid);
  await symlink(target, link);
  notice(
    `the postgres user cannot enter ${display(dir)} (a private folder), so the cluster lives in ${target}; ${display(link)} links to it`,
  );
  return target;
}

/**
 * Stops the server an earlier run left on this folder's cluster (that run was killed before it
 * could), so its port is free again. Call it holding the folder's lock.
 */
export async function stopLeftoverPostgres(
  dir: string,
  notice: (message: string) => void,
): Promise<void> {
  const dataDir = await realpath(join(dir, 'postgres')).catch(() => undefined);
  if (dataDir === undefined) return;
  const pidFile = await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  // Its first lines: the server's pid and the data folder as the server was given it.
  const [pidLine, dataLine] = pidFile?.split('\n') ?? [];
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0 || !dataLine || !isAlive(pid)) return;
  const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!commandLine.includes('postgres') || !commandLine.includes(dataLine)) return;
  notice(`stopping the Postgres (pid ${pid}) an earlier run of local mode left running`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; isAlive(pid); waited += 100) {
    if (waited >= 30_000)
      throw new Error(`the leftover Postgres (pid ${pid}) did not stop in 30 s`);
    await sleep(100);
  }
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      databaseName,
    ]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${databaseName}`);
  } finally {
    await client.end();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
