// Tenant isolation: for every route of the API, a key of tenant A (admin, so every scope) can
// neither see nor change anything of tenant B. A last test checks that this file covers every
// route in the OpenAPI document, so a new route without an isolation test fails here.
import type pg from 'pg';
import { createTenant } from '../../runtime/origin/tenants.ts';
import { testServices } from '../harness/services/index.ts';
import {
  call,
  createTestDatabase,
  startTestOrigin,
  type TestDatabase,
  testEdgeToken,
  testPool,
} from './harness.ts';

let db: TestDatabase;
let origin: Awaited<ReturnType<typeof startTestOrigin>>;
let pool: pg.Pool;
let keyA: string;
let keyB: string;
let tenantB: string;
const b = { siteId: '', purgeSeq: 0, keyId: '', userId: '', keyToken: '' };
const covered = new Set<string>();

const api = (
  method: string,
  path: string,
  key: string,
  body?: unknown,
  headers?: Record<string, string>,
) =>
  call(origin.url, method, path, {
    key,
    ...(body !== undefined ? { body } : {}),
    ...(headers ? { headers } : {}),
  });

/** Everything tenant B has, as stored: compared before and after each of A's attempts. */
async function stateOfB(): Promise<string> {
  const parts = await Promise.all([
    pool.query(
      'SELECT id, name, origin, cache, updated_at FROM sites WHERE tenant_id = $1 ORDER BY id',
      [tenantB],
    ),
    pool.query(
      'SELECT h.host FROM site_hosts h JOIN sites s ON s.id = h.site_id WHERE s.tenant_id = $1 ORDER BY 1',
      [tenantB],
    ),
    pool.query('SELECT seq FROM purges WHERE tenant_id = $1 ORDER BY seq', [tenantB]),
    pool.query('SELECT id, revoked_at FROM api_keys WHERE tenant_id = $1 ORDER BY id', [tenantB]),
    pool.query('SELECT id, email FROM users WHERE tenant_id = $1 ORDER BY id', [tenantB]),
    pool.query('SELECT * FROM usage_hourly WHERE tenant_id = $1 ORDER BY site_id, hour', [tenantB]),
    pool.query('SELECT id FROM audit_log WHERE tenant_id = $1 ORDER BY id', [tenantB]),
  ]);
  return JSON.stringify(parts.map((part) => part.rows));
}

function route(name: string, test: () => Promise<void>) {
  covered.add(name);
  it(`${name}: tenant A neither sees nor changes tenant B`, async () => {
    const before = await stateOfB();
    await test();
    expect(await stateOfB()).toBe(before);
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  origin = await startTestOrigin({ databaseUrl: db.url, redisUrl: testServices().redisUrl });
  pool = testPool(db.url);
  const a = await createTenant(origin.pool, 'Tenant A');
  const bTenant = await createTenant(origin.pool, 'Tenant B');
  keyA = a.adminKey.token;
  keyB = bTenant.adminKey.token;
  tenantB = bTenant.id;
  await api('POST', '/v1/sites', keyA, {
    name: 'A shop',
    hosts: ['shop.a.example'],
    origin: 'http://127.0.0.1:9',
  });
  b.siteId = (
    await api('POST', '/v1/sites', keyB, {
      name: 'B shop',
      hosts: ['shop.b.example'],
      origin: 'http://127.0.0.1:9',
    })
  ).body.id;
  b.purgeSeq = (
    await api(
      'POST',
      '/v1/purges',
      keyB,
      { site: b.siteId, kind: 'all' },
      { 'idempotency-key': 'shared-key' },
    )
  ).body.seq;
  const key = (await api('POST', '/v1/keys', keyB, { name: 'b-read', scopes: ['read'] })).body;
  b.keyId = key.id;
  b.keyToken = key.token;
  b.userId = (
    await api('POST', '/v1/users', keyB, {
      email: 'ops@b.example',
      password: 'a long enough password',
    })
  ).body.id;
  await call(origin.url, 'POST', '/v1/edge/usage', {
    key: testEdgeToken,
    body: {
      batchId: 'isolation-batch-1',
      counters: [
        {
          site: b.siteId,
          hour: '2026-11-26T09:00:00Z',
          requests: 5,
          bytes: 50,
          hits: 4,
          misses: 1,
        },
      ],
    },
  });
});

afterAll(async () => {
  await pool?.end();
  await origin?.close();
  await db?.drop();
});

describe('tenant isolation', () => {
  route('GET /v1/tenant', async () => {
    const response = await api('GET', '/v1/tenant', keyA);
    expect(response.status).toBe(200);
    expect(response.body.name).toBe('Tenant A');
  });

  route('GET /v1/sites', async () => {
    const response = await api('GET', '/v1/sites', keyA);
    expect(response.body.items.map((site: { id: string }) => site.id)).not.toContain(b.siteId);
    expect(response.body.items).toHaveLength(1);
  });

  route('POST /v1/sites', async () => {
    const taken = await api('POST', '/v1/sites', keyA, {
      name: 'steal',
      hosts: ['shop.b.example'],
      origin: 'http://127.0.0.1:9',
    });
    expect(taken.status).toBe(409);
    // Says the name is taken, never by which tenant or site.
    expect(JSON.stringify(taken.body)).not.toContain(b.siteId);
    expect(JSON.stringify(taken.body)).not.toContain('Tenant B');
  });

  route('GET /v1/sites/{id}', async () => {
    const response = await api('GET', `/v1/sites/${b.siteId}`, keyA);
    expect(response.status).toBe(404);
    expect(JSON.stringify(response.body)).not.toContain('shop.b.example');
  });

  route('PUT /v1/sites/{id}', async () => {
    const response = await api('PUT', `/v1/sites/${b.siteId}`, keyA, {
      name: 'mine',
      hosts: ['x.a.example'],
      origin: 'http://127.0.0.1:9',
    });
    expect(response.status).toBe(404);
  });

  route('DELETE /v1/sites/{id}', async () => {
    expect((await api('DELETE', `/v1/sites/${b.siteId}`, keyA)).status).toBe(404);
  });

  route('POST /v1/purges', async () => {
    const response = await api('POST', '/v1/purges', keyA, { site: b.siteId, kind: 'all' });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe('body/site');
    // Idempotency keys are per tenant: B's key used by A never returns B's purge.
    const aSite = (await api('GET', '/v1/sites', keyA)).body.items[0].id;
    const own = await api(
      'POST',
      '/v1/purges',
      keyA,
      { site: aSite, kind: 'all' },
      { 'idempotency-key': 'shared-key' },
    );
    expect(own.status).toBe(201);
    expect(own.body.seq).not.toBe(b.purgeSeq);
    expect(own.body.site).toBe(aSite);
  });

  route('GET /v1/purges', async () => {
    const all = await api('GET', '/v1/purges', keyA);
    expect(all.body.items.map((purge: { seq: number }) => purge.seq)).not.toContain(b.purgeSeq);
    const bySite = await api('GET', `/v1/purges?site=${b.siteId}`, keyA);
    expect(bySite.body.items).toEqual([]);
  });

  route('GET /v1/purges/{seq}', async () => {
    expect((await api('GET', `/v1/purges/${b.purgeSeq}`, keyA)).status).toBe(404);
  });

  route('GET /v1/keys', async () => {
    const response = await api('GET', '/v1/keys', keyA);
    expect(response.body.items.map((key: { id: string }) => key.id)).not.toContain(b.keyId);
  });

  route('POST /v1/keys', async () => {
    const created = await api('POST', '/v1/keys', keyA, { name: 'a-read', scopes: ['read'] });
    expect(created.status).toBe(201);
    // The new key sees A, not B.
    expect((await api('GET', '/v1/tenant', created.body.token)).body.name).toBe('Tenant A');
    expect((await api('GET', `/v1/sites/${b.siteId}`, created.body.token)).status).toBe(404);
  });

  route('DELETE /v1/keys/{id}', async () => {
    expect((await api('DELETE', `/v1/keys/${b.keyId}`, keyA)).status).toBe(404);
    expect((await api('GET', '/v1/tenant', b.keyToken)).status).toBe(200);
  });

  route('GET /v1/users', async () => {
    const response = await api('GET', '/v1/users', keyA);
    expect(response.body.items.map((user: { id: string }) => user.id)).not.toContain(b.userId);
  });

  route('POST /v1/users', async () => {
    const created = await api('POST', '/v1/users', keyA, {
      email: 'ops@a.example',
      password: 'another long password',
    });
    expect(created.status).toBe(201);
    expect(
      (await api('GET', '/v1/users', keyB)).body.items.map((user: { id: string }) => user.id),
    ).not.toContain(created.body.id);
  });

  route('DELETE /v1/users/{id}', async () => {
    expect((await api('DELETE', `/v1/users/${b.userId}`, keyA)).status).toBe(404);
  });

  route('GET /v1/usage', async () => {
    expect((await api('GET', '/v1/usage', keyA)).body.items).toEqual([]);
    expect((await api('GET', `/v1/usage?site=${b.siteId}`, keyA)).body.items).toEqual([]);
    expect((await api('GET', `/v1/usage?site=${b.siteId}`, keyB)).body.items).toHaveLength(1);
  });

  route('GET /v1/audit', async () => {
    const response = await api('GET', '/v1/audit?limit=200', keyA);
    const targets = response.body.items.map((entry: { target: string }) => entry.target);
    for (const id of [b.siteId, b.keyId, b.userId, tenantB]) expect(targets).not.toContain(id);
  });

  // The edge link is not tenant data: a tenant's key opens none of it.
  for (const [method, path] of [
    ['GET', '/v1/edge/snapshot'],
    ['GET', '/v1/edge/events'],
    ['POST', '/v1/edge/usage'],
  ] as const) {
    route(`${method} ${path}`, async () => {
      const response = await api(
        method,
        path,
        keyA,
        method === 'POST' ? { batchId: 'x'.repeat(10), counters: [] } : undefined,
      );
      expect(response.status).toBe(401);
    });
  }

  it('covers every route of the OpenAPI document', async () => {
    const document = (await call(origin.url, 'GET', '/openapi.json')).body;
    const routes = Object.entries(
      document.paths as Record<string, Record<string, unknown>>,
    ).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.length).toBeGreaterThan(15);
    expect(routes.filter((name) => !covered.has(name))).toEqual([]);
  });
});
