import type { RulePack } from '../core/stays/rule-pack.js';
import type { Explanation } from '../identity/linkage-resolver.js';
import { arrayParam } from '../store/array-param.js';
import type { Database } from '../store/database.js';
import type { AppContext } from './app-context.js';
import { lockIdentities } from '../identity/write-persons.js';
import {
  identityFail,
  livePerson,
  mergeInTransaction,
  splitInTransaction,
  type IdentityOutcome,
} from './identity-work.js';
import { recomputeStays } from '../stays/recompute-stays.js';
import { getPerson, type PersonView } from './person-query.js';

export const REVIEW_STATUSES = ['open', 'same', 'different', 'withdrawn'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export const REVIEW_REASONS = [
  'uncertain',
  'quality-sample',
  'departure-identity',
  'arrival-identity',
] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];
/** Reviews whose "same" makes the model's match of their records count as an exact one. */
const CONFIRMS_RECORDS: ReadonlySet<ReviewReason> = new Set(['departure-identity', 'arrival-identity']);

export interface ReviewSummary {
  readonly id: string;
  readonly reason: ReviewReason;
  readonly status: ReviewStatus;
  readonly observationIds: readonly string[];
  readonly recordPersonId: string;
  readonly candidatePersonId: string;
  readonly probability: number;
  readonly matchWeight: number;
  /** Why the model may not link the pair by itself, or null. */
  readonly constraint: string | null;
  readonly createdAt: string;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly note: string | null;
}

export interface ReviewDetail extends ReviewSummary {
  readonly explanation: Explanation;
  /** The two persons side by side, as they are now (null: erased since). */
  readonly record: PersonView | null;
  readonly candidate: PersonView | null;
}

const ts = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
const SELECT = `select id::text as id, reason, status, observation_ids::text[] as "observationIds",
  record_person_id::text as "recordPersonId", candidate_person_id::text as "candidatePersonId", probability,
  match_weight as "matchWeight", explanation->>'constraint' as "constraint", ${ts('created_at')} as "createdAt",
  decided_by as "decidedBy", ${ts('decided_at')} as "decidedAt", note from identity_review`;

/** Who may see which persons: the ones of the given persons a list may name (an officer's office scope). */
export type VisiblePersons = (personIds: readonly string[]) => Promise<ReadonlySet<string>>;

/**
 * The queue: open items first-come first-served; decided ones newest first. With `visible` (an officer's
 * office scope), only the reviews one of whose persons, as they are now, is visible are listed and
 * counted: a review names both persons, and the scope that guards opening one guards listing it too.
 */
export async function listReviews(
  db: Database,
  filter: {
    status?: ReviewStatus;
    reason?: ReviewReason;
    limit?: number;
    visible?: VisiblePersons | undefined;
  },
): Promise<{ items: ReviewSummary[]; total: number }> {
  const status = filter.status ?? 'open';
  const order = status === 'open' ? 'id' : 'decided_at desc, id desc';
  const limit = filter.limit ?? 50;
  const where = 'status = $1 and ($2::text is null or reason = $2)';
  const params = [status, filter.reason ?? null];
  if (filter.visible === undefined)
    return db.session(async (s) => {
      const items = await s.query<ReviewSummary>(`${SELECT} where ${where} order by ${order} limit $3`, [
        ...params,
        limit,
      ]);
      const [count] = await s.query<{ n: number }>(
        `select count(*)::int as n from identity_review where ${where}`,
        params,
      );
      return { items, total: count!.n };
    });
  // Each review's persons as they are now: a merged person by the one it was merged into. The sessions
  // are released before `visible` runs: it reads the store too (and PGlite has one connection).
  const pairs = await db.session((s) =>
    s.query<{ id: string; record: string | null; candidate: string | null }>(
      `select r.id::text as id, coalesce(a.merged_into, a.id)::text as record, coalesce(b.merged_into, b.id)::text as candidate
         from identity_review r left join person a on a.id = r.record_person_id left join person b on b.id = r.candidate_person_id
        where r.status = $1 and ($2::text is null or r.reason = $2)
        order by ${status === 'open' ? 'r.id' : 'r.decided_at desc, r.id desc'}`,
      params,
    ),
  );
  const persons = [...new Set(pairs.flatMap((p) => [p.record, p.candidate]).filter((p) => p !== null))];
  const visible = await filter.visible(persons);
  const shown = pairs.filter(
    (p) => (p.record !== null && visible.has(p.record)) || (p.candidate !== null && visible.has(p.candidate)),
  );
  const page = shown.slice(0, limit).map((p) => p.id);
  const items =
    page.length === 0
      ? []
      : await db.session((s) =>
          s.query<ReviewSummary>(`${SELECT} where id = any($1::bigint[]) order by ${order}`, [
            arrayParam(page),
          ]),
        );
  return { items, total: shown.length };
}

export async function getReview(db: Database, pack: RulePack, id: string): Promise<ReviewDetail | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const [row] = await db.session((s) =>
    s.query<ReviewSummary & { explanation: Explanation | string }>(
      `${SELECT.replace(' from identity_review', ', explanation from identity_review')} where id = $1`,
      [id],
    ),
  );
  if (!row) return null;
  const explanation =
    typeof row.explanation === 'string' ? (JSON.parse(row.explanation) as Explanation) : row.explanation;
  const [recordId, candidateId] = await db.session(async (s) => [
    await livePerson(s, row.recordPersonId),
    await livePerson(s, row.candidatePersonId),
  ]);
  return {
    ...row,
    explanation,
    record: recordId === null ? null : await getPerson(db, pack, recordId),
    candidate: candidateId === null ? null : await getPerson(db, pack, candidateId),
  };
}

/** The persons a review pairs, as they are now (merged ones by their survivor; erased ones left out), or null: no such review. */
export async function reviewPersons(db: Database, id: string): Promise<string[] | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  return db.session(async (s) => {
    const [row] = await s.query<{ record: string; candidate: string }>(
      'select record_person_id::text as record, candidate_person_id::text as candidate from identity_review where id = $1',
      [id],
    );
    if (!row) return null;
    const live = [await livePerson(s, row.record), await livePerson(s, row.candidate)];
    return [...new Set(live.filter((p): p is string => p !== null))];
  });
}

/**
 * A reviewer's decision. On an uncertain pair, "same" merges the two persons and "different" keeps them
 * apart for good (a constraint the model and every merge honour). On a quality sample of an automatic
 * link, "same" confirms it and "different" undoes it: the records the model placed move to a person of
 * their own. On a departure the model linked, "same" confirms it (it then ends the stay) and
 * "different" moves it off the person. Either way the decision is kept with who made it, and it is a label for training.
 */
export async function decideReview(
  ctx: AppContext,
  id: string,
  decision: 'same' | 'different',
  by: string,
  note: string,
): Promise<IdentityOutcome<ReviewDetail>> {
  const review = await getReview(ctx.db, ctx.pack, id);
  if (!review) return identityFail('NOT_FOUND', `no identity review ${id}`);
  if (review.status !== 'open')
    return identityFail('CONFLICT', `identity review ${id} is already ${review.status}`);
  const a = review.record?.id;
  const b = review.candidate?.id;
  if (!a || !b) return identityFail('CONFLICT', `a person of identity review ${id} no longer exists`);
  const why = `identity review ${id}${note ? `: ${note}` : ''}`;
  // The decision and what it does are one transaction. Deciders take turns on the identity lock, then on
  // the review's row: a second decision of the same review (another reviewer, a double click) finds it
  // decided and changes nothing, and a decision is never recorded without what it did, or done twice.
  const outcome = await ctx.db.transaction(async (s): Promise<IdentityOutcome<string[]>> => {
    await lockIdentities(s);
    const [row] = await s.query<{ status: string }>(
      'select status from identity_review where id = $1 for update',
      [id],
    );
    if (row?.status !== 'open')
      return identityFail('CONFLICT', `identity review ${id} is already ${row?.status ?? 'gone'}`);
    let changed: string[] = [];
    if (review.reason === 'uncertain' && decision === 'same' && a !== b) {
      const merged = await mergeInTransaction(s, a, b, by, why, id);
      if (!merged.ok) return merged;
      changed = [merged.value.survivor];
    } else if (review.reason === 'uncertain' && decision === 'different') {
      const [x, y] = BigInt(a) < BigInt(b) ? [a, b] : [b, a];
      if (x !== y)
        await s.query(
          `insert into linkage_constraint (person_a, person_b, reason, created_by) values ($1, $2, $3, $4)
           on conflict (person_a, person_b) do nothing`,
          [x, y, `different: ${why}`, by],
        );
    } else if (CONFIRMS_RECORDS.has(review.reason) && decision === 'same') {
      // A person confirmed the match: the departure now counts as evidence (docs/departures.md), the
      // arrival as corroboration (docs/rules.md).
      await s.query("update observation set identity = 'exact' where id = any($1::bigint[])", [
        review.observationIds,
      ]);
      changed = [a];
    } else if (review.reason !== 'uncertain' && decision === 'different') {
      const moving = review.observationIds.filter((o) => review.record!.observations.some((x) => x.id === o));
      const split = await splitInTransaction(s, a, moving, by, `the model's link was wrong (${why})`);
      if (!split.ok) return split;
      changed = [split.value.personId, split.value.newPersonId];
    }
    await s.query(
      'update identity_review set status = $2, decided_by = $3, decided_at = now(), note = $4 where id = $1',
      [id, decision, by, note || null],
    );
    return { ok: true, value: changed };
  });
  if (!outcome.ok) return outcome;
  if (outcome.value.length > 0) {
    await recomputeStays(ctx.db, outcome.value, { pack: ctx.pack, asOf: ctx.asOf() });
    ctx.changes?.staysChanged(outcome.value);
  }
  return { ok: true, value: (await getReview(ctx.db, ctx.pack, id))! };
}

/** The measured error rate of the model's automatic links, from the decided quality samples. */
export async function qualityReport(db: Database): Promise<{
  sampled: number;
  open: number;
  confirmed: number;
  wrong: number;
  errorRate: number | null;
  automaticLinks: number;
}> {
  const [r] = await db.session((s) =>
    s.query<{ sampled: number; open: number; confirmed: number; wrong: number; links: number }>(
      `select count(*)::int as sampled, count(*) filter (where status = 'open')::int as open,
              count(*) filter (where status = 'same')::int as confirmed, count(*) filter (where status = 'different')::int as wrong,
              (select count(*)::int from link_decision where decision = 'linked') as links
         from identity_review where reason = 'quality-sample'`,
    ),
  );
  const decided = r!.confirmed + r!.wrong;
  return {
    sampled: r!.sampled,
    open: r!.open,
    confirmed: r!.confirmed,
    wrong: r!.wrong,
    errorRate: decided === 0 ? null : r!.wrong / decided,
    automaticLinks: r!.links,
  };
}
