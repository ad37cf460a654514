import type { Database } from '../store/database.js';
import { recordKeyOf } from '../store/record-key.js';
import type { SqlSession } from '../store/sql-session.js';

/** A legal hold: while active, the retention job erases nothing it covers (docs/retention.md). */
export interface LegalHold {
  readonly id: string;
  /** A hold on a person covers all their facts, and the persons merged into them or they into. */
  readonly personId: string | null;
  /** A hold on one source record covers every version of it, the person it belongs to, and a
   *  quarantine entry of it. */
  readonly source: string | null;
  readonly sourceRecordId: string | null;
  readonly reason: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly releasedAt: string | null;
  readonly releasedBy: string | null;
  readonly releaseReason: string | null;
}

export type HoldTarget =
  { readonly personId: string } | { readonly source: string; readonly sourceRecordId: string };

export type HoldOutcome =
  | {
      readonly ok: true;
      readonly hold: LegalHold;
      /** The persons the hold covers now (for the audit entry): ids only. */
      readonly personIds: readonly string[];
    }
  | {
      readonly ok: false;
      readonly code: 'NOT_FOUND' | 'NOT_OPEN' | 'VALIDATION_FAILED';
      readonly message: string;
    };

const SELECT = `select id::text as id, person_id::text as "personId", source, source_record_id as "sourceRecordId",
  reason, created_by as "createdBy", created_at as "createdAt", released_at as "releasedAt",
  released_by as "releasedBy", release_reason as "releaseReason" from legal_hold`;

type Row = Omit<LegalHold, 'createdAt' | 'releasedAt'> & {
  createdAt: Date | string;
  releasedAt: Date | string | null;
};

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const toHold = (r: Row): LegalHold => ({ ...r, createdAt: iso(r.createdAt)!, releasedAt: iso(r.releasedAt) });

const ID = /^\d{1,18}$/;
export const HOLD_REASON_MIN = 10;
export const HOLD_REASON_MAX = 500;

function checkText(what: string, text: string, min: number, max: number): string | null {
  const t = text.trim();
  if (t.length < min || t.length > max) return `${what} must be ${min} to ${max} characters`;
  return null;
}

/** The persons a source record belongs to (every version; normally one person). */
async function personsOfRecord(s: SqlSession, source: string, sourceRecordId: string): Promise<string[]> {
  const rows = await s.query<{ person_id: string }>(
    `select distinct o.person_id::text as person_id from raw_record r join observation o on o.id = r.id
      where r.record_key = $1 and r.source = $2 and r.source_record_id = $3 and o.person_id is not null`,
    [recordKeyOf(sourceRecordId), source, sourceRecordId],
  );
  return rows.map((r) => r.person_id);
}

/**
 * Places a hold. The person or record must exist (in the raw records or in quarantine): a hold on
 * nothing would protect nothing and say that it does.
 */
export async function createHold(
  db: Database,
  target: HoldTarget,
  reason: string,
  by: string,
): Promise<HoldOutcome> {
  const problem =
    checkText('the reason', reason, HOLD_REASON_MIN, HOLD_REASON_MAX) ?? checkText('who', by, 1, 200);
  if (problem) return { ok: false, code: 'VALIDATION_FAILED', message: problem };
  return db.transaction(async (s) => {
    if ('personId' in target) {
      if (!ID.test(target.personId))
        return { ok: false, code: 'VALIDATION_FAILED', message: 'a person id is a number' };
      const [person] = await s.query('select 1 from person where id = $1', [target.personId]);
      if (!person) return { ok: false, code: 'NOT_FOUND', message: `no person ${target.personId}` };
      const [row] = await s.query<Row>(
        `insert into legal_hold (person_id, reason, created_by) values ($1, $2, $3)
         returning id::text as id, person_id::text as "personId", source, source_record_id as "sourceRecordId",
           reason, created_by as "createdBy", created_at as "createdAt", released_at as "releasedAt",
           released_by as "releasedBy", release_reason as "releaseReason"`,
        [target.personId, reason.trim(), by.trim()],
      );
      return { ok: true, hold: toHold(row!), personIds: [target.personId] };
    }
    const source = target.source.trim();
    const rid = target.sourceRecordId.trim();
    if (source === '' || rid === '' || source.length > 100 || rid.length > 200)
      return {
        ok: false,
        code: 'VALIDATION_FAILED',
        message: 'a record hold names a source and a record id',
      };
    const persons = await personsOfRecord(s, source, rid);
    if (persons.length === 0) {
      const [quarantined] = await s.query(
        'select 1 from quarantine where source = $1 and source_record_id = $2 limit 1',
        [source, rid],
      );
      if (!quarantined)
        return { ok: false, code: 'NOT_FOUND', message: `no record ${rid} from source ${source}` };
    }
    const [row] = await s.query<Row>(
      `insert into legal_hold (source, source_record_id, record_key, reason, created_by) values ($1, $2, $3, $4, $5)
       returning id::text as id, person_id::text as "personId", source, source_record_id as "sourceRecordId",
         reason, created_by as "createdBy", created_at as "createdAt", released_at as "releasedAt",
         released_by as "releasedBy", release_reason as "releaseReason"`,
      [source, rid, recordKeyOf(rid), reason.trim(), by.trim()],
    );
    return { ok: true, hold: toHold(row!), personIds: persons };
  });
}

/** Releases an active hold, recording who and why; a released hold is kept as it was. */
export async function releaseHold(
  db: Database,
  id: string,
  reason: string,
  by: string,
): Promise<HoldOutcome> {
  const problem = checkText('the reason', reason, 3, HOLD_REASON_MAX) ?? checkText('who', by, 1, 200);
  if (problem) return { ok: false, code: 'VALIDATION_FAILED', message: problem };
  if (!ID.test(id)) return { ok: false, code: 'NOT_FOUND', message: `no legal hold ${id}` };
  return db.transaction(async (s) => {
    const [current] = await s.query<Row>(`${SELECT} where id = $1 for update`, [id]);
    if (!current) return { ok: false, code: 'NOT_FOUND', message: `no legal hold ${id}` };
    if (current.releasedAt !== null)
      return { ok: false, code: 'NOT_OPEN', message: `legal hold ${id} was already released` };
    const [row] = await s.query<Row>(
      `update legal_hold set released_at = now(), released_by = $2, release_reason = $3 where id = $1
       returning id::text as id, person_id::text as "personId", source, source_record_id as "sourceRecordId",
         reason, created_by as "createdBy", created_at as "createdAt", released_at as "releasedAt",
         released_by as "releasedBy", release_reason as "releaseReason"`,
      [id, by.trim(), reason.trim()],
    );
    const hold = toHold(row!);
    const personIds =
      hold.personId !== null ? [hold.personId] : await personsOfRecord(s, hold.source!, hold.sourceRecordId!);
    return { ok: true, hold, personIds };
  });
}

export interface HoldFilter {
  /** active (default), released, or all. */
  readonly status?: 'active' | 'released' | 'all';
  readonly personId?: string;
  readonly limit?: number;
}

/** Holds, newest first. */
export async function listHolds(db: Database, f: HoldFilter = {}): Promise<LegalHold[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const status = f.status ?? 'active';
  if (status === 'active') where.push('released_at is null');
  if (status === 'released') where.push('released_at is not null');
  if (f.personId !== undefined) {
    params.push(f.personId);
    where.push(`person_id = $${params.length}`);
  }
  params.push(f.limit ?? 1000);
  const rows = await db.session((s) =>
    s.query<Row>(
      `${SELECT} ${where.length ? `where ${where.join(' and ')}` : ''} order by id desc limit $${params.length}`,
      params,
    ),
  );
  return rows.map(toHold);
}

/**
 * The persons active holds cover: those named, the persons a held record belongs to, and, along merges,
 * the person each of them was merged into (a hold follows its person).
 */
export async function heldPersonIds(s: SqlSession): Promise<Set<string>> {
  const rows = await s.query<{ id: string }>(
    `with recursive held(id) as (
        select person_id from legal_hold where released_at is null and person_id is not null
        union
        select o.person_id from legal_hold h
          join raw_record r on r.record_key = h.record_key and r.source = h.source and r.source_record_id = h.source_record_id
          join observation o on o.id = r.id
         where h.released_at is null and h.source is not null and o.person_id is not null
        union
        select p.merged_into from person p join held on p.id = held.id where p.merged_into is not null
      )
      select id::text as id from held`,
  );
  return new Set(rows.map((r) => r.id));
}

/** The source records active holds name, as `source \u001f source record id`. */
export async function heldRecords(s: SqlSession): Promise<Set<string>> {
  const rows = await s.query<{ source: string; rid: string }>(
    'select source, source_record_id as rid from legal_hold where released_at is null and source is not null',
  );
  return new Set(rows.map((r) => `${r.source}\u001f${r.rid}`));
}
