// Purge fan-out end to end: API -> Postgres -> Redis -> two origin replicas -> SSE followers
// (the edge's own origin-link client), with replay after a disconnect and a Redis restart.
import type { ChildProcess } from 'node:child_process';
import { OriginSiteSource } from '../../runtime/lib/origin-link/origin-site-source.ts';
import type { PurgeEvent } from '../../runtime/lib/origin-link/wire.ts';
import type { Site } from '../../runtime/lib/site.ts';
import { createTenant } from '../../runtime/origin/tenants.ts';
import { freePort } from '../harness/services/index.ts';
import {
  call,
  createTestDatabase,
  redisOn,
  startTestOrigin,
  stopRedis,
  type TestDatabase,
  testEdgeToken,
} from './harness.ts';

interface Follower {
  source: OriginSiteSource;
  purges: { seq: number; purge: PurgeEvent }[];
  siteSets: (readonly Site[])[];
}

async function follow(originUrl: string): Promise<Follower> {
  const purges: Follower['purges'] = [];
  const siteSets: Follower['siteSets'] = [];
  const source = new OriginSiteSource({
    originUrl,
    edgeToken: testEdgeToken,
    onPurge: (purge, seq) => {
      purges.push({ seq, purge });
    },
    initialBackoffMs: 20,
    maxBackoffMs: 200,
  });
  source.subscribe((sites) => siteSets.push(sites));
  await source.load();
  return { source, purges, siteSets };
}

/** Waits (bounded) until `check` holds; fails with `what` otherwise. */
async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let db: TestDatabase;
let redisPort: number;
let redis: ChildProcess;
let replicaA: Awaited<ReturnType<typeof startTestOrigin>>;
let replicaB: Awaited<ReturnType<typeof startTestOrigin>>;
let admin: string;
let siteId: string;
const followers: Follower[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  redisPort = await freePort();
  redis = await redisOn(redisPort);
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  // A slow safety poll, so the tests below see the bus and the reconnect path, not the poll.
  [replicaA, replicaB] = await Promise.all([
    startTestOrigin({ databaseUrl: db.url, redisUrl, pollIntervalMs: 120_000, heartbeatMs: 200 }),
    startTestOrigin({ databaseUrl: db.url, redisUrl, pollIntervalMs: 120_000, heartbeatMs: 200 }),
  ]);
  admin = (await createTenant(replicaA.pool, 'Fan-out')).adminKey.token;
  siteId = (
    await call(replicaA.url, 'POST', '/v1/sites', {
      key: admin,
      body: { name: 'Shop', hosts: ['shop.fanout.example'], origin: 'http://127.0.0.1:9' },
    })
  ).body.id;
  for (const url of [replicaA.url, replicaA.url, replicaB.url, replicaB.url])
    followers.push(await follow(url));
});

afterAll(async () => {
  for (const follower of followers) await follower.source.close();
  await replicaA?.close();
  await replicaB?.close();
  if (redis) await stopRedis(redis);
  await db?.drop();
});

const purge = (replica: { url: string }, values: string[], headers: Record<string, string> = {}) =>
  call(replica.url, 'POST', '/v1/purges', {
    key: admin,
    body: { site: siteId, kind: 'url', values },
    headers,
  });

describe('purge fan-out', () => {
  it('loads the snapshot with the sites before following', () => {
    for (const follower of followers) {
      expect(follower.source.ready).toBe(true);
      expect(follower.source.seq).toBeGreaterThan(0);
    }
  });

  it('delivers every purge, made on either replica, to every follower of both replicas, in sequence order', async () => {
    const seqs: number[] = [];
    for (let index = 0; index < 20; index++) {
      const response = await purge(index % 2 ? replicaB : replicaA, [`/page-${index}`]);
      expect(response.status).toBe(201);
      seqs.push(response.body.seq);
    }
    for (const follower of followers) {
      await until('all purges at every follower', () =>
        seqs.every((seq) => follower.purges.some((p) => p.seq === seq)),
      );
      const received = follower.purges.map((p) => p.seq);
      expect(received).toEqual([...received].sort((a, b) => a - b));
      expect(new Set(received).size).toBe(received.length);
      expect(follower.purges.find((p) => p.seq === seqs[3])?.purge).toMatchObject({
        site: siteId,
        kind: 'url',
        values: ['/page-3'],
        mode: 'hard',
      });
    }
  });

  it('delivers purges committed concurrently on both replicas to every follower, none twice, in order', async () => {
    const responses = await Promise.all(
      Array.from({ length: 16 }, (_, index) =>
        purge(index % 2 ? replicaB : replicaA, [`/burst-${index}`]),
      ),
    );
    const seqs = responses.map((response) => response.body.seq as number);
    for (const follower of followers) {
      await until('the burst at every follower', () =>
        seqs.every((seq) => follower.purges.some((p) => p.seq === seq)),
      );
      const received = follower.purges.map((p) => p.seq);
      expect(received).toEqual([...received].sort((a, b) => a - b));
      expect(new Set(received).size).toBe(received.length);
    }
  });

  it('sends site upserts and deletes to followers of the other replica', async () => {
    const follower = followers[3] as Follower;
    const created = await call(replicaA.url, 'POST', '/v1/sites', {
      key: admin,
      body: { name: 'Blog', hosts: ['blog.fanout.example'], origin: 'http://127.0.0.1:9' },
    });
    await until(
      'the new site',
      () => follower.siteSets.at(-1)?.some((site) => site.id === created.body.id) ?? false,
    );
    expect(follower.siteSets.at(-1)?.find((site) => site.id === created.body.id)?.hosts).toEqual([
      'blog.fanout.example',
    ]);
    await call(replicaA.url, 'DELETE', `/v1/sites/${created.body.id}`, { key: admin });
    await until(
      'the deletion',
      () => !(follower.siteSets.at(-1)?.some((site) => site.id === created.body.id) ?? true),
    );
  });

  it('replays from Postgres what a follower missed while disconnected (Last-Event-ID)', async () => {
    const gone = followers[0] as Follower;
    await gone.source.close();
    const lastSeen = gone.source.seq;
    const missed: number[] = [];
    for (let index = 0; index < 5; index++)
      missed.push((await purge(replicaB, [`/missed-${index}`])).body.seq);
    // A new follower picks up where the old one stopped, as an edge does after a restart.
    const purges: { seq: number; purge: PurgeEvent }[] = [];
    const { EventFollower } = await import('../../runtime/lib/origin-link/event-follower.ts');
    const resumed = new EventFollower({
      originUrl: replicaA.url,
      edgeToken: testEdgeToken,
      fromSeq: lastSeen,
      onEvent: (event) => {
        if (event.type === 'purge') purges.push({ seq: event.seq, purge: event.purge });
      },
    });
    resumed.start();
    try {
      await until('the replay', () => missed.every((seq) => purges.some((p) => p.seq === seq)));
      expect(purges.map((p) => p.seq)).toEqual(missed);
      const live = (await purge(replicaA, ['/after-replay'])).body.seq;
      await until('a live purge after the replay', () => purges.some((p) => p.seq === live));
      expect(purges.map((p) => p.seq)).toEqual([...missed, live]);
    } finally {
      await resumed.stop();
    }
    followers[0] = await follow(replicaA.url);
  });

  it('loses no purge while Redis is down and restarted', async () => {
    await stopRedis(redis);
    // Committed on A while the bus is gone: B learns of them only when Redis returns.
    const whileDown: number[] = [];
    for (let index = 0; index < 3; index++) {
      const response = await purge(replicaA, [`/redis-down-${index}`], {
        'idempotency-key': `down-${index}`,
      });
      expect(response.status).toBe(201);
      whileDown.push(response.body.seq);
    }
    const onA = followers[1] as Follower;
    await until('purges at the committing replica while Redis is down', () =>
      whileDown.every((seq) => onA.purges.some((p) => p.seq === seq)),
    );
    redis = await redisOn(redisPort);
    for (const follower of followers) {
      await until('purges at every follower after Redis restarted', () =>
        whileDown.every((seq) => follower.purges.some((p) => p.seq === seq)),
      );
    }
    // And the bus works again.
    const after = (await purge(replicaA, ['/redis-back'])).body.seq;
    for (const follower of followers) {
      await until('a purge after the restart', () => follower.purges.some((p) => p.seq === after));
    }
  }, 30_000);

  it('keeps the stream open with heartbeats and counts connected edges', async () => {
    const response = await fetch(`${replicaB.url}/v1/edge/events`, {
      headers: { authorization: `Bearer ${testEdgeToken}` },
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const decoder = new TextDecoder();
    const deadline = Date.now() + 5000;
    while (!text.includes(': heartbeat') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    expect(text).toContain('retry: 1000');
    expect(text).toContain(': heartbeat');
    const metrics = await (await fetch(`${replicaB.managementUrl}/metrics`)).text();
    expect(metrics).toMatch(/edgeplane_origin_edge_streams 3/);
    await reader.cancel();
  });
});
