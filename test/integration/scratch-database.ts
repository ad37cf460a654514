import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../../src/store/database.js';
import { openDatabase } from '../../src/store/open-database.js';

/** The machine's PostgreSQL; each suite creates its own database and drops it, so runs never interfere. */
export const ADMIN_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export function createScratchDatabase() {
  const name = `imos_test_${randomBytes(5).toString('hex')}`;
  const url = new URL(ADMIN_URL);
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  return {
    name,
    async open(): Promise<Database> {
      await admin(`create database ${name}`);
      url.pathname = `/${name}`;
      return openDatabase({ databaseUrl: url.toString() });
    },
    async drop() {
      await admin(`drop database if exists ${name} with (force)`);
    },
  };
}
