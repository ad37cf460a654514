import type { PersonRetentionFacts, QuarantineRetentionFacts } from '../core/retention/evaluate-retention.js';
import type { SqlSession } from '../store/sql-session.js';

/** What the retention clock reads of one person, and how much of them an erasure would remove. */
export interface PersonRetentionRow extends PersonRetentionFacts {
  /** Raw records of the person, every version (each has its observation). */
  readonly rawRecords: number;
  /** Current (not superseded) observations. */
  readonly observations: number;
  readonly stays: number;
}

/**
 * The persons with facts in an id range (lo, hi]: their newest current fact, their last stay (the
 * latest admission) and how many records they have. Two range scans on the person indexes.
 */
export async function readPersonRange(
  s: SqlSession,
  lo: number,
  hi: number,
  held: ReadonlySet<string>,
): Promise<PersonRetentionRow[]> {
  const facts = await s.query<{
    person_id: string;
    versions: number;
    current: number;
    latest: string | null;
  }>(
    `select person_id::text as person_id, count(*)::int as versions,
            count(*) filter (where not superseded)::int as current,
            max(event_date) filter (where not superseded)::text as latest
       from observation where person_id > $1 and person_id <= $2 group by person_id`,
    [lo, hi],
  );
  if (facts.length === 0) return [];
  // The last stay: departed_on, or for a departure only inferred (a later admission proves it) the
  // date of that admission.
  const stays = await s.query<{
    person_id: string;
    stays: number;
    authorized_until: string | null;
    departed_on: string | null;
  }>(
    `select distinct on (s.person_id) s.person_id::text as person_id,
            count(*) over (partition by s.person_id)::int as stays,
            s.authorized_until::text as authorized_until,
            coalesce(s.departed_on, case when s.departure_inferred then d.event_date end)::text as departed_on
       from stay s left join observation d on d.id = s.departure_observation_id
      where s.person_id > $1 and s.person_id <= $2
      order by s.person_id, s.admitted_on desc, s.seq desc`,
    [lo, hi],
  );
  const lastStay = new Map(stays.map((r) => [r.person_id, r]));
  return facts.map((f) => {
    const st = lastStay.get(f.person_id);
    return {
      personId: f.person_id,
      latestFact: f.latest,
      lastStay: st ? { authorizedUntil: st.authorized_until, departedOn: st.departed_on } : null,
      held: held.has(f.person_id),
      rawRecords: f.versions,
      observations: f.current,
      stays: st?.stays ?? 0,
    };
  });
}

export interface QuarantineRetentionRow extends QuarantineRetentionFacts {
  readonly source: string;
  readonly sourceRecordId: string;
  readonly contentHash: string;
}

/** Resolved quarantine entries after an id, in id order (open ones are never erased, so not read). */
export async function readResolvedQuarantine(
  s: SqlSession,
  after: string,
  limit: number,
  held: ReadonlySet<string>,
): Promise<QuarantineRetentionRow[]> {
  const rows = await s.query<{
    id: string;
    status: string;
    resolved_on: string | null;
    source: string;
    rid: string;
    content_hash: string;
  }>(
    `select id::text as id, status, ((resolved_at at time zone 'UTC')::date)::text as resolved_on, source,
            coalesce(source_record_id, 'hash:' || content_hash) as rid, content_hash
       from quarantine where id > $1 and status <> 'open' order by id limit $2`,
    [after, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    resolvedOn: r.resolved_on,
    held: held.has(`${r.source}\u001f${r.rid}`),
    source: r.source,
    sourceRecordId: r.rid,
    contentHash: r.content_hash,
  }));
}
