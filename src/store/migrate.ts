import { createHash } from 'node:crypto';
import type { Database } from './database.js';
import { MIGRATIONS } from './migrations/index.js';

/** The store was made by a schema this code does not know: migrating it would corrupt it. */
export class SchemaMismatchError extends Error {
  readonly code = 'STORE_SCHEMA_MISMATCH';
}

const checksumOf = (sql: string) => createHash('sha256').update(sql).digest('hex').slice(0, 16);

/**
 * Applies pending migrations in one transaction each; safe to run at every start. Each applied
 * migration's checksum is recorded, and a store whose applied migrations differ from this code's is
 * refused with a clear error rather than run against a schema the code does not expect.
 */
export async function migrate(db: Database): Promise<number[]> {
  const applied: number[] = [];
  await db.transaction(async (s) => {
    // Serialise concurrent starters against one server.
    if (db.engine === 'postgres') await s.query('select pg_advisory_xact_lock(7357001)');
    await s.query(
      'create table if not exists schema_migration (version integer primary key, name text not null, checksum text, applied_at timestamptz not null default now())',
    );
    // Stores made before checksums were recorded read as mismatched: their schema is not known to be this one.
    await s.query('alter table schema_migration add column if not exists checksum text');
    const done = new Map(
      (
        await s.query<{ version: number; checksum: string | null }>(
          'select version, checksum from schema_migration',
        )
      ).map((r) => [r.version, r.checksum]),
    );
    for (const m of MIGRATIONS) {
      const checksum = checksumOf(m.up);
      if (done.has(m.version)) {
        if (done.get(m.version) !== checksum)
          throw new SchemaMismatchError(
            `the store was made by a different version of migration ${m.version} (${m.name}); ` +
              'a development data folder can be deleted (npm start reloads the demo data), a production store needs a migration',
          );
        continue;
      }
      await s.exec(m.up);
      await s.query('insert into schema_migration (version, name, checksum) values ($1, $2, $3)', [
        m.version,
        m.name,
        checksum,
      ]);
      applied.push(m.version);
    }
  });
  return applied;
}
