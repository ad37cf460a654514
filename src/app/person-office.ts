import type { Offices } from '../access/offices.js';
import { fromStayFacts } from '../core/stays/stay-facts.js';
import type { Database } from '../store/database.js';

/** The office responsible for a person: the one of the port of their latest current admission. */
export async function officeOfPerson(
  db: Database,
  personId: string,
  offices: Offices,
): Promise<string | null> {
  return (await officesOfPersons(db, [personId], offices)).get(personId) ?? null;
}

export async function officeOfUser(db: Database, userId: string): Promise<string | null> {
  const [row] = await db.session((s) =>
    s.query<{ office: string | null }>('select office from app_user where id = $1', [userId]),
  );
  return row?.office ?? null;
}

/** The office of each of several persons (a drill-down page): one query. */
export async function officesOfPersons(
  db: Database,
  personIds: readonly string[],
  offices: Offices,
): Promise<Map<string, string | null>> {
  if (personIds.length === 0) return new Map();
  const rows = await db.session((s) =>
    s.query<{ id: string; person_id: string; facts: string }>(
      `select distinct on (person_id) id::text as id, person_id::text as person_id, facts from observation
        where person_id = any($1::bigint[]) and kind = 'Admission' and not superseded
        order by person_id, event_date desc, id desc`,
      [[...new Set(personIds)]],
    ),
  );
  const out = new Map<string, string | null>();
  for (const r of rows) {
    const a = fromStayFacts(r.id, r.facts);
    out.set(r.person_id, a.kind === 'Admission' ? offices.officeOfPort(a.port) : null);
  }
  return out;
}

export async function personExists(db: Database, personId: string): Promise<boolean> {
  const rows = await db.session((s) => s.query('select 1 from person where id = $1', [personId]));
  return rows.length > 0;
}
