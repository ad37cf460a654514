import { lockIdentities, mergePersons } from '../identity/write-persons.js';
import { rebuildPersonIndex } from '../identity/rebuild-person-index.js';
import { allocateIds } from '../store/allocate-ids.js';
import type { SqlSession } from '../store/sql-session.js';
import { recomputeStays } from '../stays/recompute-stays.js';
import type { AppContext } from './app-context.js';
import {
  observationFromRaw,
  RAW_COLUMNS,
  RAW_OF_OBSERVATION,
  type RawObservationRow,
} from './stored-observation.js';

export type IdentityOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      readonly code: 'NOT_FOUND' | 'CONFLICT' | 'VALIDATION_FAILED';
      readonly message: string;
    };

export const identityFail = <T>(
  code: 'NOT_FOUND' | 'CONFLICT' | 'VALIDATION_FAILED',
  message: string,
): IdentityOutcome<T> => ({ ok: false, code, message });

const pair = (a: string, b: string): [string, string] => (BigInt(a) < BigInt(b) ? [a, b] : [b, a]);

/** The person a stored id stands for now: itself, or the person it was merged into. */
export async function livePerson(s: SqlSession, id: string): Promise<string | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const [p] = await s.query<{ id: string }>(
    'select coalesce(merged_into, id)::text as id from person where id = $1',
    [id],
  );
  return p?.id ?? null;
}

/** Whether a reviewer (or a split) decided that two persons are different people. */
async function keptApart(s: SqlSession, a: string, b: string): Promise<string | null> {
  const [x, y] = pair(a, b);
  const [c] = await s.query<{ reason: string; created_by: string }>(
    'select reason, created_by from linkage_constraint where person_a = $1 and person_b = $2',
    [x, y],
  );
  return c ? `${c.created_by}: ${c.reason}` : null;
}

/**
 * Joins two persons into the older one (lowest id) on a person's decision: every fact, key and
 * descriptor moves; the "identity verified" mark is cleared; stays are recomputed. Refused when a
 * decision keeps them apart.
 */
export async function mergeByDecision(
  ctx: AppContext,
  a: string,
  b: string,
  by: string,
  reason: string,
): Promise<IdentityOutcome<{ survivor: string; merged: string }>> {
  const outcome = await ctx.db.transaction(async (s) => {
    await lockIdentities(s);
    return mergeInTransaction(s, a, b, by, reason, null);
  });
  if (outcome.ok)
    await recomputeStays(ctx.db, [outcome.value.survivor], { pack: ctx.pack, asOf: ctx.asOf() });
  return outcome;
}

/** The merge itself, in the caller's transaction, which holds the identity lock; stays are the caller's. */
export async function mergeInTransaction(
  s: SqlSession,
  a: string,
  b: string,
  by: string,
  reason: string,
  /** The review that decided the merge: it is closed by its decision, not withdrawn. */
  decidingReview: string | null,
): Promise<IdentityOutcome<{ survivor: string; merged: string }>> {
  const pa = await livePerson(s, a);
  const pb = await livePerson(s, b);
  if (pa === null) return identityFail<{ survivor: string; merged: string }>('NOT_FOUND', `no person ${a}`);
  if (pb === null) return identityFail<{ survivor: string; merged: string }>('NOT_FOUND', `no person ${b}`);
  if (pa === pb)
    return identityFail<{ survivor: string; merged: string }>(
      'CONFLICT',
      `persons ${a} and ${b} are one person already (${pa})`,
    );
  const apart = await keptApart(s, pa, pb);
  if (apart)
    return identityFail<{ survivor: string; merged: string }>(
      'CONFLICT',
      `persons ${pa} and ${pb} were decided to be different (${apart}); that decision stands`,
    );
  const [survivor, merged] = pair(pa, pb);
  await mergePersons(s, [{ from: merged, into: survivor }]);
  await s.query(
    `update identity_review set status = 'withdrawn', decided_by = $3, decided_at = now(), note = $4
      where status = 'open' and id is distinct from $5::bigint
        and ((record_person_id = $1 and candidate_person_id = $2) or (record_person_id = $2 and candidate_person_id = $1))`,
    [merged, survivor, by, `merged: ${reason}`, decidingReview],
  );
  return { ok: true as const, value: { survivor, merged } };
}

/**
 * Moves the given observations of a person onto a new person, and keeps the two apart from then on: a
 * wrong link undone. Keys, descriptors and stays of both are rebuilt; the "identity verified" mark of
 * the person split is cleared.
 */
export async function splitPerson(
  ctx: AppContext,
  personId: string,
  observationIds: readonly string[],
  by: string,
  reason: string,
): Promise<IdentityOutcome<{ personId: string; newPersonId: string }>> {
  const outcome = await ctx.db.transaction(async (s) => {
    await lockIdentities(s);
    return splitInTransaction(s, personId, observationIds, by, reason);
  });
  if (outcome.ok) {
    const both = [outcome.value.personId, outcome.value.newPersonId];
    await recomputeStays(ctx.db, both, { pack: ctx.pack, asOf: ctx.asOf() });
    ctx.changes?.staysChanged(both);
  }
  return outcome;
}

/** The split itself, in the caller's transaction, which holds the identity lock; stays are the caller's. */
export async function splitInTransaction(
  s: SqlSession,
  personId: string,
  observationIds: readonly string[],
  by: string,
  reason: string,
): Promise<IdentityOutcome<{ personId: string; newPersonId: string }>> {
  type Split = { personId: string; newPersonId: string };
  if (observationIds.length === 0 || observationIds.some((id) => !/^\d{1,18}$/.test(id)))
    return identityFail<Split>('VALIDATION_FAILED', 'name the observations to move (ids)');
  const [person] = await s.query<{ merged_into: string | null }>(
    'select merged_into::text as merged_into from person where id = $1',
    [personId],
  );
  if (!person) return identityFail<Split>('NOT_FOUND', `no person ${personId}`);
  if (person.merged_into)
    return identityFail<Split>(
      'CONFLICT',
      `person ${personId} was merged into ${person.merged_into}: split that one`,
    );
  const rows = await s.query<RawObservationRow & { superseded: boolean }>(
    `select ${RAW_COLUMNS}, o.superseded from observation o ${RAW_OF_OBSERVATION} where o.person_id = $1`,
    [personId],
  );
  const moving = new Set(observationIds);
  const foreign = observationIds.filter((id) => !rows.some((r) => r.id === id));
  if (foreign.length > 0)
    return identityFail<Split>(
      'VALIDATION_FAILED',
      `observations ${foreign.join(', ')} are not person ${personId}'s`,
    );
  if (rows.filter((r) => !r.superseded).every((r) => moving.has(r.id)))
    return identityFail<Split>(
      'VALIDATION_FAILED',
      'a split keeps at least one current observation on the person',
    );
  const [newPersonId] = await allocateIds(s, 'person_id_seq', 1);
  await s.query('insert into person (id) values ($1)', [newPersonId]);
  await s.query('update observation set person_id = $2 where id = any($1::bigint[])', [
    [...moving],
    newPersonId,
  ]);
  const factsOf = (keep: (id: string) => boolean) =>
    rows
      .filter((r) => !r.superseded && keep(r.id))
      .flatMap((r) => {
        const o = observationFromRaw(r);
        return o ? [{ person: o.person, admissionNumber: o.admissionNumber }] : [];
      });
  await rebuildPersonIndex(
    s,
    personId,
    factsOf((id) => !moving.has(id)),
  );
  await rebuildPersonIndex(
    s,
    newPersonId!,
    factsOf((id) => moving.has(id)),
  );
  const [x, y] = pair(personId, newPersonId!);
  await s.query(
    `insert into linkage_constraint (person_a, person_b, reason, created_by) values ($1, $2, $3, $4)
     on conflict (person_a, person_b) do nothing`,
    [x, y, `split: ${reason}`, by],
  );
  await s.query(
    `update person set identity_verified_at = null, identity_verified_by = null, identity_verified_how = null where id = $1`,
    [personId],
  );
  await s.query('delete from unmatched_departure where person_id = $1', [personId]);
  return { ok: true as const, value: { personId, newPersonId: newPersonId! } };
}

/** Records who verified a person's identity, how and when; a later merge or split clears it. */
export async function markIdentityVerified(
  ctx: AppContext,
  personId: string,
  by: string,
  how: string,
): Promise<IdentityOutcome<{ personId: string; by: string; how: string; at: string }>> {
  const [row] = await ctx.db.session((s) =>
    s.query<{ at: string; merged_into: string | null }>(
      `update person set identity_verified_at = now(), identity_verified_by = $2, identity_verified_how = $3
        where id = $1 and merged_into is null
        returning to_char(identity_verified_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at, merged_into::text as merged_into`,
      [personId, by, how],
    ),
  );
  if (!row) {
    const live = await ctx.db.session((s) => livePerson(s, personId));
    return live === null
      ? identityFail('NOT_FOUND', `no person ${personId}`)
      : identityFail('CONFLICT', `person ${personId} was merged into ${live}: verify that one`);
  }
  return { ok: true, value: { personId, by, how, at: row.at } };
}
