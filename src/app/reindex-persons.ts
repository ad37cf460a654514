import { rebuildPersonIndex, type IdentityFacts } from '../identity/rebuild-person-index.js';
import type { Database } from '../store/database.js';
import {
  observationFromRaw,
  RAW_COLUMNS,
  RAW_OF_OBSERVATION,
  type RawObservationRow,
} from './stored-observation.js';

/**
 * Rebuilds the person index (descriptors, blocking and search keys, exact keys) of every live person
 * from their current observations: for a store whose persons were placed before the linkage engine
 * (the index is empty for them, so the model and the search by particulars cannot see them).
 */
export async function reindexPersons(
  db: Database,
  onProgress?: (done: number, total: number) => void,
  chunk = 2000,
): Promise<number> {
  const persons = (
    await db.session((s) =>
      s.query<{ id: string }>('select id::text as id from person where merged_into is null order by id'),
    )
  ).map((p) => p.id);
  for (let i = 0; i < persons.length; i += chunk) {
    const ids = persons.slice(i, i + chunk);
    await db.transaction(async (s) => {
      const rows = await s.query<RawObservationRow & { person_id: string }>(
        `select ${RAW_COLUMNS}, o.person_id::text as person_id from observation o ${RAW_OF_OBSERVATION}
          where o.person_id = any($1::bigint[]) and not o.superseded`,
        [ids],
      );
      const facts = new Map<string, IdentityFacts[]>();
      for (const r of rows) {
        const o = observationFromRaw(r);
        if (!o) continue;
        const list = facts.get(r.person_id) ?? [];
        list.push({ person: o.person, admissionNumber: o.admissionNumber });
        facts.set(r.person_id, list);
      }
      for (const [person, list] of facts) await rebuildPersonIndex(s, person, list);
    });
    onProgress?.(Math.min(persons.length, i + chunk), persons.length);
  }
  return persons.length;
}
