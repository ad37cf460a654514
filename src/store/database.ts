import type { Kysely } from 'kysely';
import type { DB } from './schema.js';
import type { SqlSession } from './sql-session.js';

/** One store, two engines: embedded PGlite (default) or a PostgreSQL server (DATABASE_URL). */
export interface Database {
  readonly engine: 'pglite' | 'postgres';
  readonly kysely: Kysely<DB>;
  /** Runs fn on one connection inside a transaction; commits if fn resolves, rolls back if it throws. */
  transaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Runs fn on one connection without a transaction (e.g. read-only scans). */
  session<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /**
   * A connection kept for short writes that must not queue behind reads: the audit log, which every
   * request for personal data waits on. (PGlite has one connection: the same as the others.)
   */
  readonly reserved: Pick<Database, 'transaction' | 'session'>;
  close(): Promise<void>;
}

export async function inTransaction<T>(session: SqlSession, fn: (s: SqlSession) => Promise<T>): Promise<T> {
  await session.query('begin');
  try {
    const result = await fn(session);
    await session.query('commit');
    return result;
  } catch (err) {
    await session.query('rollback');
    throw err;
  }
}
