// No purge is lost: purges are issued one after another while (a) an edge is SIGKILLed and started
// again on its disk tier, (b) Redis restarts, (c) the origin replica edges are connected to is
// SIGKILLed. Each purge names an object every edge cached before: once every edge has applied
// the origin's last sequence number, none of them may still serve its first copy of any of them.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentSeq } from '../../runtime/origin/events-store.ts';
import { pruneOnce } from '../../runtime/origin/retention.ts';
import { createTenant } from '../../runtime/origin/tenants.ts';
import { freePort, testServices } from '../harness/services/index.ts';
import {
  call,
  createTestDatabase,
  redisOn,
  startTestOrigin,
  stopRedis,
  type TestDatabase,
  testPool,
} from '../origin/harness.ts';
import {
  type EdgeProcess,
  isHit,
  metric,
  PurgeSeries,
  sleep,
  startEdgeProcess,
  startOriginProcess,
  TcpBalancer,
  until,
  viaEdge,
  waitReady,
} from './harness.ts';
import { startTenantOrigin, type TenantOrigin } from './tenant-origin.ts';

jest.setTimeout(180_000);

const purges = 30;
const controls = 4;

let db: TestDatabase;
let tenant: TenantOrigin;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  tenant = await startTenantOrigin();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});
afterAll(async () => {
  await tenant?.close();
  await db?.drop();
});

async function newSite(apiUrl: string, adminKey: string, host: string): Promise<string> {
  const created = await call(apiUrl, 'POST', '/v1/sites', {
    key: adminKey,
    body: { name: host, hosts: [host], origin: tenant.url },
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

const purgedPath = (scenario: string, index: number) => `/${scenario}/${index}`;
const controlPath = (scenario: string, index: number) => `/${scenario}-control/${index}`;

/** Every edge caches every object the purges will name, and the controls no purge names. */
async function cacheAll(edges: EdgeProcess[], host: string, scenario: string): Promise<void> {
  const paths = [
    ...Array.from({ length: purges }, (_, index) => purgedPath(scenario, index)),
    ...Array.from({ length: controls }, (_, index) => controlPath(scenario, index)),
  ];
  for (const edge of edges) {
    for (const path of paths) {
      await viaEdge(edge, host, path);
      await until(`${path} cached`, async () => isHit(await viaEdge(edge, host, path)));
    }
  }
}

/** A URL purge with an Idempotency-Key, retried while the API is unreachable. */
function purgeVia(apiUrl: string, adminKey: string, site: string, scenario: string) {
  return async (index: number): Promise<number> => {
    for (let attempt = 0; ; attempt++) {
      try {
        const answer = await call(apiUrl, 'POST', '/v1/purges', {
          key: adminKey,
          body: { site, kind: 'url', values: [purgedPath(scenario, index)], mode: 'hard' },
          headers: { 'idempotency-key': `${scenario}-${index}` },
        });
        if (answer.status === 200 || answer.status === 201) return answer.body.seq as number;
        if (attempt > 50) throw new Error(`purge ${index} answered ${answer.status}`);
      } catch (error) {
        if (attempt > 50) throw error;
      }
      await sleep(100);
    }
  };
}

/** Waits for every edge to apply `seq`, then checks no edge serves a first copy of a purged object. */
async function everyPurgeApplied(
  edges: EdgeProcess[],
  host: string,
  scenario: string,
  seq: number,
): Promise<void> {
  for (const edge of edges) {
    await until(
      `edge ${edge.trafficPort} at seq ${seq}`,
      async () => ((await metric(edge, 'edgeplane_edge_origin_seq')) ?? 0) >= seq,
      60_000,
      edge.output,
    );
  }
  for (const edge of edges) {
    for (let index = 0; index < purges; index++) {
      const path = purgedPath(scenario, index);
      const after = await viaEdge(edge, host, path);
      expect({ path, stale: isHit(after) && after.body === `${path} fetch 1\n` }).toEqual({
        path,
        stale: false,
      });
    }
  }
}

describe('no purge is lost', () => {
  it('when an edge is SIGKILLed and started again on its disk tier while purges are issued', async () => {
    const origin = await startTestOrigin({ databaseUrl: db.url });
    cleanups.push(() => origin.close());
    const admin = (await createTenant(origin.pool, 'Restart')).adminKey.token;
    const host = 'restart.e2e.example';
    const site = await newSite(origin.url, admin, host);
    const disk = await mkdtemp(join(tmpdir(), 'edgeplane-restart-'));
    cleanups.push(() => rm(disk, { recursive: true, force: true }));
    const ports = { trafficPort: await freePort(), managementPort: await freePort() };
    const start = () =>
      startEdgeProcess({ originUrl: origin.url, workers: 2, diskPath: disk, ...ports });
    let edge = await start();
    cleanups.push(() => edge.kill());
    await waitReady(edge);
    await cacheAll([edge], host, 'restart');
    await until(
      'every object on disk',
      async () =>
        (await readdir(disk)).filter((name) => name.endsWith('.obj')).length >= purges + controls,
    );

    const series = new PurgeSeries(purges, 100, purgeVia(origin.url, admin, site, 'restart'));
    await until('a few purges', () => series.issued >= 5);
    await edge.kill();
    const killedAt = series.issued;
    await until('purges while the edge is down', () => series.issued >= killedAt + 5);
    edge = await start();
    await waitReady(edge);
    await series.finished();

    const last = series.seqs.at(-1) as number;
    // The edge's applied sequence reaches the end of the origin's log.
    expect(last).toBe(await currentSeq(origin.pool));
    await everyPurgeApplied([edge], host, 'restart', last);
    // The disk tier did survive: what no purge named is still a hit with its first copy.
    for (let index = 0; index < controls; index++) {
      const path = controlPath('restart', index);
      const control = await viaEdge(edge, host, path);
      expect(isHit(control)).toBe(true);
      expect(control.body).toBe(`${path} fetch 1\n`);
    }
    expect(edge.output()).toContain('"resumeFromSeq"');
  });

  it('when Redis restarts while purges are issued (each replica catches up, no safety poll)', async () => {
    const redisPort = await freePort();
    let redis = await redisOn(redisPort);
    cleanups.push(() => stopRedis(redis));
    const options = {
      databaseUrl: db.url,
      redisUrl: `redis://127.0.0.1:${redisPort}`,
      pollIntervalMs: 600_000,
    };
    const replicas = [await startTestOrigin(options), await startTestOrigin(options)];
    for (const replica of replicas) cleanups.push(() => replica.close());
    const [first, second] = replicas as [(typeof replicas)[0], (typeof replicas)[0]];
    const admin = (await createTenant(first.pool, 'Redis')).adminKey.token;
    const host = 'redis.e2e.example';
    const site = await newSite(first.url, admin, host);
    const edges = [
      await startEdgeProcess({ originUrl: first.url, workers: 1 }),
      await startEdgeProcess({ originUrl: second.url, workers: 1 }),
    ];
    for (const edge of edges) cleanups.push(() => edge.kill());
    for (const edge of edges) await waitReady(edge);
    await cacheAll(edges, host, 'redis');

    // Purges go to the first replica; the second learns of them only through Redis.
    const series = new PurgeSeries(purges, 100, purgeVia(first.url, admin, site, 'redis'));
    await until('a few purges', () => series.issued >= 5);
    await stopRedis(redis);
    const stoppedAt = series.issued;
    await until('purges while Redis is down', () => series.issued >= stoppedAt + 5);
    redis = await redisOn(redisPort);
    await series.finished();
    await everyPurgeApplied(edges, host, 'redis', series.seqs.at(-1) as number);
  });

  it('when the origin replica edges follow is SIGKILLed: they reconnect through the Service to the other', async () => {
    const env = { DATABASE_URL: db.url, REDIS_URL: testServices().redisUrl };
    const replicas = [await startOriginProcess(env), await startOriginProcess(env)];
    for (const replica of replicas) cleanups.push(() => replica.kill());
    const service = new TcpBalancer(replicas.map((replica) => replica.apiPort));
    const serviceUrl = await service.listen();
    cleanups.push(() => service.close());
    const pool = testPool(db.url, 1);
    cleanups.push(() => pool.end());
    const admin = (await createTenant(pool, 'Failover')).adminKey.token;
    const host = 'failover.e2e.example';
    const site = await newSite(serviceUrl, admin, host);
    const edges: EdgeProcess[] = [];
    for (let index = 0; index < 4; index++) {
      const edge = await startEdgeProcess({ originUrl: serviceUrl, workers: 1 });
      cleanups.push(() => edge.kill());
      edges.push(edge);
    }
    for (const edge of edges) await waitReady(edge);
    await cacheAll(edges, host, 'failover');

    // The replica holding the most edge streams is the one to kill.
    const streams = async (replica: (typeof replicas)[0]) => {
      const text = await (await fetch(`${replica.managementUrl}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith('edgeplane_origin_edge_streams '));
      return Number(line?.split(' ')[1] ?? 0);
    };
    const counts = await Promise.all(replicas.map(streams));
    const victim = (counts[0] ?? 0) >= (counts[1] ?? 0) ? 0 : 1;
    expect(counts[victim]).toBeGreaterThanOrEqual(1);

    const series = new PurgeSeries(purges, 100, purgeVia(serviceUrl, admin, site, 'failover'));
    await until('a few purges', () => series.issued >= 5);
    await (replicas[victim] as (typeof replicas)[0]).kill();
    await series.finished();
    await everyPurgeApplied(edges, host, 'failover', series.seqs.at(-1) as number);
    expect(await streams(replicas[1 - victim] as (typeof replicas)[0])).toBe(edges.length);
  });
});

describe('an edge the origin cannot replay to', () => {
  it('empties its cache on reset (its events were pruned while it was down), then follows again', async () => {
    const origin = await startTestOrigin({ databaseUrl: db.url });
    cleanups.push(() => origin.close());
    const admin = (await createTenant(origin.pool, 'Reset')).adminKey.token;
    const host = 'reset.e2e.example';
    const site = await newSite(origin.url, admin, host);
    const disk = await mkdtemp(join(tmpdir(), 'edgeplane-reset-'));
    cleanups.push(() => rm(disk, { recursive: true, force: true }));
    const ports = { trafficPort: await freePort(), managementPort: await freePort() };
    const start = () =>
      startEdgeProcess({ originUrl: origin.url, workers: 1, diskPath: disk, ...ports });
    let edge = await start();
    cleanups.push(() => edge.kill());
    await waitReady(edge);
    const paths = ['/reset/purged', '/reset/untouched'];
    for (const path of paths) {
      await viaEdge(edge, host, path);
      await until(`${path} cached`, async () => isHit(await viaEdge(edge, host, path)));
    }
    await until(
      'both objects on disk',
      async () => (await readdir(disk)).filter((name) => name.endsWith('.obj')).length >= 2,
    );
    expect(await edge.stop()).toBe(0);

    // While the edge is down: a purge, a newer event, and a retention round that prunes both
    // but the newest, so the edge's Last-Event-ID is below the pruned watermark.
    await call(origin.url, 'POST', '/v1/purges', {
      key: admin,
      body: { site, kind: 'url', values: ['/reset/purged'] },
    });
    const last = (
      await call(origin.url, 'POST', '/v1/purges', {
        key: admin,
        body: { site, kind: 'url', values: ['/reset/elsewhere'] },
      })
    ).body.seq as number;
    const pruned = await pruneOnce(
      origin.pool,
      { eventsMs: 0, usageBatchesMs: 86_400_000 },
      new Date(Date.now() + 60_000),
    );
    expect(pruned.prunedThroughSeq).toBe(last - 1);

    edge = await start();
    await waitReady(edge);
    await until(
      'the reset applied',
      async () => ((await metric(edge, 'edgeplane_edge_origin_seq')) ?? 0) >= last,
    );
    await until('the reset in the log', () =>
      edge.output().includes('the origin reset the event stream'),
    );
    // Nothing the edge held can be trusted: the purged object and the untouched one alike are
    // fetched again.
    for (const path of paths) {
      const after = await viaEdge(edge, host, path);
      expect(isHit(after)).toBe(false);
      expect(after.body).toBe(`${path} fetch 2\n`);
    }
  });
});
