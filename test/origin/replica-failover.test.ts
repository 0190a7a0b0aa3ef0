// No purge lost when the origin replica an edge follows is killed: the edge reconnects through the
// Service (here a loopback TCP proxy to whichever replica is alive) with its Last-Event-ID, and the
// surviving replica replays from Postgres what was committed meanwhile.

import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { OriginSiteSource } from '../../runtime/lib/origin-link/origin-site-source.ts';
import { createTenant } from '../../runtime/origin/tenants.ts';
import { testServices } from '../harness/services/index.ts';
import {
  call,
  createTestDatabase,
  startTestOrigin,
  type TestDatabase,
  testEdgeToken,
} from './harness.ts';

/** A tiny Service: each new connection goes to the first backend that is still up. */
function serviceProxy(backends: () => number[]): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    const [port] = backends();
    if (port === undefined) {
      client.destroy();
      return;
    }
    const upstream = connect(port, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    client.on('close', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      }),
    ),
  );
}

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

it('loses no purge when the replica an edge follows is killed mid-stream', async () => {
  const redisUrl = testServices().redisUrl;
  const replicaA = await startTestOrigin({ databaseUrl: db.url, redisUrl });
  const replicaB = await startTestOrigin({ databaseUrl: db.url, redisUrl });
  const port = (url: string) => Number(new URL(url).port);
  const alive = new Set([port(replicaA.url), port(replicaB.url)]);
  const service = await serviceProxy(() => [...alive]);
  const seen: number[] = [];
  const edge = new OriginSiteSource({
    originUrl: service.url,
    edgeToken: testEdgeToken,
    onPurge: (_purge, seq) => {
      seen.push(seq);
    },
    initialBackoffMs: 20,
    maxBackoffMs: 200,
  });
  try {
    const admin = (await createTenant(replicaB.pool, 'Failover')).adminKey.token;
    const site = (
      await call(replicaB.url, 'POST', '/v1/sites', {
        key: admin,
        body: { name: 'F', hosts: ['failover.example'], origin: 'http://127.0.0.1:9' },
      })
    ).body.id;
    const purge = async (index: number) =>
      (
        await call(replicaB.url, 'POST', '/v1/purges', {
          key: admin,
          body: { site, kind: 'url', values: [`/p${index}`] },
        })
      ).body.seq as number;
    await edge.load(); // through the proxy: replica A, the first alive
    const committed = [await purge(0)];
    await until('the first purge via replica A', () => seen.includes(committed[0] as number));

    alive.delete(port(replicaA.url));
    await replicaA.close(); // ends A's streams: the edge reconnects through the proxy to B
    for (let index = 1; index <= 5; index++) committed.push(await purge(index));
    await until('every purge after the failover', () =>
      committed.every((seq) => seen.includes(seq)),
    );
    expect(seen).toEqual(committed);
  } finally {
    await edge.close();
    await service.close();
    await replicaA.close();
    await replicaB.close();
  }
});
