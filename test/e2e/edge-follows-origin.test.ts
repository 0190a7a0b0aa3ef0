// An edge without a sites file follows the origin: real edge processes (runtime/main.ts, with
// workers) against a real origin app on loopback with the harness Postgres.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createTenant } from '../../runtime/origin/tenants.ts';
import { freePort } from '../harness/services/index.ts';
import {
  call,
  createTestDatabase,
  startTestOrigin,
  type TestDatabase,
  testEdgeToken,
} from '../origin/harness.ts';
import {
  type EdgeProcess,
  isHit,
  metric,
  startEdgeProcess,
  status,
  until,
  viaEdge,
  waitReady,
} from './harness.ts';
import { startTenantOrigin, type TenantOrigin } from './tenant-origin.ts';

jest.setTimeout(90_000);

let db: TestDatabase;
let tenant: TenantOrigin;
const edges: EdgeProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  tenant = await startTenantOrigin();
});
afterEach(async () => {
  for (const edge of edges.splice(0)) await edge.kill();
});
afterAll(async () => {
  await tenant?.close();
  await db?.drop();
});

async function siteFor(originUrl: string, adminKey: string, host: string): Promise<string> {
  const created = await call(originUrl, 'POST', '/v1/sites', {
    key: adminKey,
    body: { name: host, hosts: [host], origin: tenant.url },
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

describe('an edge following the origin', () => {
  it('refuses to start with neither a sites file nor an origin, naming both variables', () => {
    const result = spawnSync(process.execPath, [join(process.cwd(), 'runtime', 'main.ts')], {
      env: { PATH: process.env.PATH ?? '', EDGEPLANE_ROLE: 'edge' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('EDGEPLANE_ORIGIN_URL');
    expect(result.stderr).toContain('EDGEPLANE_EDGE_TOKEN');
    expect(result.stderr).toContain('EDGEPLANE_SITES_FILE');
  });

  it('is live but not ready, and answers traffic 503 with Retry-After, until the snapshot is in', async () => {
    const apiPort = await freePort();
    const edge = await startEdgeProcess({ originUrl: `http://127.0.0.1:${apiPort}`, workers: 2 });
    edges.push(edge);
    expect(await status(`${edge.managementUrl}/livez`)).toBe(200);
    expect(await status(`${edge.managementUrl}/readyz`)).toBe(503);
    // The traffic port listens once the workers do; until the snapshot it answers 503.
    await until('the traffic port', async () => (await status(`${edge.url}/`)) !== 0);
    const early = await viaEdge(edge, 'ready.e2e.example', '/a');
    expect(early.status).toBe(503);
    expect(early.headers['retry-after']).toBe('1');
    expect(early.body).toContain('not loaded from the origin yet');
    await until('a logged reconnect attempt', () =>
      edge.output().includes('origin unreachable; serving the last sites known, retrying'),
    );

    const origin = await startTestOrigin({ databaseUrl: db.url, trafficPort: apiPort });
    try {
      const admin = (await createTenant(origin.pool, 'Ready')).adminKey.token;
      await siteFor(origin.url, admin, 'ready.e2e.example');
      await waitReady(edge);
      const first = await viaEdge(edge, 'ready.e2e.example', '/ready/a');
      expect(first.status).toBe(200);
      expect(first.body).toBe('/ready/a fetch 1\n');
      await until('a hit', async () => isHit(await viaEdge(edge, 'ready.e2e.example', '/ready/a')));
      expect(tenant.fetches.get('/ready/a')).toBe(1);
      // Unknown hosts are 404 once the sites are known.
      expect((await viaEdge(edge, 'other.e2e.example', '/')).status).toBe(404);
      expect(await metric(edge, 'edgeplane_edge_origin_link_up')).toBe(1);
    } finally {
      await origin.close();
    }
  });

  it('stays unready and says why when the origin refuses its edge token', async () => {
    const origin = await startTestOrigin({ databaseUrl: db.url });
    try {
      const edge = await startEdgeProcess({
        originUrl: origin.url,
        workers: 1,
        edgeToken: 'not-the-edge-token-0123456789',
      });
      edges.push(edge);
      await until('the refusal in the log', () =>
        edge.output().includes('the origin refuses this edge: check EDGEPLANE_EDGE_TOKEN'),
      );
      expect(await status(`${edge.managementUrl}/readyz`)).toBe(503);
      expect(edge.output()).not.toContain('not-the-edge-token-0123456789');
      expect(edge.output()).not.toContain(testEdgeToken);
    } finally {
      await origin.close();
    }
  });

  it('applies API purges (url and key, hard and soft) on every worker, in order, observing the lag', async () => {
    const origin = await startTestOrigin({ databaseUrl: db.url });
    try {
      const admin = (await createTenant(origin.pool, 'Purges')).adminKey.token;
      const host = 'purge.e2e.example';
      const site = await siteFor(origin.url, admin, host);
      const edge = await startEdgeProcess({ originUrl: origin.url, workers: 2 });
      edges.push(edge);
      await waitReady(edge);
      const paths = ['/url/1', '/key/1', '/key/2', '/soft/1'];
      for (const path of paths) {
        expect((await viaEdge(edge, host, path)).body).toBe(`${path} fetch 1\n`);
        await until(`${path} cached`, async () => isHit(await viaEdge(edge, host, path)));
      }
      const purge = async (body: Record<string, unknown>) => {
        const answer = await call(origin.url, 'POST', '/v1/purges', {
          key: admin,
          body: { site, ...body },
        });
        expect(answer.status).toBe(201);
        return answer.body.seq as number;
      };
      await purge({ kind: 'url', values: ['/url/1'], mode: 'hard' });
      await purge({ kind: 'key', values: ['key'], mode: 'hard' });
      const last = await purge({ kind: 'url', values: ['/soft/1'], mode: 'soft' });
      await until(
        'the last purge applied',
        async () => (await metric(edge, 'edgeplane_edge_origin_seq')) === last,
      );
      // Every request, on fresh connections spread over both workers, gets a new copy.
      for (const path of paths) {
        for (let round = 0; round < 4; round++) {
          expect((await viaEdge(edge, host, path, true)).body).not.toBe(`${path} fetch 1\n`);
        }
        expect(tenant.fetches.get(path)).toBe(2);
      }
      expect(await metric(edge, 'edgeplane_edge_purge_lag_seconds_count')).toBe(3);
      expect(await metric(edge, 'edgeplane_edge_purges_total{kind="key",mode="hard"}')).toBe(1);
    } finally {
      await origin.close();
    }
  });

  it('gives a worker started after a crash the sites from the primary', async () => {
    const origin = await startTestOrigin({ databaseUrl: db.url });
    try {
      const admin = (await createTenant(origin.pool, 'Crash')).adminKey.token;
      const host = 'crash.e2e.example';
      await siteFor(origin.url, admin, host);
      const edge = await startEdgeProcess({
        originUrl: origin.url,
        workers: 2,
        threadControl: true,
      });
      edges.push(edge);
      await waitReady(edge);
      edge.terminateWorker(2);
      await until('a new worker', () =>
        edge.output().includes('"worker":2,"code":1,"msg":"edge worker exited; starting another"'),
      );
      await waitReady(edge);
      // Every connection, whichever worker takes it, knows the site.
      for (let round = 0; round < 6; round++) {
        expect((await viaEdge(edge, host, '/crash/a', true)).status).toBe(200);
      }
    } finally {
      await origin.close();
    }
  });

  it('keeps serving its last sites while the origin is away, and catches up when it is back', async () => {
    const apiPort = await freePort();
    let origin = await startTestOrigin({ databaseUrl: db.url, trafficPort: apiPort });
    const admin = (await createTenant(origin.pool, 'Away')).adminKey.token;
    const host = 'away.e2e.example';
    const site = await siteFor(origin.url, admin, host);
    const edge = await startEdgeProcess({
      originUrl: origin.url,
      workers: 1,
      env: { EDGEPLANE_LOG_LEVEL: 'info' },
    });
    edges.push(edge);
    try {
      await waitReady(edge);
      await viaEdge(edge, host, '/away/1');
      await origin.close();
      await until(
        'the link down',
        async () => (await metric(edge, 'edgeplane_edge_origin_link_up')) === 0,
      );
      const cached = await viaEdge(edge, host, '/away/1');
      expect(isHit(cached)).toBe(true);
      expect(cached.body).toBe('/away/1 fetch 1\n');
      expect(await status(`${edge.managementUrl}/readyz`)).toBe(200);

      origin = await startTestOrigin({ databaseUrl: db.url, trafficPort: apiPort });
      const seq = (
        await call(origin.url, 'POST', '/v1/purges', {
          key: admin,
          body: { site, kind: 'url', values: ['/away/1'] },
        })
      ).body.seq as number;
      await until(
        'the purge after the reconnect',
        async () => (await metric(edge, 'edgeplane_edge_origin_seq')) === seq,
      );
      expect((await viaEdge(edge, host, '/away/1')).body).toBe('/away/1 fetch 2\n');
      expect(await metric(edge, 'edgeplane_edge_origin_link_up')).toBe(1);
    } finally {
      await origin.close();
    }
  });

  it.each([1, 2])(
    'counts usage per site and flushes it to the origin on SIGTERM, once (%i worker(s))',
    async (workers) => {
      const origin = await startTestOrigin({ databaseUrl: db.url });
      try {
        const admin = (await createTenant(origin.pool, `Usage ${workers}`)).adminKey.token;
        const host = `usage-${workers}.e2e.example`;
        const site = await siteFor(origin.url, admin, host);
        const edge = await startEdgeProcess({ originUrl: origin.url, workers });
        edges.push(edge);
        await waitReady(edge);
        let bytes = 0;
        let hits = 0;
        for (let index = 0; index < 9; index++) {
          const fetched = await viaEdge(edge, host, `/usage/${index % 3}`);
          bytes += Buffer.byteLength(fetched.body);
          if (isHit(fetched)) hits++;
        }
        await viaEdge(edge, 'nobody.e2e.example', '/');
        expect(await edge.stop()).toBe(0);
        const usage = (await call(origin.url, 'GET', `/v1/usage?site=${site}`, { key: admin })).body
          .items;
        expect(usage).toHaveLength(1);
        expect(usage[0]).toMatchObject({ site, requests: 9, bytes, hits, misses: 9 - hits });
        expect(hits).toBeGreaterThanOrEqual(3);
      } finally {
        await origin.close();
      }
    },
  );
});
