import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../../src/store/database.js';
import { openDatabase } from '../../src/store/open-database.js';

/** The machine's PostgreSQL; each suite creates its own database and drops it, so runs never interfere. */
export const ADMIN_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A database of its own on the server at adminUrl (the tests' server unless told): open() creates it, drop() removes it. */
export function createScratchDatabase(prefix = 'imos_test', adminUrl = ADMIN_URL) {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  return {
    name,
    url: url.toString(),
    async open(): Promise<Database> {
      await admin(`create database ${name}`);
      return openDatabase({ databaseUrl: url.toString() });
    },
    async drop() {
      await admin(`drop database if exists ${name} with (force)`);
    },
  };
}
