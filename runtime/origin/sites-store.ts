// Sites of a tenant. Every write is one transaction: the site rows, an audit entry and an edge
// event; the caller announces the returned sequence number on the bus after the commit.
import type { Pool, PoolClient } from 'pg';
import { z } from 'zod';
import { siteOutputSchema } from '../lib/origin-link/wire.ts';
import { type Site, siteSchema } from '../lib/site.ts';
import { audit } from './audit.ts';
import { newId } from './credentials.ts';
import { appendEvent, inTransaction } from './events-store.ts';
import { decodeCursor, type PageQuery, toPage } from './pagination.ts';
import { problems } from './problem.ts';

const siteFields = siteSchema.omit({ id: true }).shape;

export const siteInputSchema = z
  .object({
    name: z
      .string({ error: 'must be a name, e.g. Shop' })
      .trim()
      .min(1, 'must be a name, e.g. Shop')
      .max(200, 'must be at most 200 characters'),
    hosts: siteFields.hosts.refine(
      (hosts) => new Set(hosts).size === hosts.length,
      'must not list a hostname twice',
    ),
    origin: siteFields.origin,
    cache: siteFields.cache,
  })
  .strict();
export type SiteInput = z.output<typeof siteInputSchema>;

export const siteRecordSchema = siteOutputSchema.extend({
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SiteRecord = z.output<typeof siteRecordSchema>;

interface SiteRow {
  id: string;
  name: string;
  origin: string;
  cache: Site['cache'];
  hosts: string[];
  created_at: Date;
  updated_at: Date;
}

const selectSites = `
  SELECT s.id, s.name, s.origin, s.cache, s.created_at, s.updated_at,
         coalesce(array_agg(h.host ORDER BY h.host) FILTER (WHERE h.host IS NOT NULL), '{}') AS hosts
  FROM sites s LEFT JOIN site_hosts h ON h.site_id = s.id`;

const toRecord = (row: SiteRow): SiteRecord => ({
  id: row.id,
  name: row.name,
  hosts: row.hosts,
  origin: row.origin,
  cache: row.cache,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

export const toSite = (record: SiteRecord): Site => ({
  id: record.id,
  hosts: record.hosts,
  origin: record.origin,
  cache: record.cache,
});

export async function listSites(pool: Pool, tenantId: string, page: PageQuery) {
  const after = decodeCursor(page.cursor) ?? '';
  const result = await pool.query<SiteRow>(
    `${selectSites} WHERE s.tenant_id = $1 AND s.id > $2 GROUP BY s.id ORDER BY s.id LIMIT $3`,
    [tenantId, after, page.limit + 1],
  );
  return toPage(result.rows.map(toRecord), page.limit, (site) => site.id);
}

export async function getSite(
  db: Pool | PoolClient,
  tenantId: string,
  id: string,
): Promise<SiteRecord> {
  const result = await db.query<SiteRow>(
    `${selectSites} WHERE s.tenant_id = $1 AND s.id = $2 GROUP BY s.id`,
    [tenantId, id],
  );
  const row = result.rows[0];
  if (!row) throw problems.notFound(`no site ${id}`);
  return toRecord(row);
}

/** Every site of every tenant, in the edge's shape (snapshot). */
export async function allSites(db: Pool | PoolClient): Promise<Site[]> {
  const result = await db.query<SiteRow>(`${selectSites} GROUP BY s.id ORDER BY s.id`);
  return result.rows.map((row) => toSite(toRecord(row)));
}

async function claimHosts(client: PoolClient, siteId: string, hosts: string[]): Promise<void> {
  for (const [index, host] of hosts.entries()) {
    const inserted = await client.query(
      'INSERT INTO site_hosts (host, site_id) VALUES ($1, $2) ON CONFLICT (host) DO NOTHING RETURNING host',
      [host, siteId],
    );
    if (inserted.rowCount === 0) {
      // Says only that the name is taken, not by whom.
      throw problems.conflict(
        `hostname ${host} is already served by another site`,
        `body/hosts/${index}`,
      );
    }
  }
}

export interface Written<T> {
  value: T;
  seq: number;
}

export async function createSite(
  pool: Pool,
  tenantId: string,
  actor: string,
  input: SiteInput,
): Promise<Written<SiteRecord>> {
  return inTransaction(pool, async (client) => {
    const id = newId('site').replace('_', '-');
    await client.query(
      'INSERT INTO sites (id, tenant_id, name, origin, cache) VALUES ($1, $2, $3, $4, $5)',
      [id, tenantId, input.name, input.origin, JSON.stringify(input.cache)],
    );
    await claimHosts(client, id, input.hosts);
    const record = await getSite(client, tenantId, id);
    await audit(client, {
      tenantId,
      actor,
      action: 'site.create',
      target: id,
      detail: { site: toSite(record) },
    });
    const seq = await appendEvent(client, { type: 'site.upsert', site: toSite(record) });
    return { value: record, seq };
  });
}

export async function updateSite(
  pool: Pool,
  tenantId: string,
  actor: string,
  id: string,
  input: SiteInput,
): Promise<Written<SiteRecord>> {
  return inTransaction(pool, async (client) => {
    const locked = await client.query(
      'SELECT id FROM sites WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
      [tenantId, id],
    );
    if (locked.rowCount === 0) throw problems.notFound(`no site ${id}`);
    await client.query(
      'UPDATE sites SET name = $3, origin = $4, cache = $5, updated_at = now() WHERE tenant_id = $1 AND id = $2',
      [tenantId, id, input.name, input.origin, JSON.stringify(input.cache)],
    );
    await client.query('DELETE FROM site_hosts WHERE site_id = $1', [id]);
    await claimHosts(client, id, input.hosts);
    const record = await getSite(client, tenantId, id);
    await audit(client, {
      tenantId,
      actor,
      action: 'site.update',
      target: id,
      detail: { site: toSite(record) },
    });
    const seq = await appendEvent(client, { type: 'site.upsert', site: toSite(record) });
    return { value: record, seq };
  });
}

export async function deleteSite(
  pool: Pool,
  tenantId: string,
  actor: string,
  id: string,
): Promise<Written<null>> {
  return inTransaction(pool, async (client) => {
    const deleted = await client.query('DELETE FROM sites WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      id,
    ]);
    if (deleted.rowCount === 0) throw problems.notFound(`no site ${id}`);
    await audit(client, { tenantId, actor, action: 'site.delete', target: id });
    const seq = await appendEvent(client, { type: 'site.delete', siteId: id });
    return { value: null, seq };
  });
}
