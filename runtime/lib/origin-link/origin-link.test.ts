// The edge's origin-link client against a real origin (and plain node:http servers for failures).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort, testServices } from '../../../test/harness/services/index.ts';
import {
  call,
  createTestDatabase,
  startTestOrigin,
  type TestDatabase,
  testEdgeToken,
} from '../../../test/origin/harness.ts';
import { createTenant } from '../../origin/tenants.ts';
import { Backoff } from './backoff.ts';
import { EventFollower } from './event-follower.ts';
import { OriginLinkError } from './http.ts';
import { OriginSiteSource } from './origin-site-source.ts';
import { fetchSnapshot } from './snapshot.ts';
import { UsageFlusher } from './usage-flusher.ts';
import type { EdgeEvent, UsageBatch } from './wire.ts';

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

const readJson = async (req: IncomingMessage): Promise<unknown> => {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text);
};

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('Backoff', () => {
  it('grows exponentially up to the cap, jittered below the ceiling, and resets', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0.999 });
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.next())).toEqual([100, 200, 400, 799, 999, 999]);
    backoff.reset();
    expect(backoff.next()).toBe(100);
    expect(new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0 }).next()).toBe(0);
  });
});

describe('snapshot and site source', () => {
  it('refuses a wrong edge token with an OriginLinkError carrying the status', async () => {
    const origin = await startTestOrigin({ databaseUrl: db.url });
    try {
      const failure = fetchSnapshot({
        originUrl: origin.url,
        edgeToken: 'wrong-token-wrong-token',
      });
      await expect(failure).rejects.toBeInstanceOf(OriginLinkError);
      await expect(failure).rejects.toMatchObject({ status: 401 });
    } finally {
      await origin.close();
    }
  });

  it('loads sites from the snapshot, then follows upserts, deletes and purges in order', async () => {
    const origin = await startTestOrigin({ databaseUrl: db.url });
    const admin = (await createTenant(origin.pool, 'Link')).adminKey.token;
    const first = (
      await call(origin.url, 'POST', '/v1/sites', {
        key: admin,
        body: {
          name: 'One',
          hosts: ['one.link.example'],
          origin: 'http://127.0.0.1:9',
          cache: { queryString: 'sort' },
        },
      })
    ).body;
    const order: string[] = [];
    const source = new OriginSiteSource({
      originUrl: origin.url,
      edgeToken: testEdgeToken,
      onPurge: (purge, seq) => {
        order.push(`purge:${seq}:${purge.values.join(',')}`);
      },
    });
    const sets: string[][] = [];
    source.subscribe((sites) => {
      sets.push(sites.map((site) => site.id).sort());
      order.push(`sites:${sites.length}`);
    });
    try {
      expect(source.ready).toBe(false);
      const loaded = await source.load();
      expect(source.ready).toBe(true);
      expect(loaded.find((site) => site.id === first.id)).toEqual({
        id: first.id,
        hosts: ['one.link.example'],
        origin: 'http://127.0.0.1:9',
        cache: { queryString: 'sort', queryParams: [], cookies: 'bypass', compression: true },
      });
      const second = (
        await call(origin.url, 'POST', '/v1/sites', {
          key: admin,
          body: { name: 'Two', hosts: ['two.link.example'], origin: 'http://127.0.0.1:9' },
        })
      ).body;
      const purged = (
        await call(origin.url, 'POST', '/v1/purges', {
          key: admin,
          body: { site: second.id, kind: 'url', values: ['/a'] },
        })
      ).body;
      await call(origin.url, 'DELETE', `/v1/sites/${first.id}`, { key: admin });
      await until('three changes', () => order.length >= 3);
      expect(order).toEqual([
        `sites:${loaded.length + 1}`,
        `purge:${purged.seq}:/a`,
        `sites:${loaded.length}`,
      ]);
      expect(sets.at(-1)).not.toContain(first.id);
      expect(sets.at(-1)).toContain(second.id);
    } finally {
      await source.close();
      await origin.close();
    }
  });
});

describe('site source started in the background', () => {
  it('answers no sites and is not ready while the origin is down, then loads and tells subscribers', async () => {
    const port = await freePort();
    const fresh = await createTestDatabase();
    const statuses: { connected: boolean; error?: string }[] = [];
    const source = new OriginSiteSource({
      originUrl: `http://127.0.0.1:${port}`,
      edgeToken: testEdgeToken,
      onPurge: () => {},
      onStatus: (status) => statuses.push(status),
      initialBackoffMs: 20,
      maxBackoffMs: 100,
    });
    const sets: string[][] = [];
    let origin: Awaited<ReturnType<typeof startTestOrigin>> | undefined;
    try {
      source.start();
      await until('a failed snapshot', () => statuses.some((status) => !status.connected));
      expect(statuses[0]?.error).toMatch(/^snapshot: /);
      expect(source.ready).toBe(false);
      expect(await source.load()).toEqual([]);
      source.subscribe((sites) => sets.push(sites.map((site) => site.hosts[0] ?? '')));
      origin = await startTestOrigin({ databaseUrl: fresh.url, trafficPort: port });
      const admin = (await createTenant(origin.pool, 'Bg')).adminKey.token;
      await call(origin.url, 'POST', '/v1/sites', {
        key: admin,
        body: { name: 'B', hosts: ['bg.example'], origin: 'http://127.0.0.1:9' },
      });
      await until('the site', () => sets.some((set) => set.includes('bg.example')));
      expect(source.ready).toBe(true);
      expect((await source.load()).map((site) => site.hosts[0])).toContain('bg.example');
      // A subscriber that comes late gets the current set at once.
      const late: number[] = [];
      source.subscribe((sites) => late.push(sites.length));
      expect(late).toEqual([1]);
    } finally {
      await source.close();
      await origin?.close();
      await fresh.drop();
    }
  });

  it('abandons a snapshot request the origin never answers, and tries again', async () => {
    const asked: string[] = [];
    // Accepts and never answers, as a hung origin would.
    const server = createServer((req) => {
      asked.push(req.url ?? '');
    });
    const url = await listen(server);
    const errors: string[] = [];
    const source = new OriginSiteSource({
      originUrl: url,
      edgeToken: testEdgeToken,
      onPurge: () => {},
      onStatus: (status) => {
        if (status.error) errors.push(status.error);
      },
      snapshotTimeoutMs: 100,
      initialBackoffMs: 10,
      maxBackoffMs: 20,
    });
    try {
      source.start();
      await until('two abandoned attempts', () => errors.length >= 2);
      expect(asked.length).toBeGreaterThanOrEqual(2);
      expect(errors[0]).toMatch(/^snapshot: .*(timeout|aborted)/i);
      expect(source.ready).toBe(false);
    } finally {
      await source.close();
      await closeServer(server);
    }
  });

  it('resumes from an earlier sequence: replays the purges it missed, ready only once caught up', async () => {
    const fresh = await createTestDatabase();
    const origin = await startTestOrigin({ databaseUrl: fresh.url });
    const admin = (await createTenant(origin.pool, 'Resume')).adminKey.token;
    const site = (
      await call(origin.url, 'POST', '/v1/sites', {
        key: admin,
        body: { name: 'R', hosts: ['resume.example'], origin: 'http://127.0.0.1:9' },
      })
    ).body;
    const seqs: number[] = [];
    for (const path of ['/one', '/two', '/three']) {
      seqs.push(
        (
          await call(origin.url, 'POST', '/v1/purges', {
            key: admin,
            body: { site: site.id, kind: 'url', values: [path] },
          })
        ).body.seq,
      );
    }
    const purged: string[] = [];
    const applied: number[] = [];
    let readyWhenLastPurged: boolean | undefined;
    const source = new OriginSiteSource({
      originUrl: origin.url,
      edgeToken: testEdgeToken,
      resumeFromSeq: seqs[0] as number,
      onPurge: (purge) => {
        purged.push(...purge.values);
        if (purge.values.includes('/three')) readyWhenLastPurged = source.ready;
      },
      onApplied: (seq) => applied.push(seq),
    });
    try {
      source.start();
      await until('caught up', () => source.ready);
      // Only what came after the resume point, in order; not ready until the last was applied.
      expect(purged).toEqual(['/two', '/three']);
      expect(readyWhenLastPurged).toBe(false);
      expect(applied).toEqual([seqs[1], seqs[2]]);
      expect(source.seq).toBe(seqs[2]);
    } finally {
      await source.close();
      await origin.close();
      await fresh.drop();
    }
  });
});

describe('EventFollower', () => {
  it('retries with backoff while the origin is down and catches up from its Last-Event-ID once it is up', async () => {
    const port = await freePort();
    const statuses: { connected: boolean; retryInMs?: number }[] = [];
    const events: EdgeEvent[] = [];
    const follower = new EventFollower({
      originUrl: `http://127.0.0.1:${port}`,
      edgeToken: testEdgeToken,
      fromSeq: 0,
      onEvent: (event) => {
        events.push(event);
      },
      onStatus: (status) => statuses.push(status),
      initialBackoffMs: 20,
      maxBackoffMs: 100,
    });
    follower.start();
    let origin: Awaited<ReturnType<typeof startTestOrigin>> | undefined;
    try {
      await until(
        'two failed attempts',
        () => statuses.filter((status) => !status.connected).length >= 2,
      );
      expect(statuses.every((status) => !status.connected && (status.retryInMs ?? -1) <= 100)).toBe(
        true,
      );
      // Once the origin listens the follower connects with Last-Event-ID 0 and gets every event,
      // whether committed before or after its connection.
      const fresh = await createTestDatabase();
      try {
        origin = await startTestOrigin({ databaseUrl: fresh.url, trafficPort: port });
        const admin = (await createTenant(origin.pool, 'Late')).adminKey.token;
        const site = (
          await call(origin.url, 'POST', '/v1/sites', {
            key: admin,
            body: { name: 'L', hosts: ['late.example'], origin: 'http://127.0.0.1:9' },
          })
        ).body;
        await until('the site event', () =>
          events.some((event) => event.type === 'site.upsert' && event.site.id === site.id),
        );
        expect(statuses.some((status) => status.connected)).toBe(true);
        expect(follower.seq).toBe(events.at(-1)?.seq);
      } finally {
        await follower.stop();
        await origin?.close();
        await fresh.drop();
      }
    } finally {
      await follower.stop();
    }
  });

  it('is told to reset when it is ahead of the origin log (a restored database)', async () => {
    const fresh = await createTestDatabase();
    const origin = await startTestOrigin({ databaseUrl: fresh.url });
    const events: EdgeEvent[] = [];
    const follower = new EventFollower({
      originUrl: origin.url,
      edgeToken: testEdgeToken,
      fromSeq: 1_000_000,
      onEvent: (event) => {
        events.push(event);
      },
    });
    follower.start();
    try {
      await until('the reset event', () => events.length > 0);
      expect(events[0]).toEqual({ type: 'reset', seq: 0 });
      expect(follower.seq).toBe(0);
    } finally {
      await follower.stop();
      await origin.close();
      await fresh.drop();
    }
  });

  it('reconnects when a stream goes silent past the idle timeout', async () => {
    const lastEventIds: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      const lastEventId = req.headers['last-event-id'] as string | undefined;
      lastEventIds.push(lastEventId);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (lastEventId === '4') {
        const event = {
          type: 'purge',
          seq: 5,
          purge: { site: 's', kind: 'all', values: [], mode: 'hard', committedAt: 1 },
        };
        res.write(`id: 5\nevent: purge\ndata: ${JSON.stringify(event)}\n\n`);
      }
      // then silence: no heartbeat
    });
    const url = await listen(server);
    const follower = new EventFollower({
      originUrl: url,
      edgeToken: testEdgeToken,
      fromSeq: 4,
      onEvent: () => {},
      idleTimeoutMs: 150,
      initialBackoffMs: 10,
      maxBackoffMs: 20,
    });
    follower.start();
    try {
      // On a loaded machine a first connection may time out before event 5 arrives; in any case
      // the follower comes back after the silence, asking from the last event it got.
      await until('a reconnection after event 5', () => lastEventIds.includes('5'));
      expect(lastEventIds[0]).toBe('4');
      expect(follower.seq).toBe(5);
    } finally {
      await follower.stop();
      await closeServer(server);
    }
  });
});

describe('UsageFlusher', () => {
  it('keeps a failed batch and retries it with the same id, then starts a new batch', async () => {
    const received: UsageBatch[] = [];
    const server = createServer(async (req, res) => {
      received.push((await readJson(req)) as UsageBatch);
      if (received.length === 1) {
        res.writeHead(503).end('busy');
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ batchId: 'x', accepted: true, unknownSites: [] }));
    });
    const url = await listen(server);
    const errors: Error[] = [];
    const now = Date.parse('2026-11-26T11:42:00Z');
    const flusher = new UsageFlusher({
      originUrl: url,
      edgeToken: testEdgeToken,
      intervalMs: 3_600_000,
      now: () => now,
      onError: (error) => errors.push(error),
    });
    try {
      flusher.record('shop', { bytes: 100, hit: true });
      flusher.record('shop', { bytes: 50, hit: false });
      await expect(flusher.flush()).rejects.toThrow(/503/);
      flusher.record('shop', { bytes: 1, hit: true });
      await flusher.flush();
      expect(received[1]?.batchId).toBe(received[0]?.batchId);
      expect(received[0]?.counters).toEqual([
        {
          site: 'shop',
          hour: '2026-11-26T11:00:00.000Z',
          requests: 2,
          bytes: 150,
          hits: 1,
          misses: 1,
        },
      ]);
      await flusher.flush();
      expect(received).toHaveLength(3);
      expect(received[2]?.batchId).not.toBe(received[0]?.batchId);
      expect(received[2]?.counters).toEqual([
        {
          site: 'shop',
          hour: '2026-11-26T11:00:00.000Z',
          requests: 1,
          bytes: 1,
          hits: 1,
          misses: 0,
        },
      ]);
      expect(errors).toHaveLength(1);
    } finally {
      await flusher.close();
      await closeServer(server);
    }
  });

  it('gives up on a batch the origin never acknowledges, keeping it for the next try', async () => {
    const received: UsageBatch[] = [];
    const server = createServer(async (req) => {
      received.push((await readJson(req)) as UsageBatch);
    });
    const url = await listen(server);
    const flusher = new UsageFlusher({
      originUrl: url,
      edgeToken: testEdgeToken,
      intervalMs: 3_600_000,
      timeoutMs: 100,
    });
    try {
      flusher.record('shop', { bytes: 3, hit: true });
      await expect(flusher.flush()).rejects.toThrow(/timeout|aborted/i);
      await expect(flusher.flush()).rejects.toThrow(/timeout|aborted/i);
      expect(received).toHaveLength(2);
      expect(received[1]?.batchId).toBe(received[0]?.batchId);
    } finally {
      await closeServer(server);
    }
  });

  it('flushes periodically without being asked', async () => {
    const received: UsageBatch[] = [];
    const server = createServer(async (req, res) => {
      received.push((await readJson(req)) as UsageBatch);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ batchId: 'x', accepted: true, unknownSites: [] }));
    });
    const url = await listen(server);
    const flusher = new UsageFlusher({ originUrl: url, edgeToken: testEdgeToken, intervalMs: 50 });
    try {
      flusher.record('shop', { bytes: 7, hit: false });
      await until('a periodic flush', () => received.length === 1);
      expect(received[0]?.counters[0]).toMatchObject({
        site: 'shop',
        requests: 1,
        bytes: 7,
        misses: 1,
      });
    } finally {
      await flusher.close();
      await closeServer(server);
    }
  });

  it('flushes what is left on close, counted once by a real origin', async () => {
    const origin = await startTestOrigin({
      databaseUrl: db.url,
      redisUrl: testServices().redisUrl,
    });
    try {
      const admin = (await createTenant(origin.pool, 'Usage')).adminKey.token;
      const site = (
        await call(origin.url, 'POST', '/v1/sites', {
          key: admin,
          body: { name: 'U', hosts: ['usage.link.example'], origin: 'http://127.0.0.1:9' },
        })
      ).body;
      const flusher = new UsageFlusher({
        originUrl: origin.url,
        edgeToken: testEdgeToken,
        intervalMs: 3_600_000,
      });
      for (let index = 0; index < 10; index++)
        flusher.record(site.id, { bytes: 10, hit: index % 2 === 0 });
      await flusher.close();
      const usage = (await call(origin.url, 'GET', `/v1/usage?site=${site.id}`, { key: admin }))
        .body.items;
      expect(usage).toHaveLength(1);
      expect(usage[0]).toMatchObject({
        site: site.id,
        requests: 10,
        bytes: 100,
        hits: 5,
        misses: 5,
      });
    } finally {
      await origin.close();
    }
  });
});
