import type { Database } from './database.js';
import { MIGRATIONS } from './migrations/index.js';

/** Applies pending migrations in one transaction each; safe to run at every start. */
export async function migrate(db: Database): Promise<number[]> {
  const applied: number[] = [];
  await db.transaction(async (s) => {
    // Serialise concurrent starters against one server.
    if (db.engine === 'postgres') await s.query('select pg_advisory_xact_lock(7357001)');
    await s.query(
      'create table if not exists schema_migration (version integer primary key, name text not null, applied_at timestamptz not null default now())',
    );
    const done = new Set(
      (await s.query<{ version: number }>('select version from schema_migration')).map((r) => r.version),
    );
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await s.exec(m.up);
      await s.query('insert into schema_migration (version, name) values ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
  });
  return applied;
}
