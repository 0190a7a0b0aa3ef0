// Migrations against a real Postgres: replicas starting together, re-runs, and refusing a database
// migrated by a newer build.
import type pg from 'pg';
import { createTestDatabase, type TestDatabase, testPool } from '../../test/origin/harness.ts';
import { type Migration, migrate, migrations, migrationsDone } from './migrations.ts';

let db: TestDatabase;
// Versions after this build's own, for migrations that only these tests add.
const latest = Math.max(...migrations.map((migration) => migration.version));
const pools: pg.Pool[] = [];
const newPool = () => {
  const pool = testPool(db.url);
  pools.push(pool);
  return pool;
};

beforeEach(async () => {
  db = await createTestDatabase();
});

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.end()));
  await db.drop();
});

describe('migrate', () => {
  it('applies each migration once when four replicas start at the same moment', async () => {
    const results = await Promise.all(Array.from({ length: 4 }, () => migrate(newPool())));
    const applied = results.flatMap((result) => result.applied);
    expect(applied.sort()).toEqual(migrations.map((migration) => migration.version).sort());
    const pool = newPool();
    const rows = await pool.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.rows.map((row) => row.version)).toEqual(
      migrations.map((migration) => migration.version),
    );
    expect(await migrationsDone(pool)).toBe(true);
  });

  it('applies only what is new on a later start, in version order', async () => {
    const pool = newPool();
    await migrate(pool);
    const next: Migration[] = [
      ...migrations,
      { version: latest + 2, name: 'third', sql: 'ALTER TABLE tenants ADD COLUMN plan2 text' },
      { version: latest + 1, name: 'second', sql: 'ALTER TABLE tenants ADD COLUMN plan text' },
    ];
    expect(await migrationsDone(pool, next)).toBe(false);
    expect((await migrate(pool, next)).applied).toEqual([latest + 1, latest + 2]);
    expect((await migrate(pool, next)).applied).toEqual([]);
  });

  it('rolls a failing migration back whole and says which one failed', async () => {
    const pool = newPool();
    const broken: Migration[] = [
      ...migrations,
      {
        version: latest + 1,
        name: 'broken',
        sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();',
      },
    ];
    await expect(migrate(pool, broken)).rejects.toThrow(`migration ${latest + 1} (broken) failed`);
    const table = await pool.query("SELECT to_regclass('half_done') AS oid");
    expect(table.rows[0].oid).toBeNull();
    expect(await migrationsDone(pool, broken)).toBe(false);
  });

  it('refuses to run an older build against a database migrated by a newer one', async () => {
    const pool = newPool();
    await migrate(pool, [...migrations, { version: 99, name: 'future', sql: 'SELECT 1' }]);
    await expect(migrate(pool)).rejects.toThrow(/does not know \(99\)/);
  });
});
