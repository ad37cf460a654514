import { completeObservation } from '../core/observation/complete-observation.js';
import type { StoredObservation } from '../core/observation/observation.js';
import type { Database } from '../store/database.js';

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
  readonly explanation: string;
  readonly evidence: readonly string[];
}

export interface PersonView {
  readonly id: string;
  readonly mergedInto: string | null;
  /** Every name, birth date and document under which the person's records arrived. */
  readonly names: readonly string[];
  readonly birthDates: readonly string[];
  readonly documents: readonly string[];
  readonly nationalities: readonly string[];
  /** The timeline: every fact, oldest first, superseded ones marked. */
  readonly observations: readonly (StoredObservation & { readonly superseded: boolean })[];
  readonly stays: readonly PersonStay[];
  readonly unmatchedDepartureIds: readonly string[];
}

const uniq = (xs: (string | null | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))];

export async function getPerson(db: Database, id: string): Promise<PersonView | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  return db.session(async (s) => {
    const [person] = await s.query<{ id: string; merged_into: string | null }>(
      'select id::text as id, merged_into::text as merged_into from person where id = $1',
      [id],
    );
    if (!person) return null;
    const obs = await s.query<{ id: string; body: Record<string, unknown>; superseded: boolean }>(
      'select id::text as id, body, superseded from observation where person_id = $1 order by event_date, id',
      [id],
    );
    const stays = await s.query<Record<string, unknown>>(
      `select seq, admission_id::text as admission_id, to_char(admitted_on, 'YYYY-MM-DD') as admitted_on, class_of_admission, port, nationality,
              to_char(authorized_until, 'YYYY-MM-DD') as authorized_until, to_char(departed_on, 'YYYY-MM-DD') as departed_on, departure_channel,
              departure_inferred, departure_observation_id::text as departure_observation_id, outcome, days_overstay, rule, explanation,
              evidence::text[] as evidence
         from stay where person_id = $1 order by seq`,
      [id],
    );
    const unmatched = await s.query<{ id: string }>(
      'select observation_id::text as id from unmatched_departure where person_id = $1',
      [id],
    );
    const observations = obs.map((o) => ({
      ...completeObservation(o.body),
      id: o.id,
      superseded: o.superseded,
    }));
    const current = observations.filter((o) => !o.superseded);
    return {
      id: person.id,
      mergedInto: person.merged_into,
      names: uniq(current.map((o) => [o.person.givenNames, o.person.familyNames].filter(Boolean).join(' '))),
      birthDates: uniq(current.map((o) => o.person.birthDate)),
      documents: uniq(
        current.map((o) =>
          o.person.document ? `${o.person.document.issuingCountry} ${o.person.document.number}` : null,
        ),
      ),
      nationalities: uniq(current.map((o) => o.person.nationality)),
      observations,
      stays: stays.map((r) => ({
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
        explanation: r['explanation'] as string,
        evidence: r['evidence'] as string[],
      })),
      unmatchedDepartureIds: unmatched.map((u) => u.id),
    };
  });
}

export interface PersonHit {
  readonly personId: string;
  readonly name: string;
  readonly birthDate: string | null;
  readonly nationality: string | null;
  readonly document: string | null;
  readonly matchedOn: 'document' | 'admission-number' | 'name';
}

/**
 * Finds persons by travel document number (any issuer), admission number, or family name (exact,
 * case-insensitive). Numbers go through the identity keys' index; the fuzzy, transliteration-aware
 * search arrives with the linkage engine.
 */
export async function searchPersons(db: Database, query: string, limit = 50): Promise<PersonHit[]> {
  const q = query.trim();
  if (q.length < 2) return [];
  const number = q.toUpperCase().replace(/[\s-]/g, '');
  const rows = await db.session((s) =>
    s.query<{ person_id: string; body: Record<string, unknown>; matched_on: PersonHit['matchedOn'] }>(
      `with hits as (
         select person_id, 'document' as matched_on from person_key where key like 'd:' || $1 || ':%'
         union all
         select person_id, 'admission-number' from person_key where key = 'a:' || $2
         union all
         select person_id, 'name' from observation
          where $3 and not superseded and lower(body->'person'->>'familyNames') = lower($2)
       ), persons as (select distinct on (person_id) person_id, matched_on from hits order by person_id limit $4)
       select p.person_id::text as person_id, p.matched_on,
              (select body from observation o where o.person_id = p.person_id and not o.superseded order by o.event_date desc, o.id desc limit 1) as body
         from persons p`,
      [number.replace(/[%_:]/g, ''), q, /^[\p{L} '-]+$/u.test(q), limit],
    ),
  );
  return rows
    .filter((r) => r.body)
    .map((r) => {
      const o = completeObservation(r.body);
      return {
        personId: r.person_id,
        name: [o.person.givenNames, o.person.familyNames].filter(Boolean).join(' '),
        birthDate: o.person.birthDate,
        nationality: o.person.nationality,
        document: o.person.document
          ? `${o.person.document.issuingCountry} ${o.person.document.number}`
          : null,
        matchedOn: r.matched_on,
      };
    });
}
