// Tenants are created by the operator (local mode, edgectl), not through the tenant API: this
// creates one with its first admin API key, returned once.
import type { Pool } from 'pg';
import { audit } from './audit.ts';
import { newId } from './credentials.ts';
import { inTransaction } from './events-store.ts';
import { insertKey, type KeyRecord } from './keys-store.ts';

export interface NewTenant {
  id: string;
  name: string;
  adminKey: KeyRecord & { token: string };
}

export async function createTenant(pool: Pool, name: string): Promise<NewTenant> {
  return inTransaction(pool, async (client) => {
    const id = newId('tnt');
    await client.query('INSERT INTO tenants (id, name) VALUES ($1, $2)', [id, name]);
    await audit(client, {
      tenantId: id,
      actor: 'system',
      action: 'tenant.create',
      target: id,
      detail: { name },
    });
    const adminKey = await insertKey(client, id, 'system', { name: 'admin', scopes: ['admin'] });
    return { id, name, adminKey };
  });
}

export async function getTenant(
  pool: Pool,
  id: string,
): Promise<{ id: string; name: string; createdAt: string }> {
  const result = await pool.query<{ id: string; name: string; created_at: Date }>(
    'SELECT id, name, created_at FROM tenants WHERE id = $1',
    [id],
  );
  const row = result.rows[0];
  if (!row) throw new Error(`tenant ${id} vanished`);
  return { id: row.id, name: row.name, createdAt: row.created_at.toISOString() };
}
