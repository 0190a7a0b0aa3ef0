// The SDK against a real origin.
import { createTenant } from '../runtime/origin/tenants.ts';
import { createTestDatabase, startTestOrigin, type TestDatabase } from '../test/origin/harness.ts';
import { EdgeplaneApiError, EdgeplaneClient } from './client.ts';

let db: TestDatabase;
let origin: Awaited<ReturnType<typeof startTestOrigin>>;
let client: EdgeplaneClient;

beforeAll(async () => {
  db = await createTestDatabase();
  origin = await startTestOrigin({ databaseUrl: db.url, rateLimitPerMinute: 1000 });
  client = new EdgeplaneClient({
    baseUrl: origin.url,
    apiKey: (await createTenant(origin.pool, 'SDK')).adminKey.token,
  });
});
afterAll(async () => {
  await origin?.close();
  await db?.drop();
});

describe('EdgeplaneClient', () => {
  it('manages sites and purges, with idempotent purge retries', async () => {
    const site = await client.sites.create({
      name: 'Shop',
      hosts: ['shop.sdk.example'],
      origin: 'https://origin.sdk.example',
    });
    expect((await client.sites.get(site.id)).hosts).toEqual(['shop.sdk.example']);
    const first = await client.purges.create(
      { site: site.id, kind: 'prefix', values: ['/img/'] },
      { idempotencyKey: 'sdk-1' },
    );
    const again = await client.purges.create(
      { site: site.id, kind: 'prefix', values: ['/img/'] },
      { idempotencyKey: 'sdk-1' },
    );
    expect(again.seq).toBe(first.seq);
    expect((await client.purges.list({ site: site.id })).items.map((purge) => purge.seq)).toEqual([
      first.seq,
    ]);
    await client.sites.delete(site.id);
  });

  it('iterates every page of a list', async () => {
    for (let index = 0; index < 5; index++) {
      await client.sites.create({
        name: `S${index}`,
        hosts: [`s${index}.sdk.example`],
        origin: 'https://o.sdk.example',
      });
    }
    const ids: string[] = [];
    for await (const site of client.all((page) => client.sites.list(page), 2)) ids.push(site.id);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
  });

  it('throws the problem details of a refused request', async () => {
    const error = await client.sites
      .create({ name: 'Bad', hosts: ['bad host'], origin: 'https://o.sdk.example' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EdgeplaneApiError);
    expect((error as EdgeplaneApiError).status).toBe(400);
    expect((error as EdgeplaneApiError).problem?.errors?.[0]?.field).toBe('body/hosts/0');
  });

  it('fails at once with the 429 problem when Retry-After is longer than the caller will wait', async () => {
    const limited = await startTestOrigin({ databaseUrl: db.url, rateLimitPerMinute: 1 });
    try {
      const key = (await client.keys.create({ name: 'limited', scopes: ['read'] })).token;
      const impatient = new EdgeplaneClient({
        baseUrl: limited.url,
        apiKey: key,
        maxRetryAfterSeconds: 0,
      });
      await impatient.tenant.get();
      const error = await impatient.tenant.get().catch((caught: unknown) => caught);
      expect((error as EdgeplaneApiError).status).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
