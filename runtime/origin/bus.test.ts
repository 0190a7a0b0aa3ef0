// The Redis bus against a real redis-server that is stopped and started again on its port.

import { freePort } from '../../test/harness/services/index.ts';
import { memoryLogger, redisOn, stopRedis } from '../../test/origin/harness.ts';
import { LocalEventBus, RedisEventBus } from './bus.ts';

// Generous: ioredis backs off up to 2 s between reconnects, and CI machines are shared.
async function until(what: string, check: () => boolean, timeoutMs = 25_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('RedisEventBus', () => {
  it('announces to other replicas, tells them to catch up after a reconnect, and re-announces what failed while Redis was away', async () => {
    const port = await freePort();
    let redis = await redisOn(port);
    const url = `redis://127.0.0.1:${port}`;
    const { logger, lines } = memoryLogger();
    const writer = new RedisEventBus(url, logger);
    const reader = new RedisEventBus(url, logger);
    const heard: (number | undefined)[] = [];
    reader.subscribe((seq) => heard.push(seq));
    try {
      await until('the reader subscribed', () => heard.includes(undefined));
      await until('a first announcement', () => {
        void writer.publish(1);
        return heard.includes(1);
      });

      await stopRedis(redis);
      await writer.publish(7); // fails: Redis is gone; never throws
      expect(lines.join('')).toContain('redis bus publish failed');
      heard.length = 0;
      redis = await redisOn(port);
      // The reader catches up once its subscription is confirmed, and the writer re-sends 7 without
      // any new publish. Whether the reader also hears 7 depends on which reconnects first, so the
      // re-announcement is checked in the writer's log.
      await until('the reader is told to catch up', () => heard.includes(undefined));
      await until('the re-announcement of 7', () =>
        lines.some((line) => line.includes('redis bus re-announced') && line.includes('"seq":7')),
      );
    } finally {
      await writer.close();
      await reader.close();
      await stopRedis(redis);
    }
  }, 60_000);
});

describe('LocalEventBus', () => {
  it('announces within the process', async () => {
    const bus = new LocalEventBus();
    const heard: (number | undefined)[] = [];
    bus.subscribe((seq) => heard.push(seq));
    await bus.publish(3);
    expect(heard).toEqual([3]);
    await bus.close();
  });
});
