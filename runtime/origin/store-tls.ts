// The TLS options of the origin's Postgres and Redis connections, built explicitly from the URL's
// sslmode and the optional CA (contract.ts storeSslModes) instead of leaving node-postgres to read
// sslmode itself: pg 8 reads `require` as verify-full (with a SECURITY WARNING), which fails against
// Cloud SQL's private-IP certificate and against any server whose CA is not in Node's store.
import type { ConnectionOptions } from 'node:tls';
import type { RedisOptions } from 'ioredis';
import type { PoolConfig } from 'pg';
import { type StoreSslMode, storeSslMode } from '../contract.ts';

/** Options for tls.connect, or undefined for a plaintext connection. */
export function storeTlsOptions(
  mode: StoreSslMode,
  ca: string | undefined,
): ConnectionOptions | undefined {
  if (mode === 'disable') return undefined;
  // libpq: with a root certificate, `require` verifies the chain like `verify-ca`.
  if (mode === 'require' && !ca) return { rejectUnauthorized: false };
  const trust = ca ? { ca } : {};
  if (mode === 'verify-full') return { ...trust, rejectUnauthorized: true };
  // The chain is verified by OpenSSL during the handshake; only the host-name check is skipped.
  return { ...trust, rejectUnauthorized: true, checkServerIdentity: () => undefined };
}

/** The URL without the parameters this module reads, so the client cannot reinterpret them. */
function withoutSslMode(url: URL): string {
  const copy = new URL(url);
  copy.searchParams.delete('sslmode');
  return copy.toString();
}

/** node-postgres pool settings for DATABASE_URL and DATABASE_CA_CERT. */
export function postgresConnection(
  databaseUrl: string,
  ca?: string,
): Pick<PoolConfig, 'connectionString' | 'ssl'> {
  const url = new URL(databaseUrl);
  const tls = storeTlsOptions(storeSslMode(url), ca);
  // `ssl: false`, not undefined: undefined lets pg fall back to PGSSLMODE from the environment.
  return { connectionString: withoutSslMode(url), ssl: tls ?? false };
}

/** The URL and ioredis options for REDIS_URL and REDIS_CA_CERT. */
export function redisConnection(
  redisUrl: string,
  ca?: string,
): { url: string; options: Pick<RedisOptions, 'tls'> } {
  const url = new URL(redisUrl);
  const tls = storeTlsOptions(storeSslMode(url), ca);
  // An explicit `tls` option overrides what ioredis derives from rediss:// (an empty options object).
  return { url: withoutSslMode(url), options: tls ? { tls } : {} };
}
