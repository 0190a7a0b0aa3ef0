// Starts one origin replica: Postgres pool and migrations, the bus (Redis or in-process), the
// event hub, the API on the traffic port and probes and metrics on the management port.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Registry } from 'prom-client';
import type { Logger } from '../lib/logger.ts';
import { registerMetrics } from '../lib/metrics.ts';
import { buildOriginApp } from './app.ts';
import { type EventBus, LocalEventBus, RedisEventBus } from './bus.ts';
import type { OriginContext, OriginMetricKey } from './context.ts';
import { EventHub } from './event-hub.ts';
import { createOriginManagementServer } from './management.ts';
import { migrate, migrationsDone } from './migrations.ts';
import { MemoryRateLimiter, type RateLimiter, RedisRateLimiter } from './rate-limit.ts';
import { RetentionJob, type RetentionSettings } from './retention.ts';
import { postgresConnection, redisConnection } from './store-tls.ts';

export interface OriginConfig {
  /** TLS per its sslmode (contract.ts storeSslModes). */
  databaseUrl: string;
  /** PEM of the CA that signs the Postgres server certificate, instead of Node's built-in roots. */
  databaseCaCert?: string;
  /** Without it: an in-process bus and in-process rate limits (one replica only). */
  redisUrl?: string;
  /** PEM of the CA that signs the Redis server certificate, instead of Node's built-in roots. */
  redisCaCert?: string;
  edgeToken?: string;
  listenAddress: string;
  trafficPort: number;
  managementPort: number;
  rateLimitPerMinute: number;
  logger: Logger;
  /** An in-process bus to share between replicas of one process (local mode, tests). */
  bus?: EventBus;
  heartbeatMs?: number;
  pollIntervalMs?: number;
  /** Pruning of the event log and usage batch ids; defaults: events 7 days, batch ids 2 days. */
  retention?: RetentionSettings;
}

export const defaultRetention: RetentionSettings = {
  eventsMs: 7 * 86_400_000,
  usageBatchesMs: 2 * 86_400_000,
};

export interface RunningOrigin {
  /** http://host:port of the API. */
  url: string;
  managementUrl: string;
  hub: EventHub;
  pool: pg.Pool;
  close(): Promise<void>;
}

const originMetricKeys: OriginMetricKey[] = [
  'originHttpRequests',
  'originHttpDuration',
  'originEdgeStreams',
  'originPurges',
  'originUsageRequests',
  'originUsageBytes',
];

export async function startOrigin(config: OriginConfig): Promise<RunningOrigin> {
  const { logger } = config;
  const pool = new pg.Pool({
    ...postgresConnection(config.databaseUrl, config.databaseCaCert),
    max: 10,
  });
  pool.on('error', (error) =>
    logger.warn({ err: error.message }, 'idle Postgres connection failed'),
  );
  const closers: (() => Promise<void>)[] = [() => pool.end()];
  let closing: Promise<void> | undefined;
  const closeAll = () => {
    closing ??= (async () => {
      for (const close of [...closers].reverse()) await close().catch(() => {});
    })();
    return closing;
  };
  try {
    const migrated = await migrate(pool);
    logger.info({ applied: migrated.applied, version: migrated.current }, 'database migrated');

    let bus: EventBus;
    let limiter: RateLimiter;
    if (config.redisUrl) {
      const redisBus = new RedisEventBus(config.redisUrl, logger, config.redisCaCert);
      const connection = redisConnection(config.redisUrl, config.redisCaCert);
      const redis = new Redis(connection.url, {
        ...connection.options,
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
      });
      redis.on('error', (error: Error) => logger.warn({ err: error.message }, 'redis error'));
      closers.push(
        async () => redis.disconnect(),
        () => redisBus.close(),
      );
      bus = redisBus;
      limiter = new RedisRateLimiter(redis, config.rateLimitPerMinute, logger);
    } else {
      bus = config.bus ?? new LocalEventBus();
      limiter = new MemoryRateLimiter(config.rateLimitPerMinute);
    }

    const hub = new EventHub({ pool, bus, logger, pollIntervalMs: config.pollIntervalMs });
    await hub.start();
    closers.push(async () => hub.close());

    const retention = new RetentionJob(pool, config.retention ?? defaultRetention, logger);
    retention.start();
    closers.push(() => retention.stop());

    const registry = new Registry();
    const metrics = registerMetrics(registry, originMetricKeys);
    const ctx: OriginContext = {
      pool,
      bus,
      hub,
      limiter,
      edgeToken: config.edgeToken,
      metrics,
      logger,
      heartbeatMs: config.heartbeatMs ?? 15_000,
    };
    const { app } = await buildOriginApp(ctx);
    await app.listen({ host: config.listenAddress, port: config.trafficPort });
    closers.push(() => app.close());

    const management = createOriginManagementServer({
      logger,
      metrics: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
      readiness: async () => {
        try {
          return (await migrationsDone(pool)) ? undefined : 'migrations pending';
        } catch (error) {
          return `database unreachable (${(error as Error).message})`;
        }
      },
    });
    management.listen(config.managementPort, config.listenAddress);
    await once(management, 'listening');
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          management.close(() => resolve());
          management.closeAllConnections();
        }),
    );

    const host = (address: AddressInfo) =>
      address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const apiAddress = app.server.address() as AddressInfo;
    const managementAddress = management.address() as AddressInfo;
    logger.info({ api: apiAddress.port, management: managementAddress.port }, 'origin listening');
    return {
      url: `http://${host(apiAddress)}:${apiAddress.port}`,
      managementUrl: `http://${host(managementAddress)}:${managementAddress.port}`,
      hub,
      pool,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
