// The origin API against real Postgres and Redis: CRUD, validation as problem+json with nothing
// written, pagination, scopes, API keys, idempotent purges, rate limits, usage, OpenAPI, probes.
import type pg from 'pg';
import { createTenant, type NewTenant } from '../../runtime/origin/tenants.ts';
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
let tenant: NewTenant;
let admin: string;
let pool: pg.Pool;

const site = (hosts: string[], extra: Record<string, unknown> = {}) => ({
  name: 'Shop',
  hosts,
  origin: 'http://127.0.0.1:9/base',
  ...extra,
});

async function rowCounts(): Promise<Record<string, number>> {
  const tables = [
    'sites',
    'site_hosts',
    'purges',
    'edge_events',
    'api_keys',
    'users',
    'audit_log',
    'usage_hourly',
  ];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const result = await pool.query<{ count: string }>(`SELECT count(*) FROM ${table}`);
    counts[table] = Number(result.rows[0]?.count);
  }
  return counts;
}

beforeAll(async () => {
  db = await createTestDatabase();
  origin = await startTestOrigin({ databaseUrl: db.url, redisUrl: testServices().redisUrl });
  pool = testPool(db.url);
  tenant = await createTenant(origin.pool, 'Acme');
  admin = tenant.adminKey.token;
});

afterAll(async () => {
  await pool?.end();
  await origin?.close();
  await db?.drop();
});

describe('authentication and scopes', () => {
  it('refuses a request without a key, with a malformed key and with an unknown key as 401 problem+json', async () => {
    for (const key of [undefined, 'not-a-key', `ep_000000000000_${'a'.repeat(43)}`]) {
      const response = await call(origin.url, 'GET', '/v1/sites', key ? { key } : {});
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.headers.get('www-authenticate')).toContain('Bearer');
      expect(response.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    }
  });

  it('stores keys as prefix and hash only, and shows the token once', async () => {
    const created = await call(origin.url, 'POST', '/v1/keys', {
      key: admin,
      body: { name: 'ci', scopes: ['read'] },
    });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^ep_[0-9a-f]{12}_/);
    const stored = await pool.query('SELECT * FROM api_keys WHERE id = $1', [created.body.id]);
    expect(JSON.stringify(stored.rows[0])).not.toContain(created.body.token.split('_')[2]);
    const listed = await call(origin.url, 'GET', '/v1/keys', { key: admin });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
    expect(listed.body.items.map((key: { id: string }) => key.id)).toContain(created.body.id);
  });

  it('enforces scopes: read cannot write, purge cannot read, admin can do both', async () => {
    const read = (
      await call(origin.url, 'POST', '/v1/keys', {
        key: admin,
        body: { name: 'r', scopes: ['read'] },
      })
    ).body.token;
    const purge = (
      await call(origin.url, 'POST', '/v1/keys', {
        key: admin,
        body: { name: 'p', scopes: ['purge'] },
      })
    ).body.token;
    expect((await call(origin.url, 'GET', '/v1/sites', { key: read })).status).toBe(200);
    const refused = await call(origin.url, 'POST', '/v1/sites', {
      key: read,
      body: site(['scopes.example.com']),
    });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('admin');
    expect((await call(origin.url, 'GET', '/v1/sites', { key: purge })).status).toBe(403);
    expect((await call(origin.url, 'GET', '/v1/keys', { key: read })).status).toBe(403);
  });

  it('revokes a key: it stops working at once and records last use before that', async () => {
    const created = (
      await call(origin.url, 'POST', '/v1/keys', {
        key: admin,
        body: { name: 'temp', scopes: ['read'] },
      })
    ).body;
    expect((await call(origin.url, 'GET', '/v1/tenant', { key: created.token })).status).toBe(200);
    const revoked = await call(origin.url, 'DELETE', `/v1/keys/${created.id}`, { key: admin });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect(revoked.body.lastUsedAt).not.toBeNull();
    const after = await call(origin.url, 'GET', '/v1/tenant', { key: created.token });
    expect(after.status).toBe(401);
    expect(after.body.detail).toContain('revoked');
  });
});

describe('sites', () => {
  it('creates, reads, updates and deletes a site, each change audited and logged as an edge event', async () => {
    const before = await rowCounts();
    const created = await call(origin.url, 'POST', '/v1/sites', {
      key: admin,
      body: site(['WWW.Crud.Example.com', '*.crud.example.com'], {
        cache: { queryString: 'sort' },
      }),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      hosts: ['*.crud.example.com', 'www.crud.example.com'],
      origin: 'http://127.0.0.1:9/base',
      cache: { queryString: 'sort', cookies: 'bypass', compression: true, queryParams: [] },
    });
    expect(created.headers.get('location')).toBe(`/v1/sites/${created.body.id}`);
    const id = created.body.id as string;
    expect(
      (await call(origin.url, 'GET', `/v1/sites/${id}`, { key: admin })).body.hosts,
    ).toHaveLength(2);

    const updated = await call(origin.url, 'PUT', `/v1/sites/${id}`, {
      key: admin,
      body: site(['www.crud.example.com'], { name: 'Shop 2' }),
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Shop 2', hosts: ['www.crud.example.com'] });

    expect((await call(origin.url, 'DELETE', `/v1/sites/${id}`, { key: admin })).status).toBe(204);
    expect((await call(origin.url, 'GET', `/v1/sites/${id}`, { key: admin })).status).toBe(404);

    const after = await rowCounts();
    expect(Number(after.edge_events) - Number(before.edge_events)).toBe(3);
    expect(Number(after.audit_log) - Number(before.audit_log)).toBe(3);
    const events = await pool.query(
      'SELECT type FROM edge_events WHERE site_id = $1 ORDER BY seq',
      [id],
    );
    expect(events.rows.map((row) => row.type)).toEqual([
      'site.upsert',
      'site.upsert',
      'site.delete',
    ]);
    // The hostname is free again once the site is gone.
    expect(
      (
        await call(origin.url, 'POST', '/v1/sites', {
          key: admin,
          body: site(['www.crud.example.com']),
        })
      ).status,
    ).toBe(201);
  });

  it.each([
    [{ ...site(['ok.example.com']), hosts: ['bad host!'] }, 'body/hosts/0', 'hostname'],
    [
      { ...site(['ok.example.com']), origin: 'ftp://files.example.com' },
      'body/origin',
      'http: or https:',
    ],
    [{ ...site(['ok.example.com']), hosts: [] }, 'body/hosts', 'at least one hostname'],
    [
      { ...site(['ok.example.com']), cache: { queryString: 'allowlist' } },
      'body/cache/queryParams',
      'allowlist',
    ],
    [
      { ...site(['ok.example.com']), cache: { ttlOverrideSeconds: -1 } },
      'body/cache/ttlOverrideSeconds',
      'negative',
    ],
    [
      { ...site(['ok.example.com']), hosts: ['a.example.com', 'a.example.com'] },
      'body/hosts',
      'twice',
    ],
    [{ ...site(['ok.example.com']), surprise: 1 }, 'body', 'surprise'],
    [{ hosts: ['ok.example.com'], origin: 'http://x.example' }, 'body/name', ''],
  ])(
    'refuses a bad site as 400 problem+json naming the field, and writes nothing (%#)',
    async (body, field, words) => {
      const before = await rowCounts();
      const response = await call(origin.url, 'POST', '/v1/sites', { key: admin, body });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body).toMatchObject({
        status: 400,
        type: 'urn:edgeplane:problem:invalid-request',
      });
      const named = response.body.errors.find((error: { field: string }) => error.field === field);
      expect(named).toBeDefined();
      expect(`${named.detail} ${response.body.detail}`).toContain(words);
      expect(await rowCounts()).toEqual(before);
    },
  );

  it('refuses malformed JSON and a wrong content type as problem+json', async () => {
    const broken = await call(origin.url, 'POST', '/v1/sites', { key: admin, body: '{"name": ' });
    expect(broken.status).toBe(400);
    expect(broken.headers.get('content-type')).toContain('application/problem+json');
    const wrongType = await fetch(`${origin.url}/v1/sites`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/xml' },
      body: '<site/>',
    });
    expect(wrongType.status).toBe(415);
    expect(wrongType.headers.get('content-type')).toContain('application/problem+json');
  });

  it('keeps hostnames unique across sites, naming the taken host, and rolls the whole write back', async () => {
    await call(origin.url, 'POST', '/v1/sites', { key: admin, body: site(['taken.example.com']) });
    const before = await rowCounts();
    const response = await call(origin.url, 'POST', '/v1/sites', {
      key: admin,
      body: site(['fresh.example.com', 'taken.example.com']),
    });
    expect(response.status).toBe(409);
    expect(response.body.errors).toEqual([
      { field: 'body/hosts/1', detail: expect.stringContaining('taken.example.com') },
    ]);
    expect(await rowCounts()).toEqual(before);
  });

  it('pages through sites with limit and cursor, each site once', async () => {
    for (let index = 0; index < 5; index++) {
      await call(origin.url, 'POST', '/v1/sites', {
        key: admin,
        body: site([`page${index}.example.com`]),
      });
    }
    const all = await pool.query('SELECT count(*) FROM sites');
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page = await call(origin.url, 'GET', `/v1/sites${query}`, { key: admin });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.nextCursor;
      if (cursor === null) break;
    }
    expect(seen.length).toBe(Number(all.rows[0].count));
    expect(new Set(seen).size).toBe(seen.length);
    const bad = await call(origin.url, 'GET', '/v1/sites?limit=1000', { key: admin });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('query/limit');
  });
});

describe('purges', () => {
  let siteId: string;
  beforeAll(async () => {
    siteId = (
      await call(origin.url, 'POST', '/v1/sites', { key: admin, body: site(['purge.example.com']) })
    ).body.id;
  });

  it('commits a purge with its sequence number and lists it', async () => {
    const response = await call(origin.url, 'POST', '/v1/purges', {
      key: admin,
      body: { site: siteId, kind: 'key', values: ['product-42'], mode: 'soft' },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      site: siteId,
      kind: 'key',
      values: ['product-42'],
      mode: 'soft',
    });
    const event = await pool.query('SELECT type, payload FROM edge_events WHERE seq = $1', [
      response.body.seq,
    ]);
    expect(event.rows[0]).toMatchObject({
      type: 'purge',
      payload: { site: siteId, kind: 'key', mode: 'soft' },
    });
    const one = await call(origin.url, 'GET', `/v1/purges/${response.body.seq}`, { key: admin });
    expect(one.body.seq).toBe(response.body.seq);
    const list = await call(origin.url, 'GET', `/v1/purges?site=${siteId}`, { key: admin });
    expect(list.body.items[0].seq).toBe(response.body.seq);
  });

  it('honours Idempotency-Key: a retry returns the first purge; another body with the key is 422', async () => {
    const body = { site: siteId, kind: 'url', values: ['/index.html'] };
    const headers = { 'idempotency-key': 'retry-me-1' };
    const first = await call(origin.url, 'POST', '/v1/purges', { key: admin, body, headers });
    const before = await rowCounts();
    const second = await call(origin.url, 'POST', '/v1/purges', { key: admin, body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body.seq).toBe(first.body.seq);
    const different = await call(origin.url, 'POST', '/v1/purges', {
      key: admin,
      body: { ...body, values: ['/other.html'] },
      headers,
    });
    expect(different.status).toBe(422);
    expect(await rowCounts()).toEqual(before);
  });

  it('commits one purge when two requests with the same Idempotency-Key race', async () => {
    const body = { site: siteId, kind: 'all' };
    const headers = { 'idempotency-key': 'race-1' };
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        call(origin.url, 'POST', '/v1/purges', { key: admin, body, headers }),
      ),
    );
    expect(new Set(results.map((result) => result.body.seq)).size).toBe(1);
    expect(results.filter((result) => result.status === 201)).toHaveLength(1);
  });

  it.each([
    [{ kind: 'key', values: ['x'] }, 'body/site'],
    [{ site: 'x', kind: 'everything' }, 'body/kind'],
    [{ site: 'x', kind: 'key' }, 'body/values'],
    [{ site: 'x', kind: 'url', values: ['index.html'] }, 'body/values/0'],
    [{ site: 'x', kind: 'all', mode: 'gentle' }, 'body/mode'],
  ])('refuses a bad purge as 400 naming the field and writes nothing (%#)', async (body, field) => {
    const before = await rowCounts();
    const response = await call(origin.url, 'POST', '/v1/purges', { key: admin, body });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a purge of an unknown site as 400 naming body/site', async () => {
    const response = await call(origin.url, 'POST', '/v1/purges', {
      key: admin,
      body: { site: 'site-nope', kind: 'all' },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { field: 'body/site', detail: expect.stringContaining('site-nope') },
    ]);
  });
});

describe('users, audit, usage', () => {
  it('creates users with scrypt password hashes, refuses a duplicate email, lists and deletes them', async () => {
    const created = await call(origin.url, 'POST', '/v1/users', {
      key: admin,
      body: { email: 'Ops@Acme.example', password: 'correct horse battery' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'ops@acme.example' });
    expect(JSON.stringify(created.body)).not.toContain('horse');
    const stored = await pool.query('SELECT password_hash FROM users WHERE id = $1', [
      created.body.id,
    ]);
    expect(stored.rows[0].password_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    const { verifyPassword } = await import('../../runtime/origin/credentials.ts');
    expect(await verifyPassword('correct horse battery', stored.rows[0].password_hash)).toBe(true);
    expect(await verifyPassword('wrong horse battery', stored.rows[0].password_hash)).toBe(false);
    const duplicate = await call(origin.url, 'POST', '/v1/users', {
      key: admin,
      body: { email: 'ops@acme.example', password: 'another long password' },
    });
    expect(duplicate.status).toBe(409);
    const short = await call(origin.url, 'POST', '/v1/users', {
      key: admin,
      body: { email: 'a@b.example', password: 'short' },
    });
    expect(short.body.errors[0].field).toBe('body/password');
    expect((await call(origin.url, 'GET', '/v1/users', { key: admin })).body.items).toHaveLength(1);
    expect(
      (await call(origin.url, 'DELETE', `/v1/users/${created.body.id}`, { key: admin })).status,
    ).toBe(204);
  });

  it('lists the audit log newest first with who did what', async () => {
    const response = await call(origin.url, 'GET', '/v1/audit?limit=5', { key: admin });
    expect(response.status).toBe(200);
    expect(response.body.items).toHaveLength(5);
    expect(response.body.items[0].action).toBe('user.delete');
    expect(response.body.items[0].actor).toBe(`key:${tenant.adminKey.id}`);
    expect(response.body.nextCursor).not.toBeNull();
  });

  it('counts a usage batch once however often the edge retries it', async () => {
    const siteId = (
      await call(origin.url, 'POST', '/v1/sites', { key: admin, body: site(['usage.example.com']) })
    ).body.id;
    const batch = {
      batchId: 'batch-0001-aaaa',
      counters: [
        {
          site: siteId,
          hour: '2026-11-26T10:00:00Z',
          requests: 10,
          bytes: 1000,
          hits: 7,
          misses: 3,
        },
        {
          site: 'site-deleted-long-ago',
          hour: '2026-11-26T10:00:00Z',
          requests: 1,
          bytes: 1,
          hits: 1,
          misses: 0,
        },
      ],
    };
    const edge = { key: testEdgeToken };
    const first = await call(origin.url, 'POST', '/v1/edge/usage', { ...edge, body: batch });
    expect(first.body).toEqual({
      batchId: batch.batchId,
      accepted: true,
      unknownSites: ['site-deleted-long-ago'],
    });
    const retried = await call(origin.url, 'POST', '/v1/edge/usage', { ...edge, body: batch });
    expect(retried.body.accepted).toBe(false);
    await call(origin.url, 'POST', '/v1/edge/usage', {
      ...edge,
      body: { ...batch, batchId: 'batch-0002-bbbb' },
    });
    const usage = await call(origin.url, 'GET', `/v1/usage?site=${siteId}`, { key: admin });
    expect(usage.body.items).toEqual([
      {
        site: siteId,
        hour: '2026-11-26T10:00:00.000Z',
        requests: 20,
        bytes: 2000,
        hits: 14,
        misses: 6,
      },
    ]);
    const badHour = await call(origin.url, 'POST', '/v1/edge/usage', {
      ...edge,
      body: {
        batchId: 'batch-0003-cccc',
        counters: [{ ...batch.counters[0], hour: '2026-11-26T10:30:00Z' }],
      },
    });
    expect(badHour.status).toBe(400);
    expect(badHour.body.errors[0].field).toBe('body/counters/0/hour');
    const metrics = await (await fetch(`${origin.managementUrl}/metrics`)).text();
    expect(metrics).toContain(
      `edgeplane_origin_usage_requests_total{tenant="${tenant.id}",site="${siteId}"} 20`,
    );
  });

  it('refuses the edge link without the edge token', async () => {
    for (const key of [undefined, admin, 'wrong-token-wrong-token']) {
      const response = await call(origin.url, 'GET', '/v1/edge/snapshot', key ? { key } : {});
      expect(response.status).toBe(401);
    }
  });
});

describe('rate limits, OpenAPI, probes', () => {
  it('answers 429 with Retry-After once a key exceeds its limit, counted in Redis across replicas', async () => {
    const limited = await startTestOrigin({
      databaseUrl: db.url,
      redisUrl: testServices().redisUrl,
      rateLimitPerMinute: 3,
    });
    const other = await startTestOrigin({
      databaseUrl: db.url,
      redisUrl: testServices().redisUrl,
      rateLimitPerMinute: 3,
    });
    try {
      const key = (
        await call(origin.url, 'POST', '/v1/keys', {
          key: admin,
          body: { name: 'rl', scopes: ['read'] },
        })
      ).body.token;
      const statuses: number[] = [];
      let refused: Awaited<ReturnType<typeof call>> | undefined;
      for (let index = 0; index < 8; index++) {
        // Alternate replicas: the count lives in Redis, not in either process.
        const response = await call(index % 2 ? other.url : limited.url, 'GET', '/v1/tenant', {
          key,
        });
        statuses.push(response.status);
        if (response.status === 429) refused = response;
      }
      // Eight requests against a limit of three: even if the minute window rolls over mid-loop,
      // one of the two windows sees more than three.
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(1);
      expect(refused?.headers.get('content-type')).toContain('application/problem+json');
      const retryAfter = Number(refused?.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    } finally {
      await limited.close();
      await other.close();
    }
  });

  it('serves an OpenAPI 3 document generated from the route schemas', async () => {
    const response = await call(origin.url, 'GET', '/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toMatch(/^3\./);
    for (const path of [
      '/v1/sites',
      '/v1/sites/{id}',
      '/v1/purges',
      '/v1/keys',
      '/v1/edge/snapshot',
      '/v1/edge/usage',
    ]) {
      expect(Object.keys(response.body.paths)).toContain(path);
    }
    const createSite = response.body.paths['/v1/sites'].post;
    expect(createSite.security).toEqual([{ apiKey: [] }]);
    const bodySchema = createSite.requestBody.content['application/json'].schema;
    expect(bodySchema.required).toEqual(expect.arrayContaining(['name', 'hosts', 'origin']));
    expect(
      response.body.paths['/v1/purges'].post.requestBody.content['application/json'].schema
        .properties.kind.enum,
    ).toEqual(['url', 'key', 'prefix', 'all']);
  });

  it('answers unknown routes with a 404 problem', async () => {
    const response = await call(origin.url, 'GET', '/v1/nothing-here', { key: admin });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('serves /livez, /readyz and Prometheus /metrics on the management port', async () => {
    expect((await fetch(`${origin.managementUrl}/livez`)).status).toBe(200);
    const ready = await fetch(`${origin.managementUrl}/readyz`);
    expect(ready.status).toBe(200);
    const metrics = await fetch(`${origin.managementUrl}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(text).toContain(
      'edgeplane_origin_http_requests_total{route="/v1/sites",method="POST",status="201"}',
    );
    expect(text).toContain('edgeplane_origin_purges_total');
  });
});
