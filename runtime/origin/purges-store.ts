// Purges: committed with their edge event (the sequence number) and an audit entry in one
// transaction. An Idempotency-Key makes a retried request return the first purge instead of
// committing a second one; the same key with another body is refused.
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { z } from 'zod';
import { checkPurgeValues, purgeKinds, purgeModes } from '../lib/purge-request.ts';
import { audit } from './audit.ts';
import { appendEvent, inTransaction } from './events-store.ts';
import { decodeCursor, type PageQuery, toPage } from './pagination.ts';
import { problems } from './problem.ts';

export const purgeInputSchema = z
  .object({
    site: z
      .string({ error: 'must be a site id, e.g. site-0a1b2c3d4e5f6a7b' })
      .min(1, 'must be a site id'),
    kind: z.enum(purgeKinds, { error: `must be one of ${purgeKinds.join(', ')}` }),
    /** For url: paths with query ("/a?b=1") or full URLs; for key: surrogate keys; for prefix: path prefixes. */
    values: z
      .array(z.string().min(1, 'must not be empty').max(2048, 'must be at most 2048 characters'))
      .max(1000, 'must list at most 1000 values per purge')
      .default([]),
    mode: z.enum(purgeModes, { error: `must be one of ${purgeModes.join(', ')}` }).default('hard'),
  })
  .strict()
  .superRefine((purge, ctx) => {
    checkPurgeValues(purge, ctx);
    if (purge.kind === 'all' && purge.values.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: 'must be empty for kind all' });
    }
  });
export type PurgeInput = z.output<typeof purgeInputSchema>;

export const purgeRecordSchema = z.object({
  seq: z.number().int(),
  site: z.string(),
  kind: z.enum(purgeKinds),
  mode: z.enum(purgeModes),
  values: z.array(z.string()),
  createdAt: z.string(),
});
export type PurgeRecord = z.output<typeof purgeRecordSchema>;

interface PurgeRow {
  seq: string;
  site_id: string;
  kind: PurgeRecord['kind'];
  mode: PurgeRecord['mode'];
  values: string[];
  request_hash: string | null;
  created_at: Date;
}

const toRecord = (row: PurgeRow): PurgeRecord => ({
  seq: Number(row.seq),
  site: row.site_id,
  kind: row.kind,
  mode: row.mode,
  values: row.values,
  createdAt: row.created_at.toISOString(),
});

const purgeColumns = 'seq, site_id, kind, mode, "values", request_hash, created_at';

export interface PurgeResult {
  value: PurgeRecord;
  /** Undefined when an earlier request with the same Idempotency-Key is returned. */
  seq: number | undefined;
  replayed: boolean;
}

export async function createPurge(
  pool: Pool,
  tenantId: string,
  actor: string,
  input: PurgeInput,
  idempotencyKey: string | undefined,
): Promise<PurgeResult> {
  const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
  return inTransaction(pool, async (client) => {
    if (idempotencyKey !== undefined) {
      // Serialises requests carrying the same key, so two racing retries commit one purge.
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `${tenantId}:${idempotencyKey}`,
      ]);
      const earlier = await client.query<PurgeRow>(
        `SELECT ${purgeColumns} FROM purges WHERE tenant_id = $1 AND idempotency_key = $2`,
        [tenantId, idempotencyKey],
      );
      const row = earlier.rows[0];
      if (row) {
        if (row.request_hash !== requestHash) throw problems.idempotencyMismatch();
        return { value: toRecord(row), seq: undefined, replayed: true };
      }
    }
    const site = await client.query('SELECT id FROM sites WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      input.site,
    ]);
    if (site.rowCount === 0) {
      throw problems.invalid([
        { field: 'body/site', detail: `no site ${input.site} in this tenant` },
      ]);
    }
    const seq = await appendEvent(client, {
      type: 'purge',
      purge: { site: input.site, kind: input.kind, values: input.values, mode: input.mode },
    });
    const inserted = await client.query<PurgeRow>(
      `INSERT INTO purges (seq, tenant_id, site_id, kind, mode, "values", idempotency_key, request_hash, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${purgeColumns}`,
      [
        seq,
        tenantId,
        input.site,
        input.kind,
        input.mode,
        JSON.stringify(input.values),
        idempotencyKey ?? null,
        requestHash,
        actor,
      ],
    );
    await audit(client, {
      tenantId,
      actor,
      action: 'purge.create',
      target: input.site,
      detail: { seq, kind: input.kind, mode: input.mode },
    });
    return { value: toRecord(inserted.rows[0] as PurgeRow), seq, replayed: false };
  });
}

export async function listPurges(pool: Pool, tenantId: string, page: PageQuery, site?: string) {
  const before = Number(decodeCursor(page.cursor) ?? Number.MAX_SAFE_INTEGER);
  const result = await pool.query<PurgeRow>(
    `SELECT ${purgeColumns} FROM purges WHERE tenant_id = $1 AND seq < $2 AND ($3::text IS NULL OR site_id = $3)
     ORDER BY seq DESC LIMIT $4`,
    [tenantId, Number.isFinite(before) ? before : 0, site ?? null, page.limit + 1],
  );
  return toPage(result.rows.map(toRecord), page.limit, (purge) => String(purge.seq));
}

export async function getPurge(pool: Pool, tenantId: string, seq: number): Promise<PurgeRecord> {
  const result = await pool.query<PurgeRow>(
    `SELECT ${purgeColumns} FROM purges WHERE tenant_id = $1 AND seq = $2`,
    [tenantId, seq],
  );
  const row = result.rows[0];
  if (!row) throw problems.notFound(`no purge ${seq}`);
  return toRecord(row);
}
