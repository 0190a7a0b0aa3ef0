// The origin's Postgres and Redis TLS settings against a real Postgres and a real Redis that serve
// TLS only, with throwaway certificates made by openssl: each sslmode connects or refuses as libpq
// defines it, and the whole origin starts over verified TLS.
import { Redis } from 'ioredis';
import pg from 'pg';
import {
  makeTestCertificates,
  type TestCertificates,
} from '../../test/harness/services/certificates.ts';
import { type RunningPostgres, startPostgres } from '../../test/harness/services/postgres.ts';
import { type RunningRedis, startRedis } from '../../test/harness/services/redis.ts';
import { memoryLogger } from '../../test/origin/harness.ts';
import { startOrigin } from './server.ts';
import { postgresConnection, redisConnection, storeTlsOptions } from './store-tls.ts';

let certs: TestCertificates;
let postgres: RunningPostgres;
let redis: RunningRedis;

beforeAll(async () => {
  certs = await makeTestCertificates();
  [postgres, redis] = await Promise.all([
    startPostgres({ tls: { certFile: certs.certFile, keyFile: certs.keyFile, only: true } }),
    startRedis({ tls: { certFile: certs.certFile, keyFile: certs.keyFile, caFile: certs.caFile } }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([postgres?.stop(), redis?.stop()]);
  await certs?.remove();
});

/** The test server's URL with another host name and an sslmode. */
function storeUrl(base: string, host: string, sslmode?: string): string {
  const url = new URL(base);
  url.hostname = host;
  if (sslmode) url.searchParams.set('sslmode', sslmode);
  return url.toString();
}

/** Connects like the origin's pool does; resolves with what the server says of the connection. */
async function postgresSsl(url: string, ca?: string): Promise<boolean> {
  const client = new pg.Client({ ...postgresConnection(url, ca), connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const result = await client.query<{ ssl: boolean }>(
      'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
    );
    return result.rows[0]?.ssl ?? false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function redisPing(url: string, ca?: string): Promise<string> {
  const connection = redisConnection(url, ca);
  const client = new Redis(connection.url, {
    ...connection.options,
    lazyConnect: true,
    connectTimeout: 10_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // ioredis rejects connect() with "Connection is closed."; the TLS reason comes as an event.
  let reason: Error | undefined;
  client.on('error', (error: Error) => {
    reason ??= error;
  });
  try {
    await client.connect();
    return await client.ping();
  } catch (error) {
    throw reason ?? error;
  } finally {
    client.disconnect();
  }
}

const untrusted = /self[- ]signed|unable to (verify|get local issuer)/i;
const wrongName = /altnames|not in the cert/i;

describe('storeTlsOptions', () => {
  test('maps each sslmode to what tls.connect verifies', () => {
    expect(storeTlsOptions('disable', 'PEM')).toBeUndefined();
    expect(storeTlsOptions('require', undefined)).toEqual({ rejectUnauthorized: false });
    expect(storeTlsOptions('require', 'PEM')).toMatchObject({
      ca: 'PEM',
      rejectUnauthorized: true,
    });
    expect(storeTlsOptions('verify-full', undefined)).toEqual({ rejectUnauthorized: true });
    const verifyCa = storeTlsOptions('verify-ca', 'PEM');
    expect(verifyCa).toMatchObject({ ca: 'PEM', rejectUnauthorized: true });
    expect(verifyCa?.checkServerIdentity?.('other.example', {} as never)).toBeUndefined();
  });

  test('hands node-postgres a connection string without sslmode, keeping other parameters', () => {
    const { connectionString, ssl } = postgresConnection(
      'postgres://u:p%40ss@db:5432/app?sslmode=verify-ca&application_name=origin',
      'PEM',
    );
    expect(connectionString).toBe('postgres://u:p%40ss@db:5432/app?application_name=origin');
    expect(ssl).toMatchObject({ ca: 'PEM', rejectUnauthorized: true });
    expect(postgresConnection('postgres://u:p@db/app').ssl).toBe(false);
  });
});

describe('Postgres over TLS (TLS-only server, certificate for localhost)', () => {
  test('verify-full with the right CA and the certificate host name connects encrypted', async () => {
    const url = storeUrl(postgres.url, certs.serverName, 'verify-full');
    await expect(postgresSsl(url, certs.caPem)).resolves.toBe(true);
  });

  test('verify-ca connects when the host name is not in the certificate', async () => {
    const url = storeUrl(postgres.url, '127.0.0.1', 'verify-ca');
    await expect(postgresSsl(url, certs.caPem)).resolves.toBe(true);
  });

  test('verify-full refuses a host name the certificate does not carry', async () => {
    const url = storeUrl(postgres.url, '127.0.0.1', 'verify-full');
    await expect(postgresSsl(url, certs.caPem)).rejects.toThrow(wrongName);
  });

  test('verify-full and verify-ca refuse a server signed by another CA', async () => {
    const full = storeUrl(postgres.url, certs.serverName, 'verify-full');
    await expect(postgresSsl(full, certs.otherCaPem)).rejects.toThrow(untrusted);
    const ca = storeUrl(postgres.url, '127.0.0.1', 'verify-ca');
    await expect(postgresSsl(ca, certs.otherCaPem)).rejects.toThrow(untrusted);
  });

  test("verify-full without a CA uses Node's roots, which do not hold the test CA", async () => {
    const url = storeUrl(postgres.url, certs.serverName, 'verify-full');
    await expect(postgresSsl(url)).rejects.toThrow(untrusted);
  });

  test('require without a CA encrypts without verifying, and prints no pg SECURITY WARNING', async () => {
    const warnings = jest.spyOn(process, 'emitWarning');
    try {
      const url = storeUrl(postgres.url, '127.0.0.1', 'require');
      await expect(postgresSsl(url)).resolves.toBe(true);
      expect(warnings.mock.calls.map((call) => String(call[0]))).not.toContainEqual(
        expect.stringContaining('SECURITY WARNING'),
      );
    } finally {
      warnings.mockRestore();
    }
  });

  test('require with a CA verifies the chain, as libpq does with a root certificate', async () => {
    const url = storeUrl(postgres.url, '127.0.0.1', 'require');
    await expect(postgresSsl(url, certs.caPem)).resolves.toBe(true);
    await expect(postgresSsl(url, certs.otherCaPem)).rejects.toThrow(untrusted);
  });

  test('disable is turned away by a TLS-only server', async () => {
    const url = storeUrl(postgres.url, '127.0.0.1', 'disable');
    await expect(postgresSsl(url, certs.caPem)).rejects.toThrow(
      /no encryption|pg_hba\.conf rejects/,
    );
  });
});

describe('Redis over TLS (rediss://, certificate for localhost)', () => {
  test('rediss:// verifies the chain and the host name by default', async () => {
    await expect(redisPing(storeUrl(redis.url, certs.serverName), certs.caPem)).resolves.toBe(
      'PONG',
    );
    await expect(redisPing(storeUrl(redis.url, '127.0.0.1'), certs.caPem)).rejects.toThrow(
      wrongName,
    );
  });

  test('sslmode=verify-ca accepts a host name the certificate does not carry', async () => {
    const url = storeUrl(redis.url, '127.0.0.1', 'verify-ca');
    await expect(redisPing(url, certs.caPem)).resolves.toBe('PONG');
  });

  test('another CA, or no CA (built-in roots), is refused', async () => {
    const url = storeUrl(redis.url, certs.serverName);
    await expect(redisPing(url, certs.otherCaPem)).rejects.toThrow(untrusted);
    await expect(redisPing(url)).rejects.toThrow(untrusted);
  });

  test('sslmode=require without a CA encrypts without verifying', async () => {
    const url = storeUrl(redis.url, '127.0.0.1', 'require');
    await expect(redisPing(url)).resolves.toBe('PONG');
  });
});

describe('the origin over verified TLS', () => {
  test('starts, migrates and reports ready with verify-full Postgres and rediss:// Redis', async () => {
    const { logger, lines } = memoryLogger();
    const origin = await startOrigin({
      databaseUrl: storeUrl(postgres.url, certs.serverName, 'verify-full'),
      databaseCaCert: certs.caPem,
      redisUrl: storeUrl(redis.url, certs.serverName),
      redisCaCert: certs.caPem,
      listenAddress: '127.0.0.1',
      trafficPort: 0,
      managementPort: 0,
      rateLimitPerMinute: 600,
      logger,
    });
    try {
      const ready = await fetch(`${origin.managementUrl}/readyz`);
      expect(ready.status).toBe(200);
      const connection = await origin.pool.query<{ ssl: boolean }>(
        'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
      );
      expect(connection.rows[0]?.ssl).toBe(true);
    } finally {
      await origin.close();
    }
    expect(lines.join('')).not.toContain('BEGIN CERTIFICATE');
    expect(lines.join('')).not.toContain(new URL(postgres.url).password);
  });

  test('refuses to start against a server the CA does not vouch for, without leaking the URL', async () => {
    const { logger, lines } = memoryLogger();
    const start = startOrigin({
      databaseUrl: storeUrl(postgres.url, certs.serverName, 'verify-full'),
      databaseCaCert: certs.otherCaPem,
      listenAddress: '127.0.0.1',
      trafficPort: 0,
      managementPort: 0,
      rateLimitPerMinute: 600,
      logger,
    });
    await expect(start).rejects.toThrow(untrusted);
    await start.catch((error: Error) => {
      expect(error.message).not.toContain(new URL(postgres.url).password);
    });
    expect(lines.join('')).not.toContain(new URL(postgres.url).password);
  });
});
