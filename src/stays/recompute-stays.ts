import { computeStays } from '../core/stays/compute-stays.js';
import type { RulePack } from '../core/stays/rule-pack.js';
import type { StoredObservation } from '../core/observation/observation.js';
import { completeObservation } from '../core/observation/complete-observation.js';
import type { Database } from '../store/database.js';

export interface RecomputeOptions {
  readonly pack: RulePack;
  /** The day outcomes are judged on (an in-country overstay's days so far count to it). */
  readonly asOf: string;
  readonly chunkSize?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

const STAY_COLUMNS = [
  'person_id',
  'seq',
  'admission_id',
  'admitted_on',
  'class_of_admission',
  'port',
  'nationality',
  'authorized_until',
  'departed_on',
  'departure_channel',
  'departure_inferred',
  'departure_observation_id',
  'outcome',
  'days_overstay',
  'rule',
  'explanation',
  'evidence',
] as const;

/**
 * Replaces the stays of the given persons with a fresh computation from their current (not superseded)
 * facts. Stays are derived state: this can run at any time, any number of times, with the same result.
 */
export async function recomputeStays(
  db: Database,
  personIds: Iterable<string>,
  options: RecomputeOptions,
): Promise<number> {
  const ids = [...personIds];
  const chunkSize = options.chunkSize ?? 5_000;
  let stays = 0;
  for (let start = 0; start < ids.length; start += chunkSize) {
    const chunk = ids.slice(start, start + chunkSize);
    stays += await db.transaction(async (s) => {
      const rows = await s.query<{ id: string; person_id: string; body: Record<string, unknown> }>(
        `select id::text as id, person_id::text as person_id, body from observation
          where person_id = any($1::bigint[]) and not superseded order by person_id`,
        [chunk],
      );
      const byPerson = new Map<string, StoredObservation[]>();
      for (const r of rows) {
        r.body['id'] = r.id;
        const obs = completeObservation(r.body) as StoredObservation;
        const list = byPerson.get(r.person_id);
        if (list) list.push(obs);
        else byPerson.set(r.person_id, [obs]);
      }
      const stayRows: unknown[][] = [];
      const unmatchedRows: unknown[][] = [];
      for (const [personId, observations] of byPerson) {
        const result = computeStays(observations, options.pack, options.asOf);
        result.stays.forEach((st, seq) => {
          stayRows.push([
            personId,
            seq,
            st.admissionId,
            st.admittedOn,
            st.classOfAdmission,
            st.port,
            st.nationality,
            st.authorizedUntil,
            st.departure?.date ?? null,
            st.departure?.channel ?? null,
            st.departure?.inferred ?? false,
            st.departure?.observationId ?? null,
            st.outcome,
            st.daysOverstay,
            st.rule,
            st.explanation,
            st.evidence,
          ]);
        });
        for (const id of result.unmatchedDepartureIds) unmatchedRows.push([id, personId]);
      }
      await s.query('delete from stay where person_id = any($1::bigint[])', [chunk]);
      await s.query('delete from unmatched_departure where person_id = any($1::bigint[])', [chunk]);
      await s.copyFrom('stay', STAY_COLUMNS, stayRows);
      await s.copyFrom('unmatched_departure', ['observation_id', 'person_id'], unmatchedRows);
      return stayRows.length;
    });
    options.onProgress?.(Math.min(start + chunkSize, ids.length), ids.length);
  }
  return stays;
}

/** Every person in the store (for a full recompute after a rule change). */
export async function allPersonIds(db: Database): Promise<string[]> {
  const rows = await db.session((s) =>
    s.query<{ id: string }>('select id::text as id from person where merged_into is null order by id'),
  );
  return rows.map((r) => r.id);
}
