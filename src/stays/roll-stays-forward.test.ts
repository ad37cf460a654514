import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../app/app-context.js';
import { importFeedFiles } from '../app/import-feed.js';
import { exactResolver } from '../identity/exact-resolver.js';
import type { Database } from '../store/database.js';
import { openDatabase } from '../store/open-database.js';
import { loadRulePack } from './load-rule-pack.js';
import { rollStaysForward } from './roll-stays-forward.js';

let db: Database;
let today = '2026-01-10';
const options = () => ({ pack: loadRulePack('us'), asOf: today });

beforeAll(async () => {
  db = await openDatabase({ ephemeral: true });
  const ctx: AppContext = { db, resolver: exactResolver, pack: loadRulePack('us'), asOf: () => today };
  await importFeedFiles(ctx, ['test/fixtures/small-feed.csv'], 'test');
});

afterAll(async () => {
  await db?.close();
});

/** The stay of the person admitted under an admission number, as stored. */
async function stayOf(admissionNumber: string) {
  const [row] = await db.session((s) =>
    s.query<{ person_id: string; outcome: string; days_overstay: number | null }>(
      `select st.person_id::text as person_id, st.outcome, st.days_overstay from stay st
         join observation o on o.id = st.admission_id
         join raw_record r on r.id = o.id
        where r.content like $1`,
      [`%,${admissionNumber},%`],
    ),
  );
  return row!;
}

describe('rollStaysForward', () => {
  it('judges again, on a new day, the stays without a departure, and leaves departed stays alone', async () => {
    // Never rolled: every person is judged on today, and the day is recorded.
    const first = await rollStaysForward(db, options());
    expect(first).toMatchObject({ from: null, to: '2026-01-10' });
    expect(await rollStaysForward(db, options())).toBeNull();

    // Bo (Visa Waiver, 90 days from 2025-02-01, no departure) overstays; Ana departed on time.
    const before = await stayOf('90000000002');
    expect(before.outcome).toBe('suspected-in-country-overstay');
    const ana = await stayOf('90000000001');
    expect(ana.outcome).toBe('departed-on-time');

    today = '2026-01-20';
    const rolled = await rollStaysForward(db, options());
    expect(rolled).toMatchObject({ from: '2026-01-10', to: '2026-01-20' });
    expect(rolled!.personIds).toContain(before.person_id);
    expect(rolled!.personIds).not.toContain(ana.person_id);
    // Ten days on, ten more days of overstay so far.
    expect((await stayOf('90000000002')).days_overstay).toBe(before.days_overstay! + 10);

    // An earlier day than the one judged on changes nothing.
    today = '2026-01-15';
    expect(await rollStaysForward(db, options())).toBeNull();
  });
});
