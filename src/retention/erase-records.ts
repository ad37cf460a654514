import { recordKeyOf } from '../store/record-key.js';
import { personIndexKeys } from '../core/linkage/person-block-keys.js';
import { decodePersonLink } from '../core/linkage/person-link.js';
import type { SqlSession } from '../store/sql-session.js';

export interface PersonErasure {
  readonly personId: string;
  /** The rule that erased the person (kept on each tombstone). */
  readonly rule: string;
}

export interface ErasedCounts {
  readonly persons: number;
  readonly rawRecords: number;
  readonly observations: number;
  readonly stays: number;
  readonly tombstones: number;
}

/**
 * Erases persons whole, inside the caller's transaction: one tombstone per raw record (every version),
 * then the raw records, observations, stays, unmatched departures, identity keys and the person rows
 * (with the rows merged into them). Nothing of their content remains.
 */
export async function erasePersons(
  s: SqlSession,
  erasures: readonly PersonErasure[],
  erasedAt: Date,
): Promise<ErasedCounts> {
  if (erasures.length === 0) return { persons: 0, rawRecords: 0, observations: 0, stays: 0, tombstones: 0 };
  const ids = erasures.map((e) => e.personId);
  const [tomb] = await s.query<{ n: number }>(
    `with t as (
       insert into retention_tombstone (category, source, source_record_id, record_key, content_hash, person_id, erased_at, rule)
       select 'raw-record', r.source, r.source_record_id, r.record_key, r.content_hash, o.person_id, $3, m.rule
         from unnest($1::bigint[], $2::text[]) as m(person_id, rule)
         join observation o on o.person_id = m.person_id
         join raw_record r on r.id = o.id
       returning 1)
     select count(*)::int as n from t`,
    [ids, erasures.map((e) => e.rule), erasedAt.toISOString()],
  );
  const observationIds = (
    await s.query<{ id: string }>(
      'select id::text as id from observation where person_id = any($1::bigint[])',
      [ids],
    )
  ).map((r) => r.id);
  const [raw] = await s.query<{ n: number }>(
    `with d as (delete from raw_record where id in (select id from observation where person_id = any($1::bigint[])) returning 1)
     select count(*)::int as n from d`,
    [ids],
  );
  const [obs] = await s.query<{ n: number }>(
    `with d as (delete from observation where person_id = any($1::bigint[]) returning superseded)
     select count(*) filter (where not superseded)::int as n from d`,
    [ids],
  );
  const [stays] = await s.query<{ n: number }>(
    'with d as (delete from stay where person_id = any($1::bigint[]) returning 1) select count(*)::int as n from d',
    [ids],
  );
  await s.query('delete from unmatched_departure where person_id = any($1::bigint[])', [ids]);
  await s.query('delete from person_key where person_id = any($1::bigint[])', [ids]);
  // The persons merged into them go too, and everything the linkage keeps of them all.
  const gone = (
    await s.query<{ id: string }>(
      `with recursive gone(id) as (
          select unnest($1::bigint[])
          union
          select p.id from person p join gone on p.merged_into = gone.id where p.merged_into is not null)
       select id::text as id from gone`,
      [ids],
    )
  ).map((r) => r.id);
  await eraseLinkage(s, gone, observationIds);
  await s.query('delete from person where id = any($1::bigint[])', [gone]);
  return {
    persons: ids.length,
    rawRecords: raw!.n,
    observations: obs!.n,
    stays: stays!.n,
    tombstones: tomb!.n,
  };
}

export interface QuarantineErasure {
  readonly id: string;
  readonly source: string;
  readonly sourceRecordId: string;
  readonly contentHash: string;
  readonly rule: string;
}

/** Erases quarantine entries inside the caller's transaction, each leaving a tombstone. */
export async function eraseQuarantine(
  s: SqlSession,
  erasures: readonly QuarantineErasure[],
  erasedAt: Date,
): Promise<number> {
  if (erasures.length === 0) return 0;
  await s.copyFrom(
    'retention_tombstone',
    ['category', 'source', 'source_record_id', 'record_key', 'content_hash', 'erased_at', 'rule'],
    erasures.map((q) => [
      'quarantine',
      q.source,
      q.sourceRecordId,
      recordKeyOf(q.sourceRecordId),
      q.contentHash,
      erasedAt.toISOString(),
      q.rule,
    ]),
  );
  const [d] = await s.query<{ n: number }>(
    'with d as (delete from quarantine where id = any($1::bigint[]) returning 1) select count(*)::int as n from d',
    [erasures.map((q) => q.id)],
  );
  return d!.n;
}

/**
 * What identity resolution keeps of erased persons: their descriptors and blocking keys (found from the
 * descriptors, as the keys of a merged person keep its id), the model's decisions and reviews that name
 * them (their waterfalls hold names), the manifests they were on, and reviewers' constraints.
 */
async function eraseLinkage(
  s: SqlSession,
  persons: readonly string[],
  observationIds: readonly string[],
): Promise<void> {
  // Waterfalls name the records' values: gone with the records, whichever person they name now.
  await s.query('delete from link_decision where observation_id = any($1::bigint[])', [observationIds]);
  await s.query('delete from identity_review where observation_ids && $1::bigint[]', [observationIds]);
  const descriptors = await s.query<{ link: string }>(
    'select link from person_descriptor where person_id = any($1::bigint[])',
    [persons],
  );
  const keys = new Set<number>();
  for (const d of descriptors) for (const k of personIndexKeys(decodePersonLink(d.link))) keys.add(k);
  await s.query(
    'delete from person_block_key where key_hash = any($1::bigint[]) and person_id = any($2::bigint[])',
    [[...keys], persons],
  );
  // Keys a split left behind are not among the descriptors: sweep the rest by person.
  await s.query('delete from person_block_key where person_id = any($1::bigint[])', [persons]);
  await s.query('delete from person_descriptor where person_id = any($1::bigint[])', [persons]);
  // Which flights they were on: a trace of their travel.
  await s.query('delete from person_list where person_id = any($1::bigint[])', [persons]);
  await s.query('delete from person_follow where person_id = any($1::bigint[])', [persons]);
  await s.query(
    'delete from link_decision where person_id = any($1::bigint[]) or candidate_person_id = any($1::bigint[])',
    [persons],
  );
  await s.query(
    'delete from identity_review where record_person_id = any($1::bigint[]) or candidate_person_id = any($1::bigint[])',
    [persons],
  );
  await s.query(
    'delete from linkage_constraint where person_a = any($1::bigint[]) or person_b = any($1::bigint[])',
    [persons],
  );
}
