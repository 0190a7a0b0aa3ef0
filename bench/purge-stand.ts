// What the purge-propagation section runs: a real Postgres (the embedded one the tests use) and
// redis-server, edgeplane's origin (node runtime/main.ts, role origin) with a tenant, an API key
// and one site, the bench's upstream serving that site, and N edges (role edge, one traffic
// worker each) following the origin. Everything on 127.0.0.1, servers in sessions of their own.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { envNames, managementPaths } from '../runtime/contract.ts';
import { createTenant } from '../runtime/origin/tenants.ts';
import {
  type RunningPostgres,
  type RunningRedis,
  startPostgres,
  startRedis,
} from '../test/harness/services/index.ts';
import { freePort, loopback, waitForHttp } from './net.ts';
import { startOrigin as startUpstream } from './origin.ts';
import { originPaths } from './origin-routes.ts';
import type { ProcessGroup, Started } from './processes.ts';

const main = join(import.meta.dirname, '..', 'runtime', 'main.ts');

export interface PurgeStandOptions {
  dir: string;
  edges: number;
  host: string;
  progress(line: string): void;
}

export interface PurgeStand {
  /** Base URL of the origin's API. */
  apiUrl: string;
  apiKey: string;
  siteId: string;
  /** Base URLs of the edges' traffic ports. */
  edges: string[];
  /** Base URLs of the edges' management ports (metrics). */
  edgeManagement: string[];
  /** Exact commands, for the report. */
  commands: string[];
  /** Stops Postgres and Redis (the processes in the group are stopped by their owner). */
  close(): Promise<void>;
}

/** A server of the runtime with `env` (over PATH alone), started and awaited on its readiness. */
async function startRuntime(
  processes: ProcessGroup,
  servers: Started[],
  name: string,
  env: Record<string, string>,
  logPath: string,
): Promise<{ started: Started; command: string }> {
  const started = processes.startServer(name, process.execPath, [main], logPath, {
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  servers.push(started);
  await waitForHttp(
    `http://${loopback}:${env[envNames.managementPort]}${managementPaths.readiness}`,
    { timeoutMs: 60_000, isAlive: () => started.isAlive() },
  ).catch((error: Error) => {
    throw new Error(`${name} did not become ready: ${error.message}; see ${logPath}`);
  });
  const shown = Object.entries(env)
    .map(([key, value]) => `${key}=${secretNames.has(key) ? '<secret>' : value}`)
    .join(' ');
  return { started, command: `${shown} ${started.command}` };
}

const secretNames = new Set<string>([envNames.databaseUrl, envNames.redisUrl, envNames.edgeToken]);

export async function startPurgeStand(
  processes: ProcessGroup,
  options: PurgeStandOptions,
): Promise<PurgeStand> {
  let postgres: RunningPostgres | undefined;
  let redis: RunningRedis | undefined;
  const servers: Started[] = [];
  const close = async () => {
    // The runtime first, so nothing logs the stores going away.
    for (const server of servers.reverse()) await processes.stop(server);
    await redis?.stop();
    await postgres?.stop();
  };
  try {
    options.progress('purge: starting Postgres (embedded) and redis-server');
    postgres = await startPostgres();
    redis = await startRedis();
    const upstream = await startUpstream(processes, { dir: options.dir, workers: 1 });
    servers.push(upstream.process);

    options.progress('purge: starting the origin');
    const edgeToken = randomBytes(24).toString('hex');
    const apiPort = await freePort();
    const origin = await startRuntime(
      processes,
      servers,
      'edgeplane origin',
      {
        [envNames.role]: 'origin',
        [envNames.listenAddress]: loopback,
        [envNames.trafficPort]: String(apiPort),
        [envNames.managementPort]: String(await freePort()),
        [envNames.databaseUrl]: postgres.url,
        [envNames.redisUrl]: redis.url,
        [envNames.edgeToken]: edgeToken,
        [envNames.logLevel]: 'warn',
        // The bench sends hundreds of purges a minute with one key; the default is 600.
        [envNames.apiRateLimit]: '1000000',
      },
      join(options.dir, 'edgeplane-origin.log'),
    );
    const apiUrl = `http://${loopback}:${apiPort}`;

    // The operator's step: a tenant with its first admin key (as edgectl and local mode do).
    const pool = new pg.Pool({ connectionString: postgres.url, max: 1 });
    const apiKey = await createTenant(pool, 'bench')
      .then((tenant) => tenant.adminKey.token)
      .finally(() => pool.end());
    const created = await fetch(`${apiUrl}/v1/sites`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'purge bench', hosts: [options.host], origin: upstream.url }),
    });
    if (created.status !== 201) {
      throw new Error(`creating the site answered ${created.status}: ${await created.text()}`);
    }
    const siteId = ((await created.json()) as { id: string }).id;

    options.progress(`purge: starting ${options.edges} edges following the origin`);
    const edges: string[] = [];
    const edgeManagement: string[] = [];
    const commands = [upstream.process.command, origin.command];
    const starting = Array.from({ length: options.edges }, async (_, index) => {
      const trafficPort = await freePort();
      const managementPort = await freePort();
      const edge = await startRuntime(
        processes,
        servers,
        `edge ${index + 1}`,
        {
          [envNames.role]: 'edge',
          [envNames.listenAddress]: loopback,
          [envNames.trafficPort]: String(trafficPort),
          [envNames.managementPort]: String(managementPort),
          [envNames.originUrl]: apiUrl,
          [envNames.edgeToken]: edgeToken,
          [envNames.edgeWorkers]: '1',
          [envNames.requestLog]: 'errors',
          [envNames.logLevel]: 'warn',
        },
        join(options.dir, `edge-${index + 1}.log`),
      );
      const url = `http://${loopback}:${trafficPort}`;
      // Ready means the snapshot is in; the site must answer through the edge.
      await waitForHttp(`${url}${originPaths.object1k}`, {
        timeoutMs: 30_000,
        headers: { host: options.host },
        isAlive: () => edge.started.isAlive(),
      });
      return { url, management: `http://${loopback}:${managementPort}`, command: edge.command };
    });
    for (const edge of await Promise.all(starting)) {
      edges.push(edge.url);
      edgeManagement.push(edge.management);
      commands.push(edge.command);
    }
    return { apiUrl, apiKey, siteId, edges, edgeManagement, commands, close };
  } catch (error) {
    await close();
    throw error;
  }
}
