// A real throwaway Postgres on a free loopback port for tests, started by the one embedded-Postgres
// launcher that local mode uses too (runtime/local/embedded-postgres.ts): a fresh cluster in a temp
// folder, removed on stop.

import { randomBytes } from 'node:crypto';
import { chmod, chown, copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  initialiseCluster,
  type OsUser,
  postgresBinaries,
  postgresUser,
  servePostgres,
  stopPostgres,
} from '../../../runtime/local/embedded-postgres.ts';
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

export async function startPostgres(options: PostgresOptions = {}): Promise<RunningPostgres> {
  const user = postgresUser();
  const bin = await reachableBinaries(user);
  const parent = await mkdtemp(join(tmpdir(), 'edgeplane-pg-'));
  if (user) await chown(parent, user.uid, user.gid);
  const dataDir = join(parent, 'data');
  const password = randomBytes(12).toString('hex');
  try {
    await initialiseCluster({ bin, dataDir, password, user });
    const settings = options.tls ? await tlsSettings(parent, options.tls, user) : [];
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      try {
        const child = await servePostgres({ bin, dataDir, port, user, settings, fsync: false });
        return {
          url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
          port,
          pid: child.pid as number,
          async stop() {
            await stopPostgres(child);
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

const binariesEnv = 'EDGEPLANE_TEST_POSTGRES_BIN';

/** The binaries' folder: test files cannot import the ESM-only binaries package under jest. */
async function reachableBinaries(user: OsUser | undefined): Promise<string> {
  // The global setup can: it leaves the folder it settled on in the environment the test
  // processes inherit.
  const known = process.env[binariesEnv];
  if (known) return known;
  const bin = await postgresBinaries(user);
  process.env[binariesEnv] = bin;
  return bin;
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
