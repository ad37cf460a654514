import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './database.js';
import { migrate } from './migrate.js';
import { openPgliteDatabase } from './pglite-database.js';
import { openPostgresDatabase } from './postgres-database.js';

export interface StoreOptions {
  /** postgres://… selects a PostgreSQL server; otherwise embedded PGlite. */
  readonly databaseUrl?: string | undefined;
  /** PGlite data folder (default ./data). */
  readonly dataDir?: string | undefined;
  /** PGlite in memory: nothing written to disk. */
  readonly ephemeral?: boolean | undefined;
}

/** Opens the store named by the options and brings its schema up to date. */
export async function openDatabase(options: StoreOptions): Promise<Database> {
  let db: Database;
  if (options.databaseUrl) {
    db = openPostgresDatabase(options.databaseUrl);
  } else if (options.ephemeral) {
    db = await openPgliteDatabase(null);
  } else {
    const dir = options.dataDir ?? 'data';
    mkdirSync(dir, { recursive: true });
    db = await openPgliteDatabase(join(dir, 'pglite'));
  }
  await migrate(db);
  return db;
}
