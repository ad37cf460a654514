/**
 * The retention contract, run on PGlite (retention.pglite.test.ts) and on PostgreSQL
 * (test/integration/retention.postgres.test.ts): dry run, erasure with tombstones, holds, the one audit
 * entry, recomputed stays, and a re-import that brings nothing back. Test support only: nothing in the
 * product imports this file.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/app-context.js';
import { importFeedFiles } from '../../src/app/import-feed.js';
import { discardQuarantined, listQuarantine } from '../../src/app/quarantine-service.js';
import type { AuditSink } from '../../src/audit/audit-log.js';
import type { AuditRecord } from '../../src/core/audit/audit-chain.js';
import { exactResolver } from '../../src/identity/exact-resolver.js';
import { loadRulePack } from '../../src/stays/load-rule-pack.js';
import type { Database } from '../../src/store/database.js';
import { createHold, releaseHold } from '../../src/retention/legal-holds.js';
import { loadRetentionRules } from '../../src/retention/load-retention-rules.js';
import { previewRetention, runRetention, type RetentionActor } from '../../src/retention/run-retention.js';

const HEADER =
  'record_id,kind,given_names,family_names,birth_date,sex,nationality,doc_number,doc_type,doc_country,doc_expiry,admission_number,date,port,class_of_admission,admit_until,duration_of_status,program_end_date,channel,carrier,flight,change,event,new_admit_until,new_class_of_admission';

/** A person of the scenario: name, birth date and document make their identity key. */
const who = (family: string, doc: string, birth = '1980-01-01') =>
  `Test,${family},${birth},X,GBR,${doc},P,GBR,2035-01-01`;
const admit = (id: string, p: string, number: string, date: string, until: string, cls = 'B2', ds = '') =>
  `${id},Admission,${p},${number},${date},JFK,${cls},${until},${ds},,,,,,,,`;
const depart = (id: string, p: string, date: string, number = '') =>
  `${id},Departure,${p},${number},${date},JFK,,,,,air,XX,XX100,,,,`;

const P = {
  departed: who('Departedson', 'R0000001'),
  stayed: who('Stayerton', 'R0000002'),
  student: who('Studentley', 'R0000003'),
  recent: who('Recentford', 'R0000004'),
  held: who('Heldwick', 'R0000005'),
  recordHeld: who('Recordholm', 'R0000006'),
  corrected: who('Correctby', 'R0000007'),
  anniversary: who('Boundary', 'R0000008'),
  dayAfter: who('Dayafter', 'R0000009'),
  older: who('Mergeolder', 'R0000010'),
  younger: who('Mergeyounger', 'R0000011'),
};

/** As of 2027-12-01: who is due under config/retention.json and who is kept, and why. */
const FIRST = [
  HEADER,
  // departed 2020-03-10: due 2023-03-10, erased
  admit('A-DEP', P.departed, '80000000001', '2020-01-10', '2020-07-09'),
  depart('D-DEP', P.departed, '2020-03-10'),
  // no departure after the stay ended 2020-06-30: due 2025-06-30, erased
  admit('A-STAY', P.stayed, '80000000002', '2020-01-01', '2020-06-30'),
  // duration of status without an end: the clock never started, kept
  admit('A-STU', P.student, '80000000003', '2019-08-20', '', 'F1', 'true'),
  // departed 2025-06-01: due 2028-06-01, kept
  admit('A-REC', P.recent, '80000000004', '2025-01-10', '2025-07-09'),
  depart('D-REC', P.recent, '2025-06-01'),
  // due, but held (person hold), kept
  admit('A-HELD', P.held, '80000000005', '2019-02-01', '2019-08-01'),
  depart('D-HELD', P.held, '2019-05-01'),
  // due, but held through a hold on one of their records, kept
  admit('A-RH', P.recordHeld, '80000000006', '2019-02-01', '2019-08-01'),
  depart('D-RH', P.recordHeld, '2019-04-01'),
  // two versions of a departure (corrected below): all three raw records erased
  admit('A-COR', P.corrected, '80000000007', '2019-03-01', '2019-09-01'),
  depart('D-COR', P.corrected, '2019-06-01'),
  // departed 2024-12-01: due on 2027-12-01, the day itself, erased
  admit('A-ANN', P.anniversary, '80000000008', '2024-10-01', '2025-03-31'),
  depart('D-ANN', P.anniversary, '2024-12-01'),
  // departed 2024-12-02: due 2027-12-02, kept
  admit('A-DAY', P.dayAfter, '80000000009', '2024-10-01', '2025-03-31'),
  depart('D-DAY', P.dayAfter, '2024-12-02'),
  // two persons, due; the younger is held, then merged into the older: the hold follows
  admit('A-OLD', P.older, '80000000010', '2019-01-10', '2019-07-09'),
  depart('D-OLD', P.older, '2019-03-10'),
  admit('A-YNG', P.younger, '80000000011', '2019-01-10', '2019-07-09'),
  depart('D-YNG', P.younger, '2019-03-10'),
  // bad records: quarantined (month 13)
  `Q-OLD,Departure,Test,Badrow,1990-13-01,X,FRA,X1,P,FRA,2030-01-01,,2025-05-05,JFK,,,,,air,,,,,,`,
  `Q-NEW,Departure,Test,Badrow,1990-13-02,X,FRA,X2,P,FRA,2030-01-01,,2025-05-05,JFK,,,,,air,,,,,,`,
  `Q-OPEN,Departure,Test,Badrow,1990-13-03,X,FRA,X3,P,FRA,2030-01-01,,2025-05-05,JFK,,,,,air,,,,,,`,
];
const SECOND = [
  HEADER,
  depart('D-COR', P.corrected, '2019-06-02'),
  // links the younger's document to the older's admission number: one person, the older id survives
  depart('D-LINK', P.younger, '2019-03-10', '80000000010'),
];

const AS_OF = '2027-12-01';
const ERASED = ['A-DEP', 'A-STAY', 'A-COR', 'A-ANN'];
const KEPT = ['A-STU', 'A-REC', 'A-HELD', 'A-RH', 'A-DAY', 'A-OLD'];

export function describeRetentionContract(
  engine: string,
  open: () => Promise<Database>,
  close: (db: Database) => Promise<void>,
) {
  describe(`retention on ${engine}`, () => {
    let db: Database;
    let ctx: AppContext;
    let files: string[];
    const rules = loadRetentionRules();
    const pack = loadRulePack('us');
    const personOf = new Map<string, string>();
    const recorded: AuditRecord[] = [];
    const audit: AuditSink = {
      record: (r) => {
        recorded.push(r);
        return Promise.resolve();
      },
    };
    const actor: RetentionActor = {
      userId: null,
      username: 'test.admin',
      role: 'admin',
      route: 'test',
      purpose: null,
      purposeReference: null,
      requestId: 'test-run',
    };

    const count = async (table: string) =>
      (await db.session((s) => s.query<{ n: number }>(`select count(*)::int as n from ${table}`)))[0]!.n;
    const counts = async () => {
      const out: Record<string, number> = {};
      for (const t of [
        'raw_record',
        'observation',
        'stay',
        'unmatched_departure',
        'person',
        'person_key',
        'quarantine',
        'retention_tombstone',
        'legal_hold',
      ])
        out[t] = await count(t);
      return out;
    };
    const personsOf = async (ids: string[]) =>
      db.session((s) =>
        s.query<{ rid: string; person_id: string }>(
          `select r.source_record_id as rid, o.person_id::text as person_id
             from raw_record r join observation o on o.id = r.id where r.source_record_id = any($1::text[])`,
          [ids],
        ),
      );

    beforeAll(async () => {
      db = await open();
      ctx = { db, resolver: exactResolver, pack, asOf: () => AS_OF };
      const dir = mkdtempSync(join(tmpdir(), 'imos-retention-'));
      files = [join(dir, 'first.csv'), join(dir, 'second.csv')];
      writeFileSync(files[0]!, FIRST.join('\n') + '\n');
      writeFileSync(files[1]!, SECOND.join('\n') + '\n');
      await importFeedFiles(ctx, [files[0]!], 'scenario');
      for (const r of await personsOf([...ERASED, ...KEPT, 'A-YNG'])) personOf.set(r.rid, r.person_id);
      // Holds are placed before the younger person is merged into the older.
      const held = await createHold(
        db,
        { personId: personOf.get('A-HELD')! },
        'litigation hold: case 42',
        'counsel',
      );
      expect(held.ok).toBe(true);
      const onRecord = await createHold(
        db,
        { source: 'scenario', sourceRecordId: 'D-RH' },
        'evidence in an appeal',
        'counsel',
      );
      expect(onRecord).toMatchObject({ ok: true, personIds: [personOf.get('A-RH')] });
      await createHold(db, { personId: personOf.get('A-YNG')! }, 'hold before a merge', 'counsel');
      await createHold(
        db,
        { source: 'scenario', sourceRecordId: 'Q-NEW' },
        'a quarantined record held',
        'counsel',
      );
      await importFeedFiles(ctx, [files[1]!], 'scenario');
      // Two quarantine entries resolved on fixed days: one a year and a day before AS_OF, one less than a year.
      const openEntries = (await listQuarantine(ctx, 'open')).entries;
      const idOf = (rid: string) => openEntries.find((e) => e.sourceRecordId === rid)!.id;
      for (const rid of ['Q-OLD', 'Q-NEW']) await discardQuarantined(ctx, idOf(rid), 'unfixable', 'analyst');
      await db.session((s) =>
        s.query(
          `update quarantine set resolved_at = case source_record_id when 'Q-OLD' then timestamptz '2026-11-30 23:00Z'
             else timestamptz '2026-12-01 00:30Z' end where source_record_id in ('Q-OLD', 'Q-NEW')`,
        ),
      );
    });
    afterAll(async () => {
      await close(db);
    });

    it('the scenario is as described: the younger person was merged into the older', async () => {
      const merged = await personsOf(['A-YNG', 'A-OLD', 'D-LINK']);
      expect(new Set(merged.map((r) => r.person_id))).toEqual(new Set([personOf.get('A-OLD')]));
      expect((await listQuarantine(ctx, 'open')).total).toBe(1);
    });

    it('a dry run reports what would go, per category and by person, and changes nothing', async () => {
      const before = await counts();
      const report = await previewRetention(db, { rules, asOf: AS_OF, pack });
      expect(await counts()).toEqual(before);
      expect(recorded).toEqual([]);
      expect(report.dryRun).toBe(true);
      expect(report.persons.map((p) => p.personId).sort()).toEqual(
        ERASED.map((r) => personOf.get(r)!).sort(),
      );
      expect(report.persons.find((p) => p.personId === personOf.get('A-ANN'))).toEqual({
        personId: personOf.get('A-ANN'),
        rule: 'person-facts.departed',
        dueOn: '2027-12-01',
      });
      expect(report.personFacts).toEqual({
        persons: 4,
        // 2 + 1 + 3 (a departure in two versions) + 2
        rawRecords: 8,
        observations: 7,
        stays: 4,
        byRule: { 'person-facts.departed': 3, 'person-facts.no-departure-recorded': 1 },
      });
      expect(report.quarantine).toEqual({ entries: 1, byRule: { 'quarantine.resolved': 1 } });
      expect(new Set(report.heldBack.personIds)).toEqual(
        new Set([personOf.get('A-HELD'), personOf.get('A-RH'), personOf.get('A-OLD')]),
      );
      expect(report.heldBack.quarantineEntries).toBe(1);
      expect(report.tombstones).toBe(0);
      expect(report.kept.map((k) => k.category)).toContain('audit');
    });

    it('a run erases what is due, leaves a tombstone per raw record, recomputes stays and writes one audit entry', async () => {
      const before = await counts();
      const erasedPersons = ERASED.map((r) => personOf.get(r)!);
      const report = await runRetention(db, { rules, asOf: AS_OF, pack, audit, actor });
      expect(report.dryRun).toBe(false);
      expect(report.personFacts.persons).toBe(4);
      expect(report.tombstones).toBe(8 + 1);
      const after = await counts();
      expect(after).toMatchObject({
        raw_record: before['raw_record']! - 8,
        observation: before['observation']! - 8,
        stay: before['stay']! - 4,
        person: before['person']! - 4,
        quarantine: before['quarantine']! - 1,
        retention_tombstone: 9,
      });
      // Nothing is left of the erased persons: facts, stays, keys, the persons themselves.
      const left = await db.session((s) =>
        s.query<{ n: number }>(
          `select (select count(*) from observation where person_id = any($1::bigint[]))
                + (select count(*) from stay where person_id = any($1::bigint[]))
                + (select count(*) from person_key where person_id = any($1::bigint[]))
                + (select count(*) from person where id = any($1::bigint[])) as n`,
          [erasedPersons],
        ),
      );
      expect(Number(left[0]!.n)).toBe(0);
      const tombstones = await db.session((s) =>
        s.query<{ category: string; source_record_id: string; rule: string; person_id: string | null }>(
          `select category, source_record_id, rule, person_id::text as person_id from retention_tombstone
            order by source_record_id, id`,
        ),
      );
      expect(tombstones.filter((t) => t.source_record_id === 'D-COR')).toHaveLength(2);
      expect(tombstones.find((t) => t.source_record_id === 'A-STAY')).toEqual({
        category: 'raw-record',
        source_record_id: 'A-STAY',
        rule: 'person-facts.no-departure-recorded',
        person_id: personOf.get('A-STAY'),
      });
      expect(tombstones.find((t) => t.category === 'quarantine')).toMatchObject({
        source_record_id: 'Q-OLD',
        rule: 'quarantine.resolved',
      });
      // One audit entry, naming every person it erased (ids only) and the quarantine entry.
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toMatchObject({
        action: 'retention.run',
        outcome: 'allowed',
        requestId: 'test-run',
      });
      expect([...recorded[0]!.personIds].sort()).toEqual([...erasedPersons].sort());
      expect(recorded[0]!.recordRefs).toHaveLength(1);
      expect(recorded[0]!.recordRefs[0]).toMatch(/^quarantine:\d+$/);
      // The kept persons keep their stays.
      const kept = await db.session((s) =>
        s.query<{ n: number }>(
          'select count(distinct person_id)::int as n from stay where person_id = any($1::bigint[])',
          [KEPT.map((r) => personOf.get(r)!)],
        ),
      );
      expect(kept[0]!.n).toBe(KEPT.length);
    });

    it('a second run finds nothing more, and still records itself', async () => {
      const before = await counts();
      const report = await runRetention(db, { rules, asOf: AS_OF, pack, audit, actor });
      expect(report.personFacts.persons + report.quarantine.entries).toBe(0);
      expect(await counts()).toEqual(before);
      expect(recorded).toHaveLength(2);
      expect(recorded[1]!.personIds).toEqual([]);
    });

    it('re-importing the same files brings nothing back: erased records count as unchanged', async () => {
      const before = await counts();
      const results = await importFeedFiles(ctx, files, 'scenario');
      // Q-NEW was discarded but not erased: as before retention, a discarded record delivered again is
      // quarantined again. Q-OLD was erased: its tombstone keeps it out.
      expect(results.map((r) => [r.rowsNew, r.rowsSuperseded, r.rowsQuarantined, r.personsCreated])).toEqual([
        [0, 0, 1, 0],
        [0, 0, 0, 0],
      ]);
      expect(results.map((r) => r.rowsUnchanged)).toEqual([FIRST.length - 2, SECOND.length - 1]);
      expect(await counts()).toEqual({ ...before, quarantine: before['quarantine']! + 1 });
      const requarantined = await db.session((s) =>
        s.query<{ rid: string }>(
          "select source_record_id as rid from quarantine where status = 'open' order by rid",
        ),
      );
      expect(requarantined.map((q) => q.rid)).toEqual(['Q-NEW', 'Q-OPEN']);
    });

    it('a new version of an erased record is new content, and is stored', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'imos-retention-'));
      const file = join(dir, 'late.csv');
      writeFileSync(file, [HEADER, depart('D-DEP', P.departed, '2020-03-11')].join('\n') + '\n');
      const [r] = await importFeedFiles(ctx, [file], 'scenario');
      expect(r).toMatchObject({ rowsNew: 1, rowsUnchanged: 0, personsCreated: 1 });
      for (const row of await personsOf(['D-DEP'])) personOf.set('D-DEP', row.person_id);
    });

    it('a released hold no longer protects: the next run erases the person', async () => {
      const [hold] = await db.session((s) =>
        s.query<{ id: string }>('select id::text as id from legal_hold where person_id = $1', [
          personOf.get('A-HELD'),
        ]),
      );
      expect(await releaseHold(db, hold!.id, 'case closed', 'counsel')).toMatchObject({
        ok: true,
        personIds: [personOf.get('A-HELD')],
      });
      expect(await releaseHold(db, hold!.id, 'again', 'counsel')).toMatchObject({
        ok: false,
        code: 'NOT_OPEN',
      });
      const report = await runRetention(db, { rules, asOf: AS_OF, pack, audit, actor });
      // ... with the new person of the late departure above: a fact of 2020 that opens no stay.
      expect(report.persons.map((p) => [p.personId, p.rule])).toEqual(
        [
          [personOf.get('A-HELD'), 'person-facts.departed'],
          [personOf.get('D-DEP'), 'person-facts.no-stay'],
        ].sort((a, b) => Number(a[0]) - Number(b[0])),
      );
      expect(report.heldBack.personIds).not.toContain(personOf.get('A-HELD'));
    });

    it('holds are released, never deleted or rewritten; tombstones never change', async () => {
      await expect(db.session((s) => s.query('delete from legal_hold'))).rejects.toThrow(/refused/);
      await expect(db.session((s) => s.query("update legal_hold set reason = 'other'"))).rejects.toThrow(
        /refused/,
      );
      await expect(db.session((s) => s.query("update retention_tombstone set rule = 'x'"))).rejects.toThrow(
        /refused/,
      );
    });

    it('a hold needs something to hold and a reason', async () => {
      expect(await createHold(db, { personId: '999999' }, 'no such person here', 'x')).toMatchObject({
        ok: false,
        code: 'NOT_FOUND',
      });
      expect(
        await createHold(db, { source: 'scenario', sourceRecordId: 'A-DEP' }, 'erased already', 'x'),
      ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
      expect(await createHold(db, { personId: personOf.get('A-REC')! }, 'short', 'x')).toMatchObject({
        ok: false,
        code: 'VALIDATION_FAILED',
      });
    });
  });
}
