import type { SqlSession } from './sql-session.js';

/** Takes n ids from a sequence in one round trip (safe under concurrent writers). */
export async function allocateIds(session: SqlSession, sequence: string, n: number): Promise<string[]> {
  if (n === 0) return [];
  const rows = await session.query<{ id: string }>(
    `select nextval('${sequence}')::text as id from generate_series(1, $1)`,
    [n],
  );
  return rows.map((r) => r.id);
}
