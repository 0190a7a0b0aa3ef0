// People of a tenant (the dashboard signs them in later); passwords stored as scrypt hashes.
import type { Pool } from 'pg';
import { z } from 'zod';
import { audit } from './audit.ts';
import { hashPassword, newId } from './credentials.ts';
import { inTransaction } from './events-store.ts';
import { decodeCursor, type PageQuery, toPage } from './pagination.ts';
import { problems } from './problem.ts';

export const userInputSchema = z
  .object({
    email: z
      .email({ error: 'must be an email address, e.g. ops@example.com' })
      .transform((value) => value.toLowerCase()),
    password: z
      .string({ error: 'must be a password of 12 to 200 characters' })
      .min(12, 'must be at least 12 characters')
      .max(200, 'must be at most 200 characters'),
  })
  .strict();

export const userRecordSchema = z.object({
  id: z.string(),
  email: z.string(),
  createdAt: z.string(),
});
export type UserRecord = z.output<typeof userRecordSchema>;

interface UserRow {
  id: string;
  email: string;
  created_at: Date;
}
const toRecord = (row: UserRow): UserRecord => ({
  id: row.id,
  email: row.email,
  createdAt: row.created_at.toISOString(),
});

export async function createUser(
  pool: Pool,
  tenantId: string,
  actor: string,
  input: z.output<typeof userInputSchema>,
): Promise<UserRecord> {
  const passwordHash = await hashPassword(input.password);
  return inTransaction(pool, async (client) => {
    const id = newId('usr');
    const result = await client.query<UserRow>(
      `INSERT INTO users (id, tenant_id, email, password_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (email) DO NOTHING RETURNING id, email, created_at`,
      [id, tenantId, input.email, passwordHash],
    );
    const row = result.rows[0];
    if (!row) throw problems.conflict(`a user with email ${input.email} exists`, 'body/email');
    await audit(client, {
      tenantId,
      actor,
      action: 'user.create',
      target: id,
      detail: { email: input.email },
    });
    return toRecord(row);
  });
}

export async function listUsers(pool: Pool, tenantId: string, page: PageQuery) {
  const result = await pool.query<UserRow>(
    'SELECT id, email, created_at FROM users WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3',
    [tenantId, decodeCursor(page.cursor) ?? '', page.limit + 1],
  );
  return toPage(result.rows.map(toRecord), page.limit, (user) => user.id);
}

export async function deleteUser(
  pool: Pool,
  tenantId: string,
  actor: string,
  id: string,
): Promise<void> {
  await inTransaction(pool, async (client) => {
    const deleted = await client.query('DELETE FROM users WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      id,
    ]);
    if (deleted.rowCount === 0) throw problems.notFound(`no user ${id}`);
    await audit(client, { tenantId, actor, action: 'user.delete', target: id });
  });
}
