// Forward-only schema migrations, applied at start under a Postgres advisory lock so replicas
// starting together never race: the first one migrates, the others wait and find nothing to do.
import type { Pool } from 'pg';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Append only: a released migration is never edited, a change is a new version. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'control plane',
    sql: `
      CREATE TABLE tenants (
        id text PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE users (
        id text PRIMARY KEY,
        tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        email text NOT NULL UNIQUE,
        password_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX users_tenant ON users (tenant_id, id);
      CREATE TABLE api_keys (
        id text PRIMARY KEY,
        tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        name text NOT NULL,
        prefix text NOT NULL UNIQUE,
        secret_hash bytea NOT NULL,
        scopes text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz
      );
      CREATE INDEX api_keys_tenant ON api_keys (tenant_id, id);
      CREATE TABLE sites (
        id text PRIMARY KEY,
        tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        name text NOT NULL,
        origin text NOT NULL,
        cache jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX sites_tenant ON sites (tenant_id, id);
      -- One row per hostname: the primary key makes a hostname unique across all tenants.
      CREATE TABLE site_hosts (
        host text PRIMARY KEY,
        site_id text NOT NULL REFERENCES sites(id) ON DELETE CASCADE
      );
      CREATE INDEX site_hosts_site ON site_hosts (site_id);
      -- The edge event log: site upserts and deletes, purges. seq is the SSE id. Writers take a
      -- transaction advisory lock before drawing seq, so commit order equals seq order and a
      -- reader that has seen seq N has seen every event below N.
      CREATE TABLE edge_events (
        seq bigserial PRIMARY KEY,
        type text NOT NULL CHECK (type IN ('site.upsert', 'site.delete', 'purge')),
        site_id text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE purges (
        seq bigint PRIMARY KEY REFERENCES edge_events(seq),
        tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        site_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('url', 'key', 'prefix', 'all')),
        mode text NOT NULL CHECK (mode IN ('soft', 'hard')),
        "values" jsonb NOT NULL,
        idempotency_key text,
        request_hash text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, idempotency_key)
      );
      CREATE INDEX purges_tenant ON purges (tenant_id, seq DESC);
      CREATE TABLE usage_hourly (
        site_id text NOT NULL,
        tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        hour timestamptz NOT NULL,
        requests bigint NOT NULL DEFAULT 0,
        bytes bigint NOT NULL DEFAULT 0,
        hits bigint NOT NULL DEFAULT 0,
        misses bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (site_id, hour)
      );
      CREATE INDEX usage_tenant ON usage_hourly (tenant_id, site_id, hour);
      CREATE TABLE usage_batches (
        batch_id text PRIMARY KEY,
        received_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        actor text NOT NULL,
        action text NOT NULL,
        target text NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}',
        at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX audit_tenant ON audit_log (tenant_id, id DESC);
    `,
  },
  {
    version: 2,
    name: 'event log retention',
    sql: `
      -- The retention job (retention.ts) deletes old edge events; purges keep their history, so
      -- their seq no longer points at a row that must exist.
      ALTER TABLE purges DROP CONSTRAINT purges_seq_fkey;
      CREATE INDEX edge_events_created ON edge_events (created_at);
      CREATE INDEX usage_batches_received ON usage_batches (received_at);
      -- The highest seq ever deleted from edge_events: an edge whose Last-Event-ID is below it
      -- may have missed events and is told to reload the snapshot (a reset event).
      CREATE TABLE edge_events_pruned (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        through_seq bigint NOT NULL
      );
      INSERT INTO edge_events_pruned (through_seq) VALUES (0);
    `,
  },
];

/** Any constant both replicas agree on; it names the migration lock in pg_locks. */
const migrationLockId = 0x65_64_67_65; // "edge"

export interface MigrationResult {
  applied: number[];
  current: number;
}

/** Applies pending migrations in order, each in its own transaction, under a session advisory lock. */
export async function migrate(
  pool: Pool,
  list: readonly Migration[] = migrations,
): Promise<MigrationResult> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [migrationLockId]);
    try {
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version integer PRIMARY KEY,
           name text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const done = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const appliedBefore = new Set(done.rows.map((row) => row.version));
      const known = new Set(list.map((migration) => migration.version));
      const unknown = [...appliedBefore].filter((version) => !known.has(version));
      if (unknown.length > 0) {
        // A newer build migrated this database; running older code against it is refused.
        throw new Error(
          `database has migrations this build does not know (${unknown.join(', ')}): deploy the newer build`,
        );
      }
      const applied: number[] = [];
      for (const migration of [...list].sort((a, b) => a.version - b.version)) {
        if (appliedBefore.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
            migration.version,
            migration.name,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(
            `migration ${migration.version} (${migration.name}) failed: ${String(error)}`,
          );
        }
        applied.push(migration.version);
      }
      return { applied, current: Math.max(0, ...known) };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [migrationLockId]);
    }
  } finally {
    client.release();
  }
}

/** Whether every migration of this build is applied (readiness). */
export async function migrationsDone(
  pool: Pool,
  list: readonly Migration[] = migrations,
): Promise<boolean> {
  const result = await pool.query<{ count: string }>(
    `SELECT count(*) FROM schema_migrations WHERE version = ANY($1::int[])`,
    [list.map((migration) => migration.version)],
  );
  return Number(result.rows[0]?.count) === list.length;
}
