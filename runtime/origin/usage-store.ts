// Usage counters per site per hour. A batch from an edge is counted once: its id is recorded in
// the same transaction as the counters, and a retried batch finds it and adds nothing.
import type { Pool } from 'pg';
import { z } from 'zod';
import type { UsageAck, UsageBatch } from '../lib/origin-link/wire.ts';
import { inTransaction } from './events-store.ts';

export interface CountedUsage {
  tenantId: string;
  site: string;
  requests: number;
  bytes: number;
}

export async function recordUsageBatch(
  pool: Pool,
  batch: UsageBatch,
): Promise<{ ack: UsageAck; counted: CountedUsage[] }> {
  return inTransaction(pool, async (client) => {
    const fresh = await client.query(
      'INSERT INTO usage_batches (batch_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING batch_id',
      [batch.batchId],
    );
    if (fresh.rowCount === 0)
      return { ack: { batchId: batch.batchId, accepted: false, unknownSites: [] }, counted: [] };
    const siteIds = [...new Set(batch.counters.map((counter) => counter.site))];
    const owners = await client.query<{ id: string; tenant_id: string }>(
      'SELECT id, tenant_id FROM sites WHERE id = ANY($1::text[])',
      [siteIds],
    );
    const tenantOf = new Map(owners.rows.map((row) => [row.id, row.tenant_id]));
    const counted: CountedUsage[] = [];
    for (const counter of batch.counters) {
      const tenantId = tenantOf.get(counter.site);
      if (tenantId === undefined) continue;
      await client.query(
        `INSERT INTO usage_hourly (site_id, tenant_id, hour, requests, bytes, hits, misses)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (site_id, hour) DO UPDATE SET
           requests = usage_hourly.requests + EXCLUDED.requests,
           bytes = usage_hourly.bytes + EXCLUDED.bytes,
           hits = usage_hourly.hits + EXCLUDED.hits,
           misses = usage_hourly.misses + EXCLUDED.misses`,
        [
          counter.site,
          tenantId,
          counter.hour,
          counter.requests,
          counter.bytes,
          counter.hits,
          counter.misses,
        ],
      );
      counted.push({
        tenantId,
        site: counter.site,
        requests: counter.requests,
        bytes: counter.bytes,
      });
    }
    const unknownSites = siteIds.filter((id) => !tenantOf.has(id));
    return { ack: { batchId: batch.batchId, accepted: true, unknownSites }, counted };
  });
}

export const usageQuerySchema = z.object({
  site: z.string().min(1).optional(),
  from: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 time, e.g. 2026-11-26T00:00:00Z' })
    .optional(),
  to: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 time, e.g. 2026-11-27T00:00:00Z' })
    .optional(),
});

export const usageRowSchema = z.object({
  site: z.string(),
  hour: z.string(),
  requests: z.number(),
  bytes: z.number(),
  hits: z.number(),
  misses: z.number(),
});

export async function queryUsage(
  pool: Pool,
  tenantId: string,
  query: z.output<typeof usageQuerySchema>,
) {
  const result = await pool.query<{
    site_id: string;
    hour: Date;
    requests: string;
    bytes: string;
    hits: string;
    misses: string;
  }>(
    `SELECT site_id, hour, requests, bytes, hits, misses FROM usage_hourly
     WHERE tenant_id = $1 AND ($2::text IS NULL OR site_id = $2)
       AND ($3::timestamptz IS NULL OR hour >= $3) AND ($4::timestamptz IS NULL OR hour < $4)
     ORDER BY hour, site_id LIMIT 10000`,
    [tenantId, query.site ?? null, query.from ?? null, query.to ?? null],
  );
  return result.rows.map((row) => ({
    site: row.site_id,
    hour: row.hour.toISOString(),
    requests: Number(row.requests),
    bytes: Number(row.bytes),
    hits: Number(row.hits),
    misses: Number(row.misses),
  }));
}
