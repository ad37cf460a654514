import { getPerson, type PersonStay } from '../../src/app/person-query.js';
import type { RulePack } from '../../src/core/stays/rule-pack.js';
import type { Database } from '../../src/store/database.js';

/** The stay that the admission with this source record id opened, as the person page shows it. */
export async function stayOfAdmission(db: Database, pack: RulePack, recordId: string): Promise<PersonStay> {
  const [row] = await db.session((s) =>
    s.query<{ person_id: string; seq: number }>(
      `select st.person_id::text as person_id, st.seq
         from stay st join raw_record r on r.id = st.admission_id where r.source_record_id = $1`,
      [recordId],
    ),
  );
  if (!row) throw new Error(`no stay was opened by the admission record ${recordId}`);
  const stay = (await getPerson(db, pack, row.person_id))?.stays.find((s) => s.seq === row.seq);
  if (!stay) throw new Error(`person ${row.person_id} has no stay ${row.seq}`);
  return stay;
}

/** The fields the departure tests compare: outcome, departure and the strength of its evidence. */
export async function departureOfAdmission(db: Database, pack: RulePack, recordId: string) {
  const st = await stayOfAdmission(db, pack, recordId);
  return {
    outcome: st.outcome,
    departed_on: st.departedOn,
    channel: st.departureChannel,
    status: st.departureEvidence?.status ?? null,
  };
}
