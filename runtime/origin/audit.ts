// The audit log: one row per change, written in the same transaction as the change.
import type { PoolClient } from 'pg';

export interface AuditEntry {
  tenantId: string;
  /** Who: key:<id>, user:<id> or system. */
  actor: string;
  action: string;
  target: string;
  detail?: Record<string, unknown>;
}

export async function audit(client: PoolClient, entry: AuditEntry): Promise<void> {
  await client.query(
    'INSERT INTO audit_log (tenant_id, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)',
    [entry.tenantId, entry.actor, entry.action, entry.target, JSON.stringify(entry.detail ?? {})],
  );
}
