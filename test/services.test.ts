// The test services are real: a table round-trip through Postgres, and SET/GET plus
// PUBLISH/SUBSCRIBE through Redis.
import { Redis } from 'ioredis';
import pg from 'pg';
import { testServices } from './harness/services/index.ts';

const services = testServices();

describe('Postgres from the harness', () => {
  const client = new pg.Client({ connectionString: services.postgresUrl });
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it('stores and reads back rows in a real table', async () => {
    await client.query(
      'CREATE TABLE harness_roundtrip (id serial PRIMARY KEY, body jsonb NOT NULL)',
    );
    await client.query('INSERT INTO harness_roundtrip (body) VALUES ($1), ($2)', [
      { site: 'a.example.com' },
      { site: 'b.example.com' },
    ]);
    const { rows } = await client.query('SELECT body FROM harness_roundtrip ORDER BY id');
    expect(rows.map((row) => row.body.site)).toEqual(['a.example.com', 'b.example.com']);
    const version = await client.query<{ server_version: string }>('SHOW server_version');
    expect(Number.parseInt(version.rows[0]?.server_version ?? '', 10)).toBeGreaterThanOrEqual(15);
  });
});

describe('Redis from the harness', () => {
  const client = new Redis(services.redisUrl);
  const subscriber = new Redis(services.redisUrl);
  afterAll(async () => {
    await Promise.all([client.quit(), subscriber.quit()]);
  });

  it('sets and gets a key', async () => {
    await client.set('harness:key', 'value-1', 'EX', 60);
    expect(await client.get('harness:key')).toBe('value-1');
    expect(await client.ttl('harness:key')).toBeGreaterThan(0);
  });

  it('delivers a published message to a subscriber', async () => {
    await subscriber.subscribe('harness:purges');
    const received = new Promise<[string, string]>((resolve) =>
      subscriber.once('message', (channel: string, message: string) => resolve([channel, message])),
    );
    const receivers = await client.publish('harness:purges', JSON.stringify({ seq: 1 }));
    expect(receivers).toBe(1);
    expect(await received).toEqual(['harness:purges', '{"seq":1}']);
  });
});
