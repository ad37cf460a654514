import type { StoredObservation } from '../core/observation/observation.js';
import type { RulePack } from '../core/stays/rule-pack.js';
import type { DepartureEvidence } from '../core/stays/stay.js';
import type { Database } from '../store/database.js';
import type { SqlSession } from '../store/sql-session.js';
import { explainStoredStays } from './stay-explanations.js';
import {
  observationFromRaw,
  RAW_COLUMNS,
  RAW_OF_OBSERVATION,
  type RawObservationRow,
} from './stored-observation.js';

export interface PersonStay {
  readonly seq: number;
  readonly admissionId: string;
  readonly admittedOn: string;
  readonly classOfAdmission: string;
  readonly port: string;
  readonly nationality: string | null;
  readonly authorizedUntil: string | null;
  readonly departedOn: string | null;
  readonly departureChannel: string | null;
  readonly departureInferred: boolean;
  readonly departureObservationId: string | null;
  readonly outcome: string;
  readonly daysOverstay: number | null;
  readonly rule: string;
  /** Why this outcome, derived again on read from the facts as of `judgedOn` (ADR 16). */
  readonly explanation: string;
  readonly evidence: readonly string[];
  /** The day the stay was judged on (its outcome and an overstay's days so far are as of this day). */
  readonly judgedOn: string;
  /** How strong the departure evidence is: confirmed, pending identity review, reported, … (docs/departures.md). */
  readonly departureEvidence: DepartureEvidence | null;
}

export interface PersonView {
  readonly id: string;
  readonly mergedInto: string | null;
  /** Who verified the person's identity, how and when; a merge or split clears it. */
  readonly identityVerified: { readonly by: string; readonly how: string; readonly at: string } | null;
  /** Every name, birth date and document under which the person's records arrived. */
  readonly names: readonly string[];
  readonly birthDates: readonly string[];
  readonly documents: readonly string[];
  readonly nationalities: readonly string[];
  /** The timeline: every fact, oldest first, superseded ones marked. */
  readonly observations: readonly (StoredObservation & { readonly superseded: boolean })[];
  /** Observations whose raw record the current parser no longer accepts: shown as ids, never dropped silently. */
  readonly unreadableObservationIds: readonly string[];
  readonly stays: readonly PersonStay[];
  readonly unmatchedDepartureIds: readonly string[];
  /** Current Arrival observations that no stay cites (they corroborate no admission): on the timeline only. */
  readonly unmatchedArrivalIds: readonly string[];
}

const uniq = (xs: (string | null | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))];

/** One person with their timeline and stays; the rule pack explains the stays (see stay-explanations.ts). */
export async function getPerson(db: Database, pack: RulePack, id: string): Promise<PersonView | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  return db.session(async (s) => {
    const [person] = await s.query<{
      id: string;
      merged_into: string | null;
      verified_by: string | null;
      verified_how: string | null;
      verified_at: string | null;
    }>(
      `select id::text as id, merged_into::text as merged_into, identity_verified_by as verified_by,
              identity_verified_how as verified_how,
              to_char(identity_verified_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as verified_at
         from person where id = $1`,
      [id],
    );
    if (!person) return null;
    const obs = await s.query<RawObservationRow & { superseded: boolean; facts: string; identity: string }>(
      `select ${RAW_COLUMNS}, o.superseded, o.facts, o.identity from observation o ${RAW_OF_OBSERVATION}
        where o.person_id = $1 order by o.event_date, o.id`,
      [id],
    );
    const stays = await s.query<Record<string, unknown>>(
      `select seq, admission_id::text as admission_id, to_char(admitted_on, 'YYYY-MM-DD') as admitted_on, class_of_admission, port, nationality,
              to_char(authorized_until, 'YYYY-MM-DD') as authorized_until, to_char(departed_on, 'YYYY-MM-DD') as departed_on, departure_channel,
              departure_inferred, departure_observation_id::text as departure_observation_id, outcome, days_overstay, rule,
              evidence::text[] as evidence, to_char(judged_on, 'YYYY-MM-DD') as judged_on
         from stay where person_id = $1 order by seq`,
      [id],
    );
    const unmatched = await s.query<{ id: string }>(
      'select observation_id::text as id from unmatched_departure where person_id = $1',
      [id],
    );
    const unreadableObservationIds: string[] = [];
    const observations = obs.flatMap((row) => {
      const o = observationFromRaw(row);
      if (o === null) unreadableObservationIds.push(row.id);
      return o === null ? [] : [{ ...o, superseded: row.superseded }];
    });
    const current = observations.filter((o) => !o.superseded);
    const stored = stays.map((r) => ({
      seq: r['seq'] as number,
      admissionId: r['admission_id'] as string,
      admittedOn: r['admitted_on'] as string,
      classOfAdmission: r['class_of_admission'] as string,
      port: r['port'] as string,
      nationality: r['nationality'] as string | null,
      authorizedUntil: r['authorized_until'] as string | null,
      departedOn: r['departed_on'] as string | null,
      departureChannel: r['departure_channel'] as string | null,
      departureInferred: r['departure_inferred'] as boolean,
      departureObservationId: r['departure_observation_id'] as string | null,
      outcome: r['outcome'] as string,
      daysOverstay: r['days_overstay'] as number | null,
      rule: r['rule'] as string,
      evidence: r['evidence'] as string[],
      judgedOn: r['judged_on'] as string,
    }));
    // An unreadable raw record still has its facts: they were projected when it was accepted.
    const explained = explainStoredStays(
      stored,
      obs.filter((o) => !o.superseded),
      pack,
    );
    const cited = new Set(stays.flatMap((r) => r['evidence'] as string[]));
    return {
      id: person.id,
      mergedInto: person.merged_into,
      identityVerified:
        person.verified_at === null
          ? null
          : { by: person.verified_by!, how: person.verified_how!, at: person.verified_at },
      names: uniq(current.map((o) => [o.person.givenNames, o.person.familyNames].filter(Boolean).join(' '))),
      birthDates: uniq(current.map((o) => o.person.birthDate)),
      documents: uniq(
        current.map((o) =>
          o.person.document ? `${o.person.document.issuingCountry} ${o.person.document.number}` : null,
        ),
      ),
      nationalities: uniq(current.map((o) => o.person.nationality)),
      observations,
      unreadableObservationIds,
      stays: stored.map((st, i) => ({ ...st, ...explained[i]! })),
      unmatchedDepartureIds: unmatched.map((u) => u.id),
      unmatchedArrivalIds: current.filter((o) => o.kind === 'Arrival' && !cited.has(o.id)).map((o) => o.id),
    };
  });
}

export interface PersonHit {
  readonly personId: string;
  readonly name: string;
  readonly birthDate: string | null;
  readonly nationality: string | null;
  readonly document: string | null;
  readonly matchedOn: 'document' | 'admission-number' | 'name' | 'particulars';
}

/**
 * Finds persons by travel document number (any issuer), admission number, or family name (exact,
 * case-insensitive). Numbers go through the identity keys' index; a family name is looked for in the
 * current raw records and confirmed by parsing them. The fuzzy, transliteration-aware search arrives
 * with the linkage engine.
 */
export async function searchPersons(db: Database, query: string, limit = 50): Promise<PersonHit[]> {
  const q = query.trim();
  if (q.length < 2) return [];
  const number = q.toUpperCase().replace(/[\s-]/g, '').replace(/[%_:]/g, '');
  const byName = /^[\p{L} '-]+$/u.test(q);
  return db.session(async (s) => {
    const hits = await s.query<{ person_id: string; matched_on: PersonHit['matchedOn'] }>(
      `select distinct on (person_id) person_id::text as person_id, matched_on from (
         select person_id, 'document' as matched_on from person_key where key like 'd:' || $1 || ':%'
         union all
         select person_id, 'admission-number' from person_key where key = 'a:' || $2
       ) h order by person_id limit $3`,
      [number, q, limit],
    );
    const found = new Map(hits.map((h) => [h.person_id, h.matched_on]));
    if (byName && found.size < limit) {
      const candidates = await s.query<RawObservationRow & { person_id: string }>(
        `select ${RAW_COLUMNS}, o.person_id::text as person_id from observation o ${RAW_OF_OBSERVATION}
          where not o.superseded and strpos(lower(r.content), lower($1)) > 0 limit 1000`,
        [q],
      );
      const wanted = q.toLowerCase().replace(/\s+/g, ' ');
      for (const c of candidates) {
        if (found.size >= limit) break;
        if (found.has(c.person_id)) continue;
        if (observationFromRaw(c)?.person.familyNames?.toLowerCase() === wanted)
          found.set(c.person_id, 'name');
      }
    }
    if (found.size === 0) return [];
    return (await describePersons(s, [...found.keys()])).map((h) => ({
      ...h,
      matchedOn: found.get(h.personId)!,
    }));
  });
}

/** Each person as their latest current record describes them, for a list of hits. */
export async function describePersons(
  s: SqlSession,
  personIds: readonly string[],
): Promise<Omit<PersonHit, 'matchedOn'>[]> {
  if (personIds.length === 0) return [];
  const latest = await s.query<RawObservationRow & { person_id: string }>(
    `select distinct on (o.person_id) ${RAW_COLUMNS}, o.person_id::text as person_id
       from observation o ${RAW_OF_OBSERVATION}
      where o.person_id = any($1::bigint[]) and not o.superseded
      order by o.person_id, o.event_date desc, o.id desc`,
    [personIds],
  );
  return latest.flatMap((row) => {
    const o = observationFromRaw(row);
    if (o === null) return [];
    const doc = o.person.document;
    return [
      {
        personId: row.person_id,
        name: [o.person.givenNames, o.person.familyNames].filter(Boolean).join(' '),
        birthDate: o.person.birthDate,
        nationality: o.person.nationality,
        document: doc ? `${doc.issuingCountry} ${doc.number}` : null,
      },
    ];
  });
}
