// Starts the origin role from the parsed runtime environment; runs until SIGTERM or SIGINT.
import type { OriginEnv } from '../contract.ts';
import { createLogger } from '../lib/logger.ts';
import { startOrigin } from './server.ts';

export async function runOrigin(env: OriginEnv): Promise<number> {
  const logger = createLogger({
    level: env.EDGEPLANE_LOG_LEVEL,
    role: 'origin',
    region: env.EDGEPLANE_REGION,
  });
  let origin: Awaited<ReturnType<typeof startOrigin>>;
  try {
    origin = await startOrigin({
      databaseUrl: env.DATABASE_URL,
      databaseCaCert: env.DATABASE_CA_CERT,
      ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL, redisCaCert: env.REDIS_CA_CERT } : {}),
      ...(env.EDGEPLANE_EDGE_TOKEN ? { edgeToken: env.EDGEPLANE_EDGE_TOKEN } : {}),
      listenAddress: env.EDGEPLANE_LISTEN_ADDRESS,
      trafficPort: env.EDGEPLANE_TRAFFIC_PORT,
      managementPort: env.EDGEPLANE_MANAGEMENT_PORT,
      rateLimitPerMinute: env.EDGEPLANE_API_RATE_LIMIT_PER_MINUTE,
      retention: {
        eventsMs: env.EDGEPLANE_EVENT_RETENTION,
        usageBatchesMs: env.EDGEPLANE_USAGE_BATCH_RETENTION,
      },
      logger,
    });
  } catch (error) {
    // Never the URL itself: it carries the database password.
    logger.fatal({ err: (error as Error).message }, 'origin failed to start');
    logger.flush();
    return 1;
  }
  if (!env.REDIS_URL)
    logger.warn('no REDIS_URL: in-process bus and rate limits; run one replica only');
  if (!env.EDGEPLANE_EDGE_TOKEN) logger.warn('no EDGEPLANE_EDGE_TOKEN: edges cannot connect');
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info({ signal }, 'origin stopping');
  await origin.close();
  logger.flush();
  return 0;
}
