// A purge end to end: API -> Postgres -> Redis -> two origin replicas -> SSE -> four edges (real
// edge processes, two per replica) -> the cached object is gone on every edge. The replicas'
// safety poll is set to ten minutes, so only the Redis announcement can carry the purge to the
// replica the API call did not reach.
import { createTenant } from '../../runtime/origin/tenants.ts';
import { testServices } from '../harness/services/index.ts';
import { call, createTestDatabase, startTestOrigin, type TestDatabase } from '../origin/harness.ts';
import {
  type EdgeProcess,
  type Fetched,
  isHit,
  metric,
  startEdgeProcesses,
  until,
  viaEdge,
  waitReady,
} from './harness.ts';
import { startTenantOrigin, type TenantOrigin } from './tenant-origin.ts';

jest.setTimeout(120_000);

let db: TestDatabase;
let tenant: TenantOrigin;
let replicas: Awaited<ReturnType<typeof startTestOrigin>>[] = [];
let edges: EdgeProcess[] = [];
let admin: string;
let site: string;
const host = 'fanout.e2e.example';

beforeAll(async () => {
  db = await createTestDatabase();
  tenant = await startTenantOrigin();
  const options = {
    databaseUrl: db.url,
    redisUrl: testServices().redisUrl,
    pollIntervalMs: 600_000,
  };
  replicas = [await startTestOrigin(options), await startTestOrigin(options)];
  const [first, second] = replicas as [(typeof replicas)[0], (typeof replicas)[0]];
  admin = (await createTenant(first.pool, 'Fanout')).adminKey.token;
  site = (
    await call(first.url, 'POST', '/v1/sites', {
      key: admin,
      body: { name: 'Fanout', hosts: [host], origin: tenant.url },
    })
  ).body.id;
  // Two edges on each replica; one worker or two, to spare the machine's cores.
  edges = await startEdgeProcesses(
    [first, second, first, second].map((replica, index) => ({
      originUrl: replica.url,
      workers: index < 2 ? 1 : 2,
    })),
  );
  for (const edge of edges) await waitReady(edge);
});

afterAll(async () => {
  await Promise.all(edges.map((edge) => edge.kill()));
  for (const replica of replicas) await replica.close();
  await tenant?.close();
  await db?.drop();
});

/** Each edge's cached copy of a path (fetched, then seen as a hit). */
async function cacheEverywhere(path: string): Promise<Fetched[]> {
  const copies: Fetched[] = [];
  for (const edge of edges) {
    copies.push(await viaEdge(edge, host, path));
    await until(`${path} cached on ${edge.trafficPort}`, async () =>
      isHit(await viaEdge(edge, host, path)),
    );
  }
  return copies;
}

async function purgeThroughFirstReplica(body: Record<string, unknown>): Promise<number> {
  const answer = await call((replicas[0] as (typeof replicas)[0]).url, 'POST', '/v1/purges', {
    key: admin,
    body: { site, ...body },
  });
  expect(answer.status).toBe(201);
  return answer.body.seq as number;
}

async function appliedEverywhere(seq: number): Promise<void> {
  for (const edge of edges) {
    await until(
      `purge ${seq} on edge ${edge.trafficPort}`,
      async () => ((await metric(edge, 'edgeplane_edge_origin_seq')) ?? 0) >= seq,
    );
  }
}

/** After the purge no edge answers from the copy it had: a fresh fetch from the tenant origin. */
async function goneEverywhere(path: string, before: Fetched[]): Promise<void> {
  const fetchesBefore = tenant.fetches.get(path) ?? 0;
  for (const [index, edge] of edges.entries()) {
    const after = await viaEdge(edge, host, path);
    expect(after.status).toBe(200);
    expect(isHit(after)).toBe(false);
    expect(after.body).not.toBe(before[index]?.body);
  }
  expect(tenant.fetches.get(path)).toBe(fetchesBefore + edges.length);
}

describe.each([
  ['url', 'hard'],
  ['url', 'soft'],
  ['key', 'hard'],
  ['key', 'soft'],
] as const)('a %s purge, %s', (kind, mode) => {
  it('reaches all four edges through both replicas, and the object is fetched again', async () => {
    const path = `/${kind}-${mode}/page?x=1`;
    const untouched = `/other-${kind}-${mode}/page`;
    const before = await cacheEverywhere(path);
    await cacheEverywhere(untouched);
    const seq = await purgeThroughFirstReplica({
      kind,
      mode,
      values: [kind === 'url' ? path : `${kind}-${mode}`],
    });
    await appliedEverywhere(seq);
    await goneEverywhere(path, before);
    // What the purge did not name is still served from every edge's cache.
    for (const edge of edges) expect(isHit(await viaEdge(edge, host, untouched))).toBe(true);
  });
});
