// The retention job against a real Postgres and a real origin: what it deletes and keeps, one
// replica at a time, and an edge that was away for longer than the event retention reloading the
// snapshot instead of silently missing what was pruned.
import pg from 'pg';
import { freePort } from '../../test/harness/services/index.ts';
import {
  call,
  createTestDatabase,
  memoryLogger,
  startTestOrigin,
  type TestDatabase,
  testEdgeToken,
} from '../../test/origin/harness.ts';
import { EventFollower } from '../lib/origin-link/event-follower.ts';
import { OriginSiteSource } from '../lib/origin-link/origin-site-source.ts';
import type { EdgeEvent } from '../lib/origin-link/wire.ts';
import type { Site } from '../lib/site.ts';
import { pruneOnce, RetentionJob, retentionLockId } from './retention.ts';
import { defaultRetention } from './server.ts';
import { createTenant } from './tenants.ts';

type Origin = Awaited<ReturnType<typeof startTestOrigin>>;

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function createSite(origin: Origin, key: string, host: string): Promise<string> {
  const response = await call(origin.url, 'POST', '/v1/sites', {
    key,
    body: { name: host, hosts: [host], origin: 'http://127.0.0.1:9' },
  });
  expect(response.status).toBe(201);
  return response.body.id;
}

async function purge(origin: Origin, key: string, site: string, path: string): Promise<number> {
  const response = await call(origin.url, 'POST', '/v1/purges', {
    key,
    body: { site, kind: 'url', values: [path] },
  });
  expect(response.status).toBe(201);
  return response.body.seq;
}

/** Makes every edge event up to `throughSeq` look `days` old. */
async function age(pool: pg.Pool, throughSeq: number, days: number) {
  await pool.query(
    'UPDATE edge_events SET created_at = now() - make_interval(days => $2) WHERE seq <= $1',
    [throughSeq, days],
  );
}

const seqs = async (pool: pg.Pool) =>
  (await pool.query<{ seq: string }>('SELECT seq FROM edge_events ORDER BY seq')).rows.map((row) =>
    Number(row.seq),
  );

describe('pruneOnce', () => {
  let db: TestDatabase;
  let origin: Origin;
  let admin: string;
  beforeEach(async () => {
    db = await createTestDatabase();
    origin = await startTestOrigin({ databaseUrl: db.url });
    admin = (await createTenant(origin.pool, 'Retention')).adminKey.token;
  });
  afterEach(async () => {
    await origin.close();
    await db.drop();
  });

  it('deletes events and usage batch ids past their retention, never the newest event, and keeps the purge history', async () => {
    const site = await createSite(origin, admin, 'keep.example');
    const purgeSeqs = [
      await purge(origin, admin, site, '/a'),
      await purge(origin, admin, site, '/b'),
      await purge(origin, admin, site, '/c'),
    ];
    const newest = purgeSeqs[2] as number;
    await age(origin.pool, newest, 8);
    for (const batchId of ['batch-old-0001', 'batch-new-0002']) {
      const sent = await call(origin.url, 'POST', '/v1/edge/usage', {
        headers: { authorization: `Bearer ${testEdgeToken}` },
        body: {
          batchId,
          counters: [
            { site, hour: '2026-11-26T10:00:00Z', requests: 1, bytes: 1, hits: 1, misses: 0 },
          ],
        },
      });
      expect(sent.body).toMatchObject({ accepted: true });
    }
    await origin.pool.query(
      "UPDATE usage_batches SET received_at = now() - interval '3 days' WHERE batch_id = 'batch-old-0001'",
    );

    const result = await pruneOnce(origin.pool, defaultRetention);
    expect(result).toEqual({
      ran: true,
      events: 3,
      usageBatches: 1,
      prunedThroughSeq: purgeSeqs[1],
    });
    expect(await seqs(origin.pool)).toEqual([newest]);
    const batches = await origin.pool.query('SELECT batch_id FROM usage_batches');
    expect(batches.rows).toEqual([{ batch_id: 'batch-new-0002' }]);
    // The log's end does not move back: the snapshot still says where the edges are.
    const snapshot = await call(origin.url, 'GET', '/v1/edge/snapshot', {
      headers: { authorization: `Bearer ${testEdgeToken}` },
    });
    expect(snapshot.body.seq).toBe(newest);
    // The tenant's purge history is not the edge log: every purge is still listed.
    const history = await call(origin.url, 'GET', '/v1/purges', { key: admin });
    expect(history.body.items.map((item: { seq: number }) => item.seq).sort()).toEqual(purgeSeqs);
    // Nothing left to do.
    expect(await pruneOnce(origin.pool, defaultRetention)).toEqual({
      ...result,
      events: 0,
      usageBatches: 0,
    });
  });

  it('keeps what is younger than the retention', async () => {
    const site = await createSite(origin, admin, 'young.example');
    const first = await purge(origin, admin, site, '/a');
    await purge(origin, admin, site, '/b');
    await age(origin.pool, first, 6);
    const before = await seqs(origin.pool);
    expect(await pruneOnce(origin.pool, defaultRetention)).toMatchObject({ ran: true, events: 0 });
    expect(await seqs(origin.pool)).toEqual(before);
    // With a retention of 5 days, the 6-day-old ones go (the site's event and the first purge).
    expect(
      await pruneOnce(origin.pool, { eventsMs: 5 * 86_400_000, usageBatchesMs: 86_400_000 }),
    ).toMatchObject({ ran: true, events: 2, prunedThroughSeq: first });
  });

  it('runs on one replica at a time: while another holds the lock it does nothing', async () => {
    const site = await createSite(origin, admin, 'lock.example');
    const last = await purge(origin, admin, site, '/a');
    await age(origin.pool, last, 30);
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1)', [retentionLockId]);
      expect(await pruneOnce(origin.pool, defaultRetention)).toEqual({
        ran: false,
        events: 0,
        usageBatches: 0,
        prunedThroughSeq: 0,
      });
      expect((await seqs(origin.pool)).length).toBe(2);
      await other.query('SELECT pg_advisory_unlock($1)', [retentionLockId]);
      expect(await pruneOnce(origin.pool, defaultRetention)).toMatchObject({
        ran: true,
        events: 1,
      });
    } finally {
      await other.end();
    }
  });
});

describe('an edge further behind than the event retention', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  it('gets a reset instead of a replay with holes; one at the watermark is replayed as usual', async () => {
    const origin = await startTestOrigin({ databaseUrl: db.url });
    try {
      const admin = (await createTenant(origin.pool, 'Behind')).adminKey.token;
      const site = await createSite(origin, admin, 'behind.example');
      const behindSeq = await purge(origin, admin, site, '/seen');
      const pruned = await purge(origin, admin, site, '/pruned');
      const kept = await purge(origin, admin, site, '/kept');
      await age(origin.pool, pruned, 8);
      expect((await pruneOnce(origin.pool, defaultRetention)).prunedThroughSeq).toBe(pruned);

      const follow = async (fromSeq: number) => {
        const events: EdgeEvent[] = [];
        const follower = new EventFollower({
          originUrl: origin.url,
          edgeToken: testEdgeToken,
          fromSeq,
          onEvent: (event) => {
            events.push(event);
          },
        });
        follower.start();
        try {
          await until('an event', () => events.length > 0);
          // Anything else on the stream would have arrived with the first event's chunk or right after.
          await new Promise((resolve) => setTimeout(resolve, 200));
        } finally {
          await follower.stop();
        }
        return events;
      };
      // It saw seq behindSeq; the purge after it is gone: it must reload, not skip to `kept`.
      expect(await follow(behindSeq)).toEqual([{ type: 'reset', seq: kept }]);
      // At the watermark nothing it needs is gone: the normal replay.
      const replay = await follow(pruned);
      expect(replay.map((event) => [event.type, event.seq])).toEqual([['purge', kept]]);
    } finally {
      await origin.close();
    }
  });

  it('reloads the snapshot when it reconnects (OriginSiteSource) and so learns what was pruned', async () => {
    const port = await freePort();
    let origin = await startTestOrigin({ databaseUrl: db.url, trafficPort: port });
    const admin = (await createTenant(origin.pool, 'Away')).adminKey.token;
    await createSite(origin, admin, 'before.example');
    const seen: (readonly Site[])[] = [];
    const source = new OriginSiteSource({
      originUrl: origin.url,
      edgeToken: testEdgeToken,
      onPurge: () => {},
      initialBackoffMs: 20,
      maxBackoffMs: 200,
    });
    try {
      await source.load();
      source.subscribe((sites) => seen.push(sites));
      const loadedAt = source.seq;
      // The edge is away (the origin it follows is down) while sites change and the log is pruned.
      await origin.close();
      origin = await startTestOrigin({ databaseUrl: db.url });
      const added = await createSite(origin, admin, 'while-away.example');
      const newest = await createSite(origin, admin, 'newest.example');
      const addedSeq = (
        await origin.pool.query<{ seq: string }>(
          "SELECT max(seq) AS seq FROM edge_events WHERE site_id = $1 AND type = 'site.upsert'",
          [added],
        )
      ).rows[0]?.seq;
      await age(origin.pool, Number(addedSeq), 8);
      const pruned = await pruneOnce(origin.pool, defaultRetention);
      expect(pruned.prunedThroughSeq).toBeGreaterThan(loadedAt);
      await origin.close();
      // Back where the edge expects it: it reconnects with its old Last-Event-ID.
      origin = await startTestOrigin({ databaseUrl: db.url, trafficPort: port });
      const hosts = () => (seen.at(-1) ?? []).flatMap((site) => site.hosts).sort();
      await until('the reloaded snapshot', () => hosts().includes('while-away.example'));
      // The site whose event was pruned came from the snapshot, not from a replay.
      expect(hosts()).toEqual(['before.example', 'newest.example', 'while-away.example']);
      expect(seen.at(-1)?.map((site) => site.id)).toEqual(expect.arrayContaining([added, newest]));
    } finally {
      await source.close();
      await origin.close();
    }
  });
});

describe('RetentionJob', () => {
  it('prunes on its schedule until stopped, and logs what it pruned', async () => {
    const db = await createTestDatabase();
    const origin = await startTestOrigin({ databaseUrl: db.url });
    const { logger, lines } = memoryLogger();
    const job = new RetentionJob(origin.pool, { ...defaultRetention, intervalMs: 20 }, logger);
    try {
      const admin = (await createTenant(origin.pool, 'Job')).adminKey.token;
      const site = await createSite(origin, admin, 'job.example');
      const old = await purge(origin, admin, site, '/a');
      await purge(origin, admin, site, '/b');
      await age(origin.pool, old, 8);
      job.start(0);
      await until('the job pruned', () => lines.some((line) => line.includes('retention: pruned')));
      expect(await seqs(origin.pool)).not.toContain(old);
      // Rounds keep coming: an event aged later goes too.
      const later = (await seqs(origin.pool))[0] as number;
      await purge(origin, admin, site, '/c');
      await age(origin.pool, later + 1, 8);
      await until(
        'the next round',
        () => lines.filter((line) => line.includes('retention: pruned')).length >= 2,
      );
    } finally {
      await job.stop();
      await origin.close();
      await db.drop();
    }
  });
});
