import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StoredObservation } from '../core/observation/observation.js';
import { computeStays } from '../core/stays/compute-stays.js';
import { toStayFacts } from '../core/stays/stay-facts.js';
import { admission, departure, selfReport, US } from '../core/stays/test-fixtures.js';
import { writeFeeds } from '../generate/write-feeds.js';
import { linkageResolver } from '../identity/linkage-resolver.js';
import { loadRulePack } from '../stays/load-rule-pack.js';
import { openDatabase } from '../store/open-database.js';
import { importFeedFiles } from './import-feed.js';
import { getPerson } from './person-query.js';
import { explainStoredStays, type PersonFact, type StoredStayRow } from './stay-explanations.js';

const AS_OF = '2026-11-01';
const factOf = (o: StoredObservation): PersonFact => ({ id: o.id, facts: toStayFacts(o), identity: 'exact' });

/** The rows the stay table would hold for these facts, judged on `asOf`. */
function storedRows(facts: readonly StoredObservation[], asOf: string): StoredStayRow[] {
  return computeStays(facts, US, asOf).stays.map((st, seq) => ({
    seq,
    admissionId: st.admissionId,
    authorizedUntil: st.authorizedUntil,
    departedOn: st.departure?.date ?? null,
    departureObservationId: st.departure?.observationId ?? null,
    outcome: st.outcome,
    daysOverstay: st.daysOverstay,
    rule: st.rule,
    judgedOn: asOf,
  }));
}

describe('explainStoredStays', () => {
  const facts = [
    admission('1', '2025-01-02', { admitUntil: '2025-07-02' }),
    departure('2', '2025-09-01', { channel: 'air' }),
    admission('3', '2026-03-01', { admitUntil: '2026-06-01' }),
    selfReport('4', '2026-05-20'),
  ];

  it('derives the explanation and departure evidence of each stored stay from its facts as of the day it was judged', () => {
    const explained = explainStoredStays(storedRows(facts, AS_OF), facts.map(factOf), US);
    const expected = computeStays(facts, US, AS_OF).stays;
    expect(explained).toEqual(
      expected.map((st) => ({ explanation: st.explanation, departureEvidence: st.departureEvidence })),
    );
    expect(explained[0]!.explanation).toMatch(/departed 2025-09-01 by air/);
    expect(explained[1]!.departureEvidence).toMatchObject({ status: 'report-lapsed', observationIds: ['4'] });
  });

  it('judges an open stay as of its own day: days so far are those of the stored decision, not of today', () => {
    const open = [admission('1', '2026-01-01', { admitUntil: '2026-03-01' })];
    const [then] = explainStoredStays(storedRows(open, '2026-04-01'), open.map(factOf), US);
    expect(then!.explanation).toContain('31 days');
  });

  it('claims nothing for a stay whose facts changed after it was judged: it is being judged again', () => {
    const rows = storedRows(facts.slice(0, 1), AS_OF); // judged before the departure arrived
    const [stale] = explainStoredStays(rows, facts.map(factOf), US);
    expect(stale).toEqual({
      explanation: `Judged on ${AS_OF}; the person's records have changed since, and this stay is being judged again.`,
      departureEvidence: null,
    });
  });

  it('reproduces every stored stay of an imported generated population (no stay reads as being judged again)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'imos-explain-'));
    const db = await openDatabase({ ephemeral: true });
    try {
      await writeFeeds(dir, { people: 300, seed: 7, noise: 1, asOf: AS_OF });
      const pack = loadRulePack('us');
      await importFeedFiles(
        { db, resolver: linkageResolver(), pack, asOf: () => AS_OF },
        ['admissions.csv', 'departures.csv', 'status-changes.csv'].map((f) => join(dir, f)),
        'generated',
      );
      const persons = await db.session((s) =>
        s.query<{ id: string }>('select distinct person_id::text as id from stay order by 1'),
      );
      expect(persons.length).toBeGreaterThan(200);
      let stays = 0;
      for (const { id } of persons) {
        const person = (await getPerson(db, pack, id))!;
        for (const st of person.stays) {
          stays++;
          expect(st.judgedOn).toBe(AS_OF);
          expect(st.explanation, `person ${id} stay ${st.seq}`).not.toMatch(/being judged again/);
        }
      }
      expect(stays).toBeGreaterThan(persons.length);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
