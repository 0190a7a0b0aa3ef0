// Real services for tests. The jest global setup starts one Postgres and one Redis per run and
// passes their URLs to the test processes in the environment; `testServices()` reads them.
export { freePort } from './free-port.ts';
export { type RunningPostgres, startPostgres } from './postgres.ts';
export { type RunningRedis, startRedis } from './redis.ts';

export const serviceEnv = {
  postgresUrl: 'EDGEPLANE_TEST_POSTGRES_URL',
  redisUrl: 'EDGEPLANE_TEST_REDIS_URL',
} as const;

export interface TestServices {
  postgresUrl: string;
  redisUrl: string;
}

/** The Postgres and Redis of this test run, as started by the jest global setup. */
export function testServices(): TestServices {
  const postgresUrl = process.env[serviceEnv.postgresUrl];
  const redisUrl = process.env[serviceEnv.redisUrl];
  if (!postgresUrl || !redisUrl) {
    throw new Error(
      'test services are not running: run tests through jest (its global setup starts them)',
    );
  }
  return { postgresUrl, redisUrl };
}
