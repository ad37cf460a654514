import { personIndexKeys } from '../core/linkage/person-block-keys.js';
import { decodePersonLink } from '../core/linkage/person-link.js';
import { allocateIds } from '../store/allocate-ids.js';
import { encodeCopyText } from '../store/copy-text.js';
import type { SqlSession } from '../store/sql-session.js';
import type { KeyGroups } from './exact-components.js';

export interface PersonsOfGroups {
  /** The person of each group. */
  readonly personOfGroup: readonly string[];
  /** Groups that became new persons. */
  readonly created: readonly number[];
  readonly merges: readonly { readonly from: string; readonly into: string }[];
}

/**
 * Gives each group its person and writes it: a group that reaches no stored person becomes a new one; a
 * group that reaches several merges them into the oldest (lowest id), so ids stay stable and a merged
 * person keeps pointing at the one it became. Stays of merged persons are dropped for recomputing.
 */
export async function writePersons(session: SqlSession, groups: KeyGroups): Promise<PersonsOfGroups> {
  const created: number[] = [];
  for (let g = 0; g < groups.count; g++) if (groups.storedPersons[g]!.length === 0) created.push(g);
  const newIds = await allocateIds(session, 'person_id_seq', created.length);
  const personOfGroup: string[] = groups.storedPersons.map((persons) => persons[0] ?? '');
  created.forEach((g, i) => (personOfGroup[g] = newIds[i]!));

  const merges: { from: string; into: string }[] = [];
  groups.storedPersons.forEach((persons, g) => {
    for (const loser of persons.slice(1)) merges.push({ from: loser, into: personOfGroup[g]! });
  });

  await session.copyFrom(
    'person',
    ['id'],
    newIds.map((id) => [id]),
  );
  // In key order (store/index-order.ts): the lines start with the key, so a plain sort is the index's.
  await session.copyLines(
    'person_key',
    ['key', 'person_id'],
    encodeCopyText(groups.newKeys.map(({ key, group }) => [key, personOfGroup[group]!])).sort(),
  );
  if (merges.length > 0) await mergePersons(session, merges);
  return { personOfGroup, created, merges };
}

/** Moves every fact and key of each `from` person onto its `into` person; the merged person stays, pointing there. */
export async function mergePersons(
  session: SqlSession,
  merges: readonly { readonly from: string; readonly into: string }[],
): Promise<void> {
  const from = merges.map((m) => m.from);
  const into = merges.map((m) => m.into);
  const pairs = 'select * from unnest($1::bigint[], $2::bigint[]) as m(from_id, into_id)';
  await session.query(
    `update person_key k set person_id = m.into_id from (${pairs}) m where k.person_id = m.from_id`,
    [from, into],
  );
  await session.query(
    `update observation o set person_id = m.into_id from (${pairs}) m where o.person_id = m.from_id`,
    [from, into],
  );
  // Earlier merges into a merged person now point at its survivor: merged_into is always one step.
  await session.query(
    `update person p set merged_into = m.into_id from (${pairs}) m where p.id = m.from_id or p.merged_into = m.from_id`,
    [from, into],
  );
  // The person index moves too: the keys of a merged person are found from its descriptors.
  const descriptors = await session.query<{ person_id: string; link: string }>(
    'select person_id::text as person_id, link from person_descriptor where person_id = any($1::bigint[])',
    [from],
  );
  const intoOf = new Map(merges.map((m) => [m.from, m.into]));
  const moved = new Map<string, [string, string, string]>();
  for (const d of descriptors)
    for (const key of personIndexKeys(decodePersonLink(d.link)))
      moved.set(`${key}:${d.person_id}`, [String(key), d.person_id, intoOf.get(d.person_id)!]);
  const keyMoves = [...moved.values()];
  // The keys are also named by an array the index finds (`= any($1)`): joined with the moves alone, the
  // planner read the whole table in index order and sorted it to merge-join them (measured: 949 ms for
  // 3,000 moves among 816 k keys, 192 ms so), a cost that grew with the store.
  if (keyMoves.length > 0)
    await session.query(
      `update person_block_key k set person_id = m.into_id
         from unnest($1::bigint[], $2::bigint[], $3::bigint[]) as m(key_hash, from_id, into_id)
        where k.key_hash = any($1::bigint[]) and k.key_hash = m.key_hash and k.person_id = m.from_id`,
      [keyMoves.map((m) => m[0]), keyMoves.map((m) => m[1]), keyMoves.map((m) => m[2])],
    );
  await session.query(
    `insert into person_descriptor (person_id, descriptor_hash, link)
     select m.into_id, d.descriptor_hash, d.link from person_descriptor d join (${pairs}) m on d.person_id = m.from_id
     on conflict do nothing`,
    [from, into],
  );
  await session.query('delete from person_descriptor where person_id = any($1::bigint[])', [from]);
  // The manifests the merged person was on, the survivor is now on.
  await session.query(
    `insert into person_list (list_key, person_id)
     select l.list_key, m.into_id from person_list l join (${pairs}) m on l.person_id = m.from_id
     on conflict do nothing`,
    [from, into],
  );
  await session.query('delete from person_list where person_id = any($1::bigint[])', [from]);
  // Decisions that kept the merged person apart from someone now keep the survivor apart from them.
  await session.query(
    `insert into linkage_constraint (person_a, person_b, reason, created_by, created_at)
     select least(m.into_id, o.other), greatest(m.into_id, o.other), c.reason, c.created_by, c.created_at
       from linkage_constraint c
       join (${pairs}) m on c.person_a = m.from_id or c.person_b = m.from_id
       cross join lateral (select case when c.person_a = m.from_id then c.person_b else c.person_a end as other) o
      where o.other <> m.into_id
     on conflict do nothing`,
    [from, into],
  );
  await session.query(
    `insert into person_follow (user_id, person_id, created_at)
     select f.user_id, m.into_id, f.created_at from person_follow f join (${pairs}) m on f.person_id = m.from_id
     on conflict do nothing`,
    [from, into],
  );
  await session.query('delete from person_follow where person_id = any($1::bigint[])', [from]);
  // A merge clears the "identity verified" mark: the person is no longer the one that was verified.
  await session.query(
    `update person set identity_verified_at = null, identity_verified_by = null, identity_verified_how = null
      where id = any($1::bigint[]) and identity_verified_at is not null`,
    [into],
  );
  await session.query('delete from stay where person_id = any($1::bigint[])', [from]);
  await session.query('delete from unmatched_departure where person_id = any($1::bigint[])', [from]);
}

/**
 * Identity writes take turns (placing a batch, a merge, a split), in the caller's transaction: a batch
 * that read a person before a merge committed would otherwise place records on the merged id.
 */
export async function lockIdentities(session: SqlSession): Promise<void> {
  await session.query('select pg_advisory_xact_lock(hashtext($1))', ['identity']);
}
