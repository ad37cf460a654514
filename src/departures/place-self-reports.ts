import type { AppContext } from '../app/app-context.js';
import { importSubmitted } from '../app/import-feed.js';
import type { FlatRecord } from '../core/observation/flat-columns.js';
import { SELF_REPORT_SOURCE } from './self-report.js';

export interface PlacingOptions {
  /** Most reports taken in one round (default 20). */
  readonly limit?: number;
  /**
   * How long a process holds the reports it took (default one minute): placing one takes far less; a
   * process that dies holding them leaves them to the next one after this.
   */
  readonly leaseMs?: number;
  /** After a failed try, how long until the next (default 10 s, doubling per try, at most an hour). */
  readonly retryDelayMs?: (attempts: number) => number;
}

export interface PlacingRound {
  /** Reports taken this round. */
  readonly claimed: number;
  readonly placed: number;
  /** Reports that could not be placed this time: still pending, tried again later. */
  readonly failed: readonly { readonly confirmation: string; readonly error: string }[];
}

const backoff = (attempts: number) => Math.min(10_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);

/**
 * Places one round of pending self-reports: each is imported under the source `self-report` as the
 * public input it is (it may join one person, never merge two), its person's stays are recomputed, and
 * only then is it removed from the pending ones. A crash anywhere leaves it pending, and placing it again
 * is harmless: the import finds a record it already holds unchanged. Reports are taken with a lease, so
 * several processes over one PostgreSQL share the work without placing one report twice at a time.
 */
export async function placePendingSelfReports(
  ctx: AppContext,
  options: PlacingOptions = {},
): Promise<PlacingRound> {
  const limit = options.limit ?? 20;
  const leaseMs = options.leaseMs ?? 60_000;
  const retryDelayMs = options.retryDelayMs ?? backoff;
  const claimed = await ctx.db.transaction((s) =>
    s.query<{ confirmation: string; content: string; fields: FlatRecord; attempts: number }>(
      `update self_report_pending p set not_before = now() + $1 * interval '1 millisecond', attempts = p.attempts + 1
        where p.confirmation in (
          select confirmation from self_report_pending
           where not_before is null or not_before <= now()
           order by received_at limit $2 for update skip locked)
        returning p.confirmation, p.content, p.fields, p.attempts`,
      [leaseMs, limit],
    ),
  );
  let placed = 0;
  const failed: { confirmation: string; error: string }[] = [];
  for (const report of claimed) {
    try {
      await importSubmitted(
        ctx,
        [{ line: null, content: report.content, fields: report.fields }],
        SELF_REPORT_SOURCE,
        'ndjson',
        undefined,
        { publicInput: true },
      );
      await ctx.db.session((s) =>
        s.query('delete from self_report_pending where confirmation = $1', [report.confirmation]),
      );
      placed++;
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      failed.push({ confirmation: report.confirmation, error });
      // If even this fails (the store is away), the lease runs out and the report is tried again.
      await ctx.db
        .session((s) =>
          s.query(
            `update self_report_pending set last_error = $2, not_before = now() + $3 * interval '1 millisecond'
              where confirmation = $1`,
            [report.confirmation, error.slice(0, 2000), retryDelayMs(report.attempts)],
          ),
        )
        .catch(() => undefined);
    }
  }
  return { claimed: claimed.length, placed, failed };
}
