import type { FlatRecord } from '../core/observation/flat-columns.js';
import { parseFlatRecord } from '../core/observation/parse-flat-record.js';
import type { FieldError } from '../core/result/result.js';
import type { AppContext } from './app-context.js';
import { importSubmitted } from './import-feed.js';
import { fieldsOf } from '../ingest/raw-fields.js';
import { recordKeyOf } from '../store/record-key.js';

export interface QuarantineEntry {
  readonly id: string;
  readonly importId: string | null;
  readonly source: string;
  readonly file: string | null;
  readonly line: number | null;
  readonly sourceRecordId: string | null;
  readonly format: string;
  /** The record exactly as received. */
  readonly content: string;
  /** The fields as far as they could be read (by the import's header), a starting point for a fix. */
  readonly fields: FlatRecord;
  readonly errors: readonly FieldError[];
  readonly status: 'open' | 'resubmitted' | 'discarded';
  readonly createdAt: string;
  readonly resolution: string | null;
}

type Row = Omit<QuarantineEntry, 'fields'> & { header: string | null };

const SELECT = `select q.id::text as id, q.import_id::text as "importId", q.source, q.file, q.line, q.source_record_id as "sourceRecordId",
  q.format, q.content, q.errors, q.status, q.created_at as "createdAt", q.resolution, r.header
  from quarantine q left join import_run r on r.id = q.import_id`;

const toEntry = ({ header, ...row }: Row): QuarantineEntry => ({
  ...row,
  fields: fieldsOf(row.format, row.content, header),
});

export async function listQuarantine(
  ctx: AppContext,
  status: string = 'open',
  limit = 100,
  offset = 0,
): Promise<{ total: number; entries: QuarantineEntry[] }> {
  return ctx.db.session(async (s) => {
    const [count] = await s.query<{ n: number }>(
      'select count(*)::int as n from quarantine where status = $1',
      [status],
    );
    const rows = await s.query<Row>(`${SELECT} where q.status = $1 order by q.id limit $2 offset $3`, [
      status,
      limit,
      offset,
    ]);
    return { total: count?.n ?? 0, entries: rows.map(toEntry) };
  });
}

export async function getQuarantineEntry(ctx: AppContext, id: string): Promise<QuarantineEntry | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const [row] = await ctx.db.session((s) => s.query<Row>(`${SELECT} where q.id = $1`, [id]));
  return row ? toEntry(row) : null;
}

export type ResubmitOutcome =
  | { readonly ok: true; readonly entry: QuarantineEntry; readonly rawRecordId: string | null }
  | {
      readonly ok: false;
      readonly code: 'NOT_FOUND' | 'NOT_OPEN' | 'STILL_INVALID';
      readonly errors?: readonly FieldError[];
    };

/**
 * Resubmits a corrected record. The correction is validated like any record; if good it is imported
 * under the same source and record id (so it is the one current version), and the quarantine entry
 * records who fixed it and which raw record it became. The bad original stays in quarantine, unchanged.
 */
export async function resubmitQuarantined(
  ctx: AppContext,
  id: string,
  fields: FlatRecord,
  by: string,
): Promise<ResubmitOutcome> {
  const entry = await getQuarantineEntry(ctx, id);
  if (!entry) return { ok: false, code: 'NOT_FOUND' };
  if (entry.status !== 'open') return { ok: false, code: 'NOT_OPEN' };
  const corrected: FlatRecord = { ...fields };
  if (!corrected.record_id && entry.sourceRecordId && !entry.sourceRecordId.startsWith('hash:'))
    corrected.record_id = entry.sourceRecordId;
  const parsed = parseFlatRecord(corrected);
  if (!parsed.ok) return { ok: false, code: 'STILL_INVALID', errors: parsed.errors };
  const content = JSON.stringify(corrected);
  await importSubmitted(ctx, [{ line: null, content, fields: corrected }], entry.source, 'resubmission');
  const rid = corrected.record_id?.trim();
  const [raw] = await ctx.db.session((s) =>
    rid
      ? s.query<{ id: string }>(
          'select id::text as id from raw_record where record_key = $3 and source = $1 and source_record_id = $2 and superseded_by is null',
          [entry.source, rid, recordKeyOf(rid)],
        )
      : s.query<{ id: string }>(
          'select id::text as id from raw_record where source = $1 and content = $2 order by id desc limit 1',
          [entry.source, content],
        ),
  );
  const resolution = `resubmitted by ${by} as raw record ${raw?.id ?? '?'}`;
  await ctx.db.session((s) =>
    s.query(
      `update quarantine set status = 'resubmitted', resolved_at = now(), resolution = $2 where id = $1`,
      [id, resolution],
    ),
  );
  return { ok: true, entry: { ...entry, status: 'resubmitted', resolution }, rawRecordId: raw?.id ?? null };
}

export async function discardQuarantined(
  ctx: AppContext,
  id: string,
  reason: string,
  by: string,
): Promise<boolean> {
  const rows = await ctx.db.session((s) =>
    s.query(
      `update quarantine set status = 'discarded', resolved_at = now(), resolution = $2 where id = $1 and status = 'open' returning id`,
      [id, `discarded by ${by}: ${reason}`],
    ),
  );
  return rows.length === 1;
}
