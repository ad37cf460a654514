import { PGlite, types } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { encodeCopyText } from './copy-text.js';
import { inTransaction, type Database } from './database.js';
import { Mutex } from './mutex.js';
import type { DB } from './schema.js';
import type { SqlSession } from './sql-session.js';

/**
 * PGlite behind the same interfaces as PostgreSQL. Kysely's PostgresDialect is given a one-connection
 * "pool" whose connect() takes the mutex, so a Kysely transaction and a bulk session never interleave.
 */
export async function openPgliteDatabase(dataDir: string | null): Promise<Database> {
  // Same value shapes as the pg driver: bigint ids as exact strings, dates as ISO strings.
  const parsers = { [types.INT8]: (v: string) => v, [types.DATE]: (v: string) => v };
  const pg = dataDir === null ? await PGlite.create({ parsers }) : await PGlite.create(dataDir, { parsers });
  const mutex = new Mutex();

  const session: SqlSession = {
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const res = await pg.query<R>(sql, params as unknown[]);
      return res.rows;
    },
    async exec(sql) {
      await pg.exec(sql);
    },
    async copyFrom(table, columns, rows) {
      await session.copyLines(table, columns, encodeCopyText(rows));
    },
    async copyLines(table, columns, lines) {
      if (lines.length === 0) return;
      const blob = new Blob([lines.join('\n') + '\n']);
      await pg.query(`copy ${table} (${columns.join(', ')}) from '/dev/blob'`, [], { blob });
    },
  };

  const pool = {
    connect: async () => {
      const release = await mutex.acquire();
      return {
        query: async (sql: string, params: readonly unknown[]) => {
          const res = await pg.query(sql, params as unknown[]);
          return { command: 'SELECT', rowCount: res.affectedRows ?? res.rows.length, rows: res.rows };
        },
        release: () => release(),
      };
    },
    end: async () => {},
  };

  const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pool as never }) });

  const transaction: Database['transaction'] = (fn) => mutex.run(() => inTransaction(session, fn));
  const run: Database['session'] = (fn) => mutex.run(() => fn(session));
  return {
    engine: 'pglite',
    kysely,
    transaction,
    session: run,
    reserved: { transaction, session: run },
    async close() {
      await mutex.run(async () => {
        await pg.close();
      });
    },
  };
}
