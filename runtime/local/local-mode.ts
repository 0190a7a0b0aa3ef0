// Local mode: the whole CDN on one machine. Starts embedded Postgres (data kept in the data
// folder), the origin (in-process bus unless REDIS_URL is set), a demo tenant origin, the demo
// tenant with its site and key, and one edge that follows the origin; prints a guide; stops
// everything in reverse order on SIGINT, SIGTERM or SIGHUP and exits 0.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { envNames } from '../contract.ts';
import { type LocalConfig, LocalConfigError, parseLocalConfig, usage } from './config.ts';
import { type DemoOrigin, startDemoOrigin } from './demo-origin.ts';
import { ensureDemoTenant } from './demo-tenant.ts';
import { formatGuide } from './guide.ts';
import { type LocalPostgres, startLocalPostgres, stopLeftoverPostgres } from './local-postgres.ts';
import { type FolderLock, lockFolder } from './lock.ts';
import { openServiceLog, type ServiceLog } from './logs.ts';
import { assertPortsFree } from './ports.ts';
import { type Service, startService, waitReady } from './service.ts';
import { edgeEnv, loopback, originEnv, redisHost } from './service-env.ts';

export interface LocalModeOptions {
  argv: string[];
  env: Record<string, string | undefined>;
  /** The checkout: runtime/ lives here, and .edgeplane/local by default. */
  checkout: string;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

const host = loopback;
const readyTimeoutMs = 90_000;
const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Exit codes: 0 after a stop signal, 1 when something failed, 2 for bad settings. */
export async function runLocalMode(options: LocalModeOptions): Promise<number> {
  const { out, err } = options;
  let config: LocalConfig;
  try {
    const parsed = parseLocalConfig(options.argv, options.env, options.checkout);
    if (parsed === 'help') {
      out.write(usage);
      return 0;
    }
    config = parsed;
  } catch (error) {
    if (error instanceof LocalConfigError) {
      err.write(`edgeplane local mode: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const shown = (path: string) => {
    const inside = relative(process.cwd(), path);
    return inside && !inside.startsWith('..') ? inside : path;
  };

  // Stop requests may come at any time, the start included: steps check `stopping` between them.
  let stopping: NodeJS.Signals | undefined;
  let wake: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (wake = resolve));
  const onSignal = (signal: NodeJS.Signals) => {
    stopping ??= signal;
    wake();
  };
  for (const signal of stopSignals) process.on(signal, onSignal);

  // What is running, stopped in reverse order.
  const closers: { name: string; close: () => Promise<void> }[] = [];
  const logs: ServiceLog[] = [];
  let lock: FolderLock | undefined;
  let failure: string | undefined;
  let running = false;
  // What fails after a stop request is a consequence of stopping, not a failure.
  const fail = (message: string) => {
    if (stopping === undefined) failure ??= message;
    wake();
  };

  try {
    await mkdir(config.dir, { recursive: true });
    lock = await lockFolder(config.dir);
    out.write(
      `edgeplane local mode: starting Postgres, the origin, the demo origin and an edge (logs in ${shown(join(config.dir, 'logs'))})\n`,
    );
    const notice = (message: string) => out.write(`  ${message}\n`);
    await stopLeftoverPostgres(config.dir, notice);
    await assertPortsFree(config.ports);
    const echo = config.verbose ? out : undefined;
    const openLog = async (name: string) => {
      const log = await openServiceLog(config.dir, name, echo);
      logs.push(log);
      return log;
    };
    const url = (port: number) => `http://${host}:${port}`;
    /** runtime/local/supervised.ts as `name`: logged, stopped at the end, watched; resolves once `probe` answers. */
    const startSupervised = async (name: string, env: Record<string, string>, probe: string) => {
      const log = await openLog(name);
      const service = startService(
        name,
        join(options.checkout, 'runtime', 'local', 'supervised.ts'),
        env,
        log,
      );
      closers.push({ name, close: () => service.stop() });
      watchService(service, log);
      await ready(service, log, probe);
    };

    const demo: DemoOrigin = await startDemoOrigin(config.ports.demo, host);
    closers.push({ name: 'demo origin', close: () => demo.close() });

    const postgresLog = await openLog('postgres');
    const postgres: LocalPostgres = await startLocalPostgres({
      dir: config.dir,
      port: config.ports.postgres,
      onLog: (chunk) => postgresLog.write(chunk),
      notice,
      display: shown,
    });
    closers.push({ name: 'Postgres', close: () => postgres.stop() });
    postgres.child.once('exit', () => {
      if (!stopping && !failure)
        fail(`Postgres stopped unexpectedly; its last lines:\n${postgresLog.tail()}`);
    });
    if (stopping) return await finish();

    const edgeToken = randomBytes(24).toString('base64url');
    const redisUrl = options.env[envNames.redisUrl];
    await startSupervised(
      'origin',
      originEnv(options.env, {
        apiPort: config.ports.origin,
        managementPort: config.ports.originManagement,
        databaseUrl: postgres.url,
        edgeToken,
      }),
      `${url(config.ports.originManagement)}/readyz`,
    );
    if (stopping) return await finish();

    const tenant = await ensureDemoTenant({
      databaseUrl: postgres.url,
      apiUrl: url(config.ports.origin),
      dir: config.dir,
      demoOriginUrl: demo.url,
    });
    if (stopping) return await finish();

    // Ready means the edge has loaded the origin's snapshot, which holds the demo site.
    await startSupervised(
      'edge',
      edgeEnv(options.env, {
        trafficPort: config.ports.edge,
        managementPort: config.ports.edgeManagement,
        originUrl: url(config.ports.origin),
        edgeToken,
      }),
      `${url(config.ports.edgeManagement)}/readyz`,
    );
    if (stopping || failure) return await finish();

    running = true;
    out.write(
      `\n${formatGuide({
        edgeUrl: url(config.ports.edge),
        apiUrl: url(config.ports.origin),
        demoOriginUrl: demo.url,
        edgeManagementUrl: url(config.ports.edgeManagement),
        originManagementUrl: url(config.ports.originManagement),
        postgres: `${host}:${config.ports.postgres}, database edgeplane, data in ${shown(postgres.dataDir)}`,
        bus: redisUrl
          ? `Redis at ${redisHost(redisUrl)} (REDIS_URL)`
          : 'in-process (set REDIS_URL to use a Redis)',
        logs: shown(join(config.dir, 'logs')),
        tenantId: tenant.tenantId,
        siteId: tenant.siteId,
        key: tenant.key,
        keyFile: shown(tenant.keyFile),
        keyIsNew: tenant.keyIsNew,
      })}`,
    );
    await stopped;
    return await finish();
  } catch (error) {
    fail((error as Error).message);
    return await finish();
  } finally {
    for (const signal of stopSignals) process.off(signal, onSignal);
  }

  async function ready(service: Service, log: ServiceLog, probe: string): Promise<void> {
    try {
      await waitReady(service, probe, readyTimeoutMs, () => stopping !== undefined);
    } catch (error) {
      throw new Error(`${(error as Error).message}; its last lines:\n${log.tail()}`);
    }
  }

  function watchService(service: Service, log: ServiceLog) {
    void service.exited.then(({ code, signal }) => {
      if (stopping || failure) return;
      fail(`${service.name} exited (${signal ?? `code ${code}`}); its last lines:\n${log.tail()}`);
    });
  }

  async function finish(): Promise<number> {
    if (failure) {
      err.write(
        `\nedgeplane local mode ${running ? 'cannot go on' : 'cannot start'}: ${failure}\n`,
      );
    }
    if (closers.length > 0)
      out.write(
        `\nstopping: ${[...closers]
          .reverse()
          .map((c) => c.name)
          .join(', ')}\n`,
      );
    for (const closer of [...closers].reverse()) {
      await closer.close().catch((error: Error) => {
        err.write(`stopping ${closer.name} failed: ${error.message}\n`);
      });
    }
    closers.length = 0;
    await Promise.all(logs.map((log) => log.close()));
    await lock?.release();
    if (failure) return 1;
    out.write('stopped\n');
    return 0;
  }
}
