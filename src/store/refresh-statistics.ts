import type { Database } from './database.js';

/** Below this many new rows the statistics stay close enough (and PGlite has no autovacuum to lag). */
export const BULK_ROWS = 10_000;

/**
 * Refreshes the planner's statistics of the tables a bulk import grows. Right after a million rows the
 * planner still believes the old numbers (thousands of rows per person instead of two or three) and
 * picks parallel scans for point reads: a person page then costs 5 ms instead of 1.
 */
export async function refreshStatistics(db: Database): Promise<void> {
  await db.session((s) =>
    s.exec('analyze raw_record, observation, person, person_key, stay, unmatched_departure'),
  );
}
