import type { AppContext } from '../app/app-context.js';
import { importSubmitted } from '../app/import-feed.js';
import type { FlatRecord } from '../core/observation/flat-columns.js';
import { FLAT_COLUMNS } from '../core/observation/flat-columns.js';
import { exactKeys } from '../core/identity/exact-keys.js';
import type { Observation } from '../core/observation/observation.js';
import { parseFlatRecord } from '../core/observation/parse-flat-record.js';
import type { FieldError } from '../core/result/result.js';
import { RAW_OF_OBSERVATION } from '../app/stored-observation.js';
import { fieldsOf } from '../ingest/raw-fields.js';
import type { Database } from '../store/database.js';
import { createHold, releaseHold } from '../retention/legal-holds.js';
import type { DisputeStatus } from './dispute-intake.js';

export interface DisputeView {
  readonly id: string;
  readonly ticket: string;
  readonly submittedAt: string;
  readonly status: DisputeStatus;
  readonly statement: string;
  readonly claimedIdentity: Record<string, string | undefined>;
  readonly contact: string;
  readonly personId: string | null;
  readonly identityVerified: { readonly by: string; readonly how: string; readonly at: string } | null;
  readonly changes: readonly DisputeChange[];
  readonly answer: string | null;
  readonly closedAt: string | null;
}

export interface DisputeChange {
  readonly at: string;
  readonly by: string;
  readonly observationId: string;
  readonly newObservationId: string | null;
  /** What the person reads on the status page. */
  readonly summary: string;
}

export type RedressOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      readonly code: 'NOT_FOUND' | 'CONFLICT' | 'STILL_INVALID';
      readonly message: string;
      readonly errors?: readonly FieldError[];
    };

const fail = <T>(
  code: 'NOT_FOUND' | 'CONFLICT' | 'STILL_INVALID',
  message: string,
  errors?: readonly FieldError[],
): RedressOutcome<T> => ({ ok: false, code, message, ...(errors ? { errors } : {}) });

const ts = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

const SELECT = `select id::text as id, ticket, ${ts('submitted_at')} as "submittedAt", status, statement,
  claimed_identity as "claimedIdentity", contact, person_id::text as "personId", identity_verified_by, identity_verified_how,
  ${ts('identity_verified_at')} as identity_verified_at, changes, answer, ${ts('closed_at')} as "closedAt" from dispute`;

type Row = Omit<DisputeView, 'identityVerified'> & {
  identity_verified_by: string | null;
  identity_verified_how: string | null;
  identity_verified_at: string | null;
};

const toView = ({
  identity_verified_by: by,
  identity_verified_how: how,
  identity_verified_at: at,
  ...r
}: Row) => ({
  ...r,
  identityVerified: by && how && at ? { by, how, at } : null,
});

/** The redress queue: open disputes first, oldest first (they have waited longest). */
export async function listDisputes(
  db: Database,
  status: DisputeStatus | 'open',
  limit = 100,
): Promise<DisputeView[]> {
  const where = status === 'open' ? "status in ('received', 'in-review')" : 'status = $2';
  const rows = await db.session((s) =>
    s.query<Row>(
      `${SELECT} where ${where} order by id limit $1`,
      status === 'open' ? [limit] : [limit, status],
    ),
  );
  return rows.map(toView);
}

export async function getDispute(db: Database, id: string): Promise<DisputeView | null> {
  const [row] = await db.session((s) => s.query<Row>(`${SELECT} where id = $1`, [id]));
  return row ? toView(row) : null;
}

async function openDispute(db: Database, id: string): Promise<RedressOutcome<DisputeView>> {
  const d = await getDispute(db, id);
  if (!d) return fail('NOT_FOUND', `no dispute ${id}`);
  if (d.status === 'closed') return fail('CONFLICT', `dispute ${d.ticket} is closed`);
  return { ok: true, value: d };
}

/**
 * An officer names the person the dispute is about (found by search); identity must then be verified
 * again. The person's records are put on legal hold until the dispute closes, so retention cannot erase
 * the facts under dispute.
 */
export async function linkDisputeToPerson(
  db: Database,
  id: string,
  personId: string,
  by: string,
): Promise<RedressOutcome<DisputeView>> {
  const d = await openDispute(db, id);
  if (!d.ok) return d;
  const [person] = await db.session((s) =>
    s.query<{ merged_into: string | null }>(
      'select merged_into::text as merged_into from person where id = $1',
      [personId],
    ),
  );
  if (!person) return fail('NOT_FOUND', `no person ${personId}`);
  if (person.merged_into)
    return fail('CONFLICT', `person ${personId} was merged into ${person.merged_into}: link that one`);
  await releaseDisputeHold(db, id, d.value.ticket, by, 'the dispute was linked to another person');
  const hold = await createHold(db, { personId }, `open dispute ${d.value.ticket}`, by);
  if (!hold.ok) return fail('CONFLICT', `the person's records could not be put on hold: ${hold.message}`);
  await db.session((s) =>
    s.query(
      `update dispute set person_id = $2, legal_hold_id = $3, status = 'in-review', identity_verified_by = null,
              identity_verified_how = null, identity_verified_at = null where id = $1`,
      [id, personId, hold.hold.id],
    ),
  );
  return { ok: true, value: (await getDispute(db, id))! };
}

async function releaseDisputeHold(db: Database, id: string, ticket: string, by: string, why: string) {
  const [row] = await db.session((s) =>
    s.query<{ hold: string | null }>('select legal_hold_id::text as hold from dispute where id = $1', [id]),
  );
  if (row?.hold) await releaseHold(db, row.hold, `dispute ${ticket}: ${why}`, by);
}

/** Before any correction, the officer records how they verified that the disputer is the person linked. */
export async function recordIdentityVerification(
  db: Database,
  id: string,
  how: string,
  by: string,
): Promise<RedressOutcome<DisputeView>> {
  const d = await openDispute(db, id);
  if (!d.ok) return d;
  if (!d.value.personId)
    return fail('CONFLICT', 'link the dispute to a person before verifying their identity');
  await db.session((s) =>
    s.query(
      'update dispute set identity_verified_by = $2, identity_verified_how = $3, identity_verified_at = now() where id = $1',
      [id, by, how],
    ),
  );
  return { ok: true, value: (await getDispute(db, id))! };
}

interface StoredFact {
  id: string;
  person_id: string | null;
  superseded: boolean;
  kind: string;
  event_date: string;
  source: string;
  source_record_id: string;
  content: string;
  format: string | null;
  header: string | null;
}

/** A fact with the raw record it was read from (and that record's import, for its header). */
const SELECT_FACT = `select o.id::text as id, o.person_id::text as person_id, o.superseded, o.kind,
  to_char(o.event_date, 'YYYY-MM-DD') as event_date, r.source, r.source_record_id, r.content, i.format, i.header
  from observation o ${RAW_OF_OBSERVATION}`;

const staysOf = (db: Database, personId: string) =>
  db.session((s) =>
    s.query<{ admission_id: string; outcome: string; admitted_on: string }>(
      `select admission_id::text as admission_id, outcome, to_char(admitted_on, 'YYYY-MM-DD') as admitted_on
         from stay where person_id = $1 order by seq`,
      [personId],
    ),
  );

/**
 * Corrects one of the person's facts: the corrected record is a new version under the same source and
 * record id, so it supersedes the wrong one (which is kept), and every stay of the person is recomputed
 * (and with them the reports). The ticket records what changed, for the person to read.
 */
export async function correctFact(
  ctx: AppContext,
  id: string,
  observationId: string,
  fields: FlatRecord,
  by: string,
): Promise<RedressOutcome<DisputeView>> {
  const d = await openDispute(ctx.db, id);
  if (!d.ok) return d;
  const personId = d.value.personId;
  if (!personId) return fail('CONFLICT', 'link the dispute to a person first');
  if (!d.value.identityVerified)
    return fail('CONFLICT', "record how the person's identity was verified first");
  const [fact] = await ctx.db.session((s) =>
    s.query<StoredFact>(`${SELECT_FACT} where o.id = $1`, [observationId]),
  );
  if (!fact || fact.person_id !== personId)
    return fail('NOT_FOUND', `record ${observationId} is not one of person ${personId}'s`);
  if (fact.superseded) return fail('CONFLICT', `record ${observationId} was already superseded`);
  const before = fieldsOf(fact.format ?? 'csv', fact.content, fact.header);
  // The correction keeps the record's identity in its source, so it supersedes the wrong version.
  const corrected: FlatRecord = { ...fields, record_id: fact.source_record_id };
  const parsed = parseFlatRecord(corrected);
  if (!parsed.ok) return fail('STILL_INVALID', 'the corrected record is invalid', parsed.errors);
  const changed = FLAT_COLUMNS.filter(
    (c) => c !== 'record_id' && (before[c] ?? '').trim() !== (corrected[c] ?? '').trim(),
  );
  if (changed.length === 0) return fail('CONFLICT', 'the correction changes nothing');

  // Redress never merges persons: a corrected identity that belongs to someone else is for identity review.
  const value = parsed.value as Observation;
  const keys = exactKeys(value.person, value.admissionNumber);
  const owners = keys.length
    ? await ctx.db.session((s) =>
        s.query<{ person_id: string }>(
          'select distinct person_id::text as person_id from person_key where key = any($1::text[])',
          [keys],
        ),
      )
    : [];
  const other = owners.find((o) => o.person_id !== personId);
  if (other)
    return fail(
      'CONFLICT',
      `the corrected identity belongs to person ${other.person_id}: joining two persons is decided in identity review, not in redress`,
    );

  const staysBefore = await staysOf(ctx.db, personId);
  const result = await importSubmitted(
    ctx,
    [{ line: null, content: JSON.stringify(corrected), fields: corrected }],
    fact.source,
    'redress-correction',
  );
  const movedAway = result.personsCreated > 0;
  const [newFact] = await ctx.db.session((s) =>
    s.query<{ id: string }>(
      `select o.id::text as id from observation o join raw_record r on r.id = o.id
        where r.source = $1 and r.source_record_id = $2 and r.superseded_by is null`,
      [fact.source, fact.source_record_id],
    ),
  );
  const staysAfter = await staysOf(ctx.db, personId);
  const outcomeChanges = staysAfter.flatMap((after) => {
    const prior = staysBefore.find((b) => b.admitted_on === after.admitted_on);
    return prior && prior.outcome !== after.outcome
      ? [`the stay from ${after.admitted_on} now reads "${after.outcome}" (was "${prior.outcome}")`]
      : [];
  });
  const summary =
    `The ${fact.kind.toLowerCase()} record of ${fact.event_date} was corrected (${changed.join(', ')})` +
    (movedAway ? '; it is no longer counted as yours' : '') +
    (outcomeChanges.length ? `; ${outcomeChanges.join('; ')}` : '; no stay outcome changed') +
    '.';
  const change: DisputeChange = {
    at: new Date().toISOString(),
    by,
    observationId,
    newObservationId: newFact?.id ?? null,
    summary,
  };
  await ctx.db.session((s) =>
    s.query(`update dispute set status = 'corrected', changes = changes || $2::jsonb where id = $1`, [
      id,
      JSON.stringify([change]),
    ]),
  );
  return { ok: true, value: (await getDispute(ctx.db, id))! };
}

/** Closes a dispute with an answer the person reads (what was found, what was or was not changed, why). */
export async function closeDispute(
  db: Database,
  id: string,
  answer: string,
  by: string,
): Promise<RedressOutcome<DisputeView>> {
  const d = await openDispute(db, id);
  if (!d.ok) return d;
  await releaseDisputeHold(db, id, d.value.ticket, by, 'the dispute is closed');
  await db.session((s) =>
    s.query(
      `update dispute set status = 'closed', answer = $2, closed_at = now(), closed_by = $3 where id = $1`,
      [id, answer, by],
    ),
  );
  return { ok: true, value: (await getDispute(db, id))! };
}

/** A current record of the linked person, with its fields as received: where a correction starts. */
export interface CorrectableRecord {
  readonly observationId: string;
  readonly kind: string;
  readonly date: string;
  readonly fields: FlatRecord;
}

export async function correctableRecords(db: Database, personId: string): Promise<CorrectableRecord[]> {
  const rows = await db.session((s) =>
    s.query<StoredFact>(
      `${SELECT_FACT} where o.person_id = $1 and not o.superseded order by o.event_date, o.id`,
      [personId],
    ),
  );
  return rows.map((r) => ({
    observationId: r.id,
    kind: r.kind,
    date: r.event_date,
    fields: fieldsOf(r.format ?? 'csv', r.content, r.header),
  }));
}
