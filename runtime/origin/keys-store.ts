// API keys: shown once at creation, stored as a lookup prefix and a SHA-256 of the secret.
import type { Pool, PoolClient } from 'pg';
import { z } from 'zod';
import { audit } from './audit.ts';
import {
  type ApiKeyScope,
  apiKeyScopes,
  generateApiKey,
  newId,
  parseApiKey,
  secretMatches,
} from './credentials.ts';
import { inTransaction } from './events-store.ts';
import { decodeCursor, type PageQuery, toPage } from './pagination.ts';
import { problems } from './problem.ts';

export const keyInputSchema = z
  .object({
    name: z
      .string({ error: 'must be a name, e.g. ci-purge' })
      .trim()
      .min(1, 'must be a name, e.g. ci-purge')
      .max(200),
    scopes: z
      .array(z.enum(apiKeyScopes, { error: `must be one of ${apiKeyScopes.join(', ')}` }))
      .min(1, `must list at least one scope of ${apiKeyScopes.join(', ')}, e.g. ["purge"]`),
  })
  .strict();

export const keyRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.enum(apiKeyScopes)),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type KeyRecord = z.output<typeof keyRecordSchema>;

interface KeyRow {
  id: string;
  tenant_id: string;
  name: string;
  prefix: string;
  secret_hash: Buffer;
  scopes: ApiKeyScope[];
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const toRecord = (row: KeyRow): KeyRecord => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  scopes: row.scopes,
  createdAt: row.created_at.toISOString(),
  revokedAt: row.revoked_at?.toISOString() ?? null,
  lastUsedAt: row.last_used_at?.toISOString() ?? null,
});

/** Inside a transaction: creates a key and returns it with its token (the only time it exists in clear). */
export async function insertKey(
  client: PoolClient,
  tenantId: string,
  actor: string,
  input: { name: string; scopes: ApiKeyScope[] },
): Promise<KeyRecord & { token: string }> {
  const key = generateApiKey();
  const id = newId('key');
  const result = await client.query<KeyRow>(
    `INSERT INTO api_keys (id, tenant_id, name, prefix, secret_hash, scopes) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
    [id, tenantId, input.name, key.prefix, key.secretHash, [...new Set(input.scopes)]],
  );
  await audit(client, {
    tenantId,
    actor,
    action: 'key.create',
    target: id,
    detail: { name: input.name, scopes: input.scopes },
  });
  return { ...toRecord(result.rows[0] as KeyRow), token: key.token };
}

export const createKey = (
  pool: Pool,
  tenantId: string,
  actor: string,
  input: { name: string; scopes: ApiKeyScope[] },
) => inTransaction(pool, (client) => insertKey(client, tenantId, actor, input));

export async function listKeys(pool: Pool, tenantId: string, page: PageQuery) {
  const result = await pool.query<KeyRow>(
    'SELECT * FROM api_keys WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3',
    [tenantId, decodeCursor(page.cursor) ?? '', page.limit + 1],
  );
  return toPage(result.rows.map(toRecord), page.limit, (key) => key.id);
}

export async function revokeKey(
  pool: Pool,
  tenantId: string,
  actor: string,
  id: string,
): Promise<KeyRecord> {
  return inTransaction(pool, async (client) => {
    const result = await client.query<KeyRow>(
      'UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND id = $2 RETURNING *',
      [tenantId, id],
    );
    const row = result.rows[0];
    if (!row) throw problems.notFound(`no API key ${id}`);
    await audit(client, { tenantId, actor, action: 'key.revoke', target: id });
    return toRecord(row);
  });
}

export interface Principal {
  tenantId: string;
  keyId: string;
  scopes: readonly ApiKeyScope[];
}

/** The principal of a Bearer API key, or a 401 problem. Records last use at most once a minute. */
export async function authenticateKey(
  pool: Pool,
  authorization: string | undefined,
): Promise<Principal> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) throw problems.unauthorized('send an API key as Authorization: Bearer ep_...');
  const parsed = parseApiKey(match[1]);
  if (!parsed) throw problems.unauthorized('the API key is malformed');
  const result = await pool.query<KeyRow>('SELECT * FROM api_keys WHERE prefix = $1', [
    parsed.prefix,
  ]);
  const row = result.rows[0];
  if (!row || !secretMatches(parsed.secret, row.secret_hash))
    throw problems.unauthorized('the API key is not valid');
  if (row.revoked_at !== null) throw problems.unauthorized('the API key is revoked');
  if (row.last_used_at === null || Date.now() - row.last_used_at.getTime() > 60_000) {
    await pool.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [row.id]);
  }
  return { tenantId: row.tenant_id, keyId: row.id, scopes: row.scopes };
}
