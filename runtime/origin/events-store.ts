// The edge event log in Postgres. Writers serialise on a transaction advisory lock before drawing a
// sequence number, so events commit in sequence order: a reader that has seen seq N never later
// finds an event below N (a plain bigserial can commit 7 before 6 under concurrency).
import type { Pool, PoolClient } from 'pg';
import type { EdgeEvent } from '../lib/origin-link/wire.ts';
import type { Site } from '../lib/site.ts';

const eventWriteLockId = 0x65_76_6e_74; // "evnt"

type EventInput =
  | { type: 'site.upsert'; site: Site }
  | { type: 'site.delete'; siteId: string }
  | { type: 'purge'; purge: Omit<Extract<EdgeEvent, { type: 'purge' }>['purge'], 'committedAt'> };

/** Appends one event inside the caller's transaction; returns its sequence number. */
export async function appendEvent(client: PoolClient, event: EventInput): Promise<number> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [eventWriteLockId]);
  const siteId =
    event.type === 'site.upsert'
      ? event.site.id
      : event.type === 'site.delete'
        ? event.siteId
        : event.purge.site;
  const payload =
    event.type === 'site.upsert' ? event.site : event.type === 'site.delete' ? {} : event.purge;
  const result = await client.query<{ seq: string }>(
    'INSERT INTO edge_events (type, site_id, payload) VALUES ($1, $2, $3) RETURNING seq',
    [event.type, siteId, JSON.stringify(payload)],
  );
  return Number(result.rows[0]?.seq);
}

interface EventRow {
  seq: string;
  type: 'site.upsert' | 'site.delete' | 'purge';
  site_id: string;
  payload: Record<string, unknown>;
  created_at: Date;
}

function toWire(row: EventRow): EdgeEvent {
  const seq = Number(row.seq);
  switch (row.type) {
    case 'site.upsert':
      return { type: 'site.upsert', seq, site: row.payload as unknown as Site };
    case 'site.delete':
      return { type: 'site.delete', seq, siteId: row.site_id };
    case 'purge':
      return {
        type: 'purge',
        seq,
        purge: {
          ...(row.payload as Omit<Extract<EdgeEvent, { type: 'purge' }>['purge'], 'committedAt'>),
          committedAt: row.created_at.getTime(),
        },
      };
  }
}

/** Events after `seq`, in order, at most `limit`. */
export async function eventsAfter(pool: Pool, seq: number, limit = 1000): Promise<EdgeEvent[]> {
  const result = await pool.query<EventRow>(
    'SELECT seq, type, site_id, payload, created_at FROM edge_events WHERE seq > $1 ORDER BY seq LIMIT $2',
    [seq, limit],
  );
  return result.rows.map(toWire);
}

export async function currentSeq(db: Pool | PoolClient): Promise<number> {
  const result = await db.query<{ seq: string | null }>('SELECT max(seq) AS seq FROM edge_events');
  return Number(result.rows[0]?.seq ?? 0);
}

/** The highest seq the retention job has deleted (0 when none): Last-Event-IDs below it may miss events. */
export async function prunedThroughSeq(db: Pool | PoolClient): Promise<number> {
  const result = await db.query<{ through_seq: string }>(
    'SELECT through_seq FROM edge_events_pruned',
  );
  return Number(result.rows[0]?.through_seq ?? 0);
}

/** Runs `work` in a transaction; rolls back on any error. */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const value = await work(client);
    await client.query('COMMIT');
    return value;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
