// Retention of the origin's append-only tables: edge events older than the event retention and
// usage batch ids older than the usage batch retention are deleted, periodically, by one replica
// at a time (a session advisory lock; the others skip that round). The newest event is always
// kept, so the log's end (the snapshot's seq) never moves back. The highest seq deleted is kept in
// edge_events_pruned: an edge whose Last-Event-ID is below it gets a `reset` (routes/edge-link.ts).
import type { Pool } from 'pg';
import type { Logger } from '../lib/logger.ts';

/** The session advisory lock a retention round holds (any constant all replicas agree on). */
export const retentionLockId = 0x70_72_75_6e; // "prun"
/** Rows per DELETE, so no statement holds its locks for long on a big backlog. */
const batchRows = 5000;

export interface RetentionSettings {
  /** Edge events older than this are deleted (the newest is always kept). */
  eventsMs: number;
  /** Usage batch ids older than this are forgotten: a batch retried later would count again. */
  usageBatchesMs: number;
  /** How often a replica tries (default 1 hour); the first run is shortly after start. */
  intervalMs?: number;
}

export interface PruneResult {
  /** False when another replica held the lock: this one did nothing. */
  ran: boolean;
  events: number;
  usageBatches: number;
  /** Highest seq deleted so far (0 when none ever was). */
  prunedThroughSeq: number;
}

/** One retention round; `now` is for tests. */
export async function pruneOnce(
  pool: Pool,
  settings: Pick<RetentionSettings, 'eventsMs' | 'usageBatchesMs'>,
  now: Date = new Date(),
): Promise<PruneResult> {
  const client = await pool.connect();
  try {
    const lock = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1) AS locked',
      [retentionLockId],
    );
    if (!lock.rows[0]?.locked)
      return { ran: false, events: 0, usageBatches: 0, prunedThroughSeq: 0 };
    try {
      const eventsBefore = new Date(now.getTime() - settings.eventsMs);
      const batchesBefore = new Date(now.getTime() - settings.usageBatchesMs);
      let events = 0;
      for (;;) {
        // The watermark moves in the same transaction as the delete: a reader that finds an event
        // gone also finds the watermark past it.
        await client.query('BEGIN');
        try {
          const deleted = await client.query<{ seq: string | null; count: string }>(
            `WITH doomed AS (
               SELECT seq FROM edge_events
               WHERE created_at < $1 AND seq < (SELECT max(seq) FROM edge_events)
               ORDER BY seq LIMIT $2
             ), gone AS (
               DELETE FROM edge_events WHERE seq IN (SELECT seq FROM doomed) RETURNING seq
             )
             SELECT max(seq) AS seq, count(*) AS count FROM gone`,
            [eventsBefore, batchRows],
          );
          const count = Number(deleted.rows[0]?.count ?? 0);
          if (count > 0) {
            await client.query(
              'UPDATE edge_events_pruned SET through_seq = greatest(through_seq, $1)',
              [deleted.rows[0]?.seq],
            );
          }
          await client.query('COMMIT');
          events += count;
          if (count < batchRows) break;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        }
      }
      let usageBatches = 0;
      for (;;) {
        const deleted = await client.query(
          `DELETE FROM usage_batches WHERE batch_id IN (
             SELECT batch_id FROM usage_batches WHERE received_at < $1 LIMIT $2
           )`,
          [batchesBefore, batchRows],
        );
        usageBatches += deleted.rowCount ?? 0;
        if ((deleted.rowCount ?? 0) < batchRows) break;
      }
      const watermark = await client.query<{ through_seq: string }>(
        'SELECT through_seq FROM edge_events_pruned',
      );
      return {
        ran: true,
        events,
        usageBatches,
        prunedThroughSeq: Number(watermark.rows[0]?.through_seq ?? 0),
      };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [retentionLockId]);
    }
  } finally {
    client.release();
  }
}

/** Runs pruneOnce every intervalMs (first after a short delay, so a start is not slowed). */
export class RetentionJob {
  private readonly pool: Pool;
  private readonly settings: RetentionSettings;
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(pool: Pool, settings: RetentionSettings, logger: Logger) {
    this.pool = pool;
    this.settings = settings;
    this.logger = logger;
  }

  start(firstDelayMs = 30_000): void {
    this.schedule(firstDelayMs);
  }

  /** One round now; errors are logged, never thrown (the next round tries again). */
  async runOnce(): Promise<PruneResult | undefined> {
    try {
      const result = await pruneOnce(this.pool, this.settings);
      if (result.events > 0 || result.usageBatches > 0) {
        this.logger.info(
          {
            events: result.events,
            usageBatches: result.usageBatches,
            prunedThroughSeq: result.prunedThroughSeq,
          },
          'retention: pruned the event log and usage batch ids',
        );
      }
      return result;
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'retention round failed; will retry');
      return undefined;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce().finally(() => {
        this.running = undefined;
        this.schedule(this.settings.intervalMs ?? 3_600_000);
      });
    }, delayMs);
    this.timer.unref();
  }
}
