import { serviceEnv } from './index.ts';
import { startPostgres } from './postgres.ts';
import { startRedis } from './redis.ts';

declare global {
  var edgeplaneTestServices: { stop(): Promise<void> }[] | undefined;
}

export default async function globalSetup(): Promise<void> {
  const started = await Promise.allSettled([startPostgres(), startRedis()]);
  const running = started.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  globalThis.edgeplaneTestServices = running;
  const failure = started.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.all(running.map((service) => service.stop()));
    throw failure.reason;
  }
  const [postgres, redis] = running as [
    Awaited<ReturnType<typeof startPostgres>>,
    Awaited<ReturnType<typeof startRedis>>,
  ];
  process.env[serviceEnv.postgresUrl] = postgres.url;
  process.env[serviceEnv.redisUrl] = redis.url;
}
