import type { SqlSession } from './sql-session.js';

/**
 * For the rest of the caller's transaction, the planner reads by index. An import batch looks up tens of
 * thousands of keys at once (`key = any($1)`) in tables of millions of rows, where an index finds them in
 * a third of the time of a whole-table scan. The planner, left alone, scans: its statistics lag a bulk
 * load, and blocking keys share their table with name-search keys whose long posting lists make every
 * key look like forty rows. Scans stay possible where no index serves; JIT compilation, which those
 * inflated estimates trigger, is off: it costs more than these short statements run.
 */
export async function readByIndex(session: SqlSession): Promise<void> {
  await session.exec('set local enable_seqscan = off; set local jit = off');
}
