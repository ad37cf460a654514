import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/app-context.js';
import { importFeedFiles } from '../../src/app/import-feed.js';
import { runOverstayReport } from '../../src/app/overstay-report-query.js';
import { getPerson, searchPersons } from '../../src/app/person-query.js';
import { listQuarantine, resubmitQuarantined } from '../../src/app/quarantine-service.js';
import { exactResolver } from '../../src/identity/exact-resolver.js';
import { recomputeAllStays } from '../../src/stays/recompute-all-stays.js';
import { recomputeStays } from '../../src/stays/recompute-stays.js';
import { loadRulePack } from '../../src/stays/load-rule-pack.js';
import type { FlatRecord } from '../../src/core/observation/flat-columns.js';
import type { Database } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrate.js';
import { readByIndex } from '../../src/store/read-by-index.js';

/** A record as the API receives it: its JSON text is what is kept, and what it says is read from. */
const submitted = (fields: FlatRecord) => ({ line: 1, content: JSON.stringify(fields), fields });

export const SMALL_FEED = fileURLToPath(new URL('../fixtures/small-feed.csv', import.meta.url));

/**
 * One contract for every store engine (PGlite and PostgreSQL), in the manner of Kysely's dialect suite:
 * the same file, the same counts, the same persons, the same stays, the same report.
 */
export function describeStoreContract(
  engine: string,
  open: () => Promise<Database>,
  close: (db: Database) => Promise<void>,
) {
  describe(`store contract on ${engine}`, () => {
    let db: Database;
    let ctx: AppContext;

    beforeAll(async () => {
      db = await open();
      ctx = { db, resolver: exactResolver, pack: loadRulePack('us'), asOf: () => '2026-11-01' };
    });
    afterAll(async () => {
      await close(db);
    });

    it('migrations are idempotent', async () => {
      expect(await migrate(db)).toEqual([]);
    });

    it('a store made by a different version of a migration is refused, not migrated', async () => {
      const [{ checksum }] = (await db.session((s) =>
        s.query<{ checksum: string }>('select checksum from schema_migration where version = 1'),
      )) as [{ checksum: string }];
      await db.session((s) => s.query("update schema_migration set checksum = 'older' where version = 1"));
      try {
        await expect(migrate(db)).rejects.toMatchObject({
          code: 'STORE_SCHEMA_MISMATCH',
          message: expect.stringMatching(/different version of migration 1 \(spine\)/) as string,
        });
      } finally {
        await db.session((s) =>
          s.query('update schema_migration set checksum = $1 where version = 1', [checksum]),
        );
      }
      expect(await migrate(db)).toEqual([]);
    });

    it('COPY keeps tabs, newlines, backslashes and unicode intact', async () => {
      const weird = 'tab\there\nnew line \\ back ü 名';
      await db.transaction(async (s) => {
        await s.query('create temp table copy_probe (t text, n bigint, a bigint[]) on commit drop');
        await s.copyFrom(
          'copy_probe',
          ['t', 'n', 'a'],
          [
            [weird, '9007199254740993', ['1', '2']],
            [null, null, []],
          ],
        );
        const rows = await s.query<{ t: string | null; n: string | null; a: string[] }>(
          'select t, n::text as n, a::text[] as a from copy_probe order by t nulls last',
        );
        expect(rows).toEqual([
          { t: weird, n: '9007199254740993', a: ['1', '2'] },
          { t: null, n: null, a: [] },
        ]);
      });
    });

    it('imports good rows, quarantines bad ones with file, line, field and reason', async () => {
      const [r] = await importFeedFiles(ctx, [SMALL_FEED], 'fixture');
      expect(r).toMatchObject({
        rowsRead: 11,
        rowsNew: 9,
        rowsQuarantined: 2,
        rowsUnchanged: 0,
        rowsSuperseded: 0,
      });
      const q = await listQuarantine(ctx);
      expect(q.total).toBe(2);
      const bad1 = q.entries.find((e) => e.sourceRecordId === 'BAD1')!;
      expect(bad1.file).toBe(SMALL_FEED);
      expect(bad1.line).toBe(11);
      expect(bad1.content).toContain('Brokenfield');
      expect(bad1.errors.map((e) => e.field).sort()).toEqual(['birth_date', 'channel']);
      const bad2 = q.entries.find((e) => e.sourceRecordId === 'BAD2')!;
      expect(bad2.errors).toEqual([{ field: 'date', reason: 'is required' }]);
    });

    it('a second import of the same file changes nothing and says so', async () => {
      const [r] = await importFeedFiles(ctx, [SMALL_FEED], 'fixture');
      expect(r).toMatchObject({
        rowsRead: 11,
        rowsNew: 0,
        rowsUnchanged: 11,
        rowsQuarantined: 0,
        rowsSuperseded: 0,
      });
      const [{ n }] = (await db.session((s) =>
        s.query<{ n: number }>('select count(*)::int as n from raw_record'),
      )) as [{ n: number }];
      expect(n).toBe(9);
      expect((await listQuarantine(ctx)).total).toBe(2);
    });

    it('resolves records to persons exactly, following the admission-number chain across a passport renewal', async () => {
      const [{ n }] = (await db.session((s) =>
        s.query<{ n: number }>('select count(*)::int as n from person where merged_into is null'),
      )) as [{ n: number }];
      expect(n).toBe(4);
      const hits = await searchPersons(db, 'Z77777777');
      expect(hits).toHaveLength(1);
      const dee = await getPerson(db, ctx.pack, hits[0]!.personId);
      expect([...dee!.documents].sort()).toEqual(['IND X44444444', 'IND Z77777777']);
      expect(dee!.stays).toHaveLength(1);
      expect(dee!.stays[0]).toMatchObject({
        outcome: 'departed-on-time',
        authorizedUntil: '2025-10-04',
        departedOn: '2025-10-01',
      });
    });

    it('computes each stay with the rule that decided it', async () => {
      const bo = await getPerson(db, ctx.pack, (await searchPersons(db, 'Z98765432'))[0]!.personId);
      expect(bo!.stays[0]).toMatchObject({
        outcome: 'suspected-in-country-overstay',
        authorizedUntil: '2025-05-02',
        departedOn: null,
      });
      expect(bo!.stays[0]!.rule).toMatch(/visa-waiver/);
      const cy = await getPerson(db, ctx.pack, (await searchPersons(db, 'Samplewood'))[0]!.personId);
      expect(cy!.stays[0]).toMatchObject({ outcome: 'departed-late', daysOverstay: 19 });
    });

    it('reports overstays by nationality like the Entry/Exit Overstay Report', async () => {
      const r = await runOverstayReport(db, {
        from: '2024-10-01',
        to: '2025-09-30',
        asOf: '2026-11-01',
        by: 'nationality',
      });
      const row = (g: string) => r.rows.find((x) => x.group === g);
      expect(row('MEX')).toMatchObject({ expectedDepartures: 1, totalOverstays: 0 });
      expect(row('DEU')).toMatchObject({
        expectedDepartures: 1,
        suspectedInCountryOverstays: 1,
        totalOverstayRate: 100,
      });
      expect(row('GBR')).toMatchObject({ expectedDepartures: 1, outOfCountryOverstays: 1 });
      expect(row('IND')).toBeUndefined(); // extended into the next fiscal year
      expect(r.total).toMatchObject({ expectedDepartures: 3, totalOverstays: 2 });
      expect(r.coverageNote).toMatch(/air \(3\)/);
    });

    it('a fixed quarantined row is resubmitted, imported and leaves the queue', async () => {
      const q = await listQuarantine(ctx);
      const bad2 = q.entries.find((e) => e.sourceRecordId === 'BAD2')!;
      const still = await resubmitQuarantined(
        ctx,
        bad2.id,
        {
          record_id: 'BAD2',
          kind: 'Admission',
          doc_number: 'X22222222',
          doc_country: 'ITA',
          birth_date: '1970-01-01',
          port: 'JFK',
          class_of_admission: 'B2',
        },
        'tester',
      );
      expect(still).toMatchObject({
        ok: false,
        code: 'STILL_INVALID',
        errors: [{ field: 'date', reason: 'is required' }],
      });
      const fixed = await resubmitQuarantined(
        ctx,
        bad2.id,
        {
          record_id: 'BAD2',
          kind: 'Admission',
          given_names: 'Fay',
          family_names: 'Nodateson',
          doc_number: 'X22222222',
          doc_country: 'ITA',
          birth_date: '1970-01-01',
          port: 'JFK',
          class_of_admission: 'B2',
          date: '2025-02-01',
          admit_until: '2025-08-01',
        },
        'tester',
      );
      expect(fixed).toMatchObject({ ok: true });
      expect((await listQuarantine(ctx)).total).toBe(1);
      const fay = await getPerson(db, ctx.pack, (await searchPersons(db, 'X22222222'))[0]!.personId);
      expect(fay!.stays[0]).toMatchObject({
        outcome: 'suspected-in-country-overstay',
        authorizedUntil: '2025-08-01',
      });
    });

    it('changed content under the same record id supersedes the old version, which is kept', async () => {
      const ana = (await searchPersons(db, 'X12345678'))[0]!.personId;
      const corrected = [
        submitted({
          record_id: 'D1',
          kind: 'Departure',
          doc_number: 'X12345678',
          doc_country: 'MEX',
          birth_date: '1990-04-01',
          date: '2025-07-20',
          channel: 'air',
        }),
      ];
      const { importSubmitted } = await import('../../src/app/import-feed.js');
      const r = await importSubmitted(ctx, corrected, 'fixture', 'api');
      expect(r).toMatchObject({ rowsSuperseded: 1, rowsNew: 0 });
      const person = await getPerson(db, ctx.pack, ana);
      expect(
        person!.observations.filter((o) => o.kind === 'Departure').map((o) => [o.date, o.superseded]),
      ).toEqual([
        ['2025-07-01', true],
        ['2025-07-20', false],
      ]);
      expect(person!.stays[0]).toMatchObject({ outcome: 'departed-late', daysOverstay: 11 });
      const again = await importSubmitted(ctx, corrected, 'fixture', 'api');
      expect(again).toMatchObject({ rowsSuperseded: 0, rowsNew: 0, rowsUnchanged: 1 });
    });

    it('a feed that cannot be read is refused whole, and its run is marked failed', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'imos-bad-')), 'bad.csv');
      writeFileSync(file, 'record_id,kind,shoe_size\nX1,Admission,42\n');
      await expect(importFeedFiles(ctx, [file], 'bad')).rejects.toThrow(/unknown column\(s\) shoe_size/);
      const [run] = await db.session((s) =>
        s.query<{ status: string }>(
          `select status from import_run where source = 'bad' order by id desc limit 1`,
        ),
      );
      expect(run).toEqual({ status: 'failed' });
    });

    it('a full recompute rebuilds exactly the same stays and keeps the indexes', async () => {
      const snapshot = () =>
        db.session((s) =>
          s.query(`select person_id::text, seq, outcome, authorized_until::text, departed_on::text, rule, evidence::text, judged_on::text
                     from stay order by person_id, seq`),
        );
      const before = await snapshot();
      expect(before.length).toBeGreaterThan(3);
      const r = await recomputeAllStays(db, { pack: ctx.pack, asOf: '2026-11-01', chunkSize: 2 });
      expect(r.stays).toBe(before.length);
      expect(await snapshot()).toEqual(before);
      const indexes = await db.session((s) =>
        s.query<{ indexname: string }>(
          `select indexname from pg_indexes where tablename in ('stay', 'unmatched_departure') order by 1`,
        ),
      );
      expect(indexes.map((i) => i.indexname)).toEqual([
        'stay_authorized_until',
        'stay_pkey',
        'unmatched_departure_person',
        'unmatched_departure_pkey',
      ]);
      // Recomputing a few persons far apart (read by index probes, not by range) changes nothing either.
      const ids = (
        await db.session((s) => s.query<{ id: string }>('select id::text as id from person order by id'))
      ).map((p) => p.id);
      await recomputeStays(db, [ids[0]!, ids.at(-1)!], { pack: ctx.pack, asOf: '2026-11-01' });
      expect(await snapshot()).toEqual(before);
    });

    it('a record whose keys reach two stored persons merges them into the older one', async () => {
      const { importSubmitted } = await import('../../src/app/import-feed.js');
      const mk = (id: string, doc: string, adm: string) =>
        submitted({
          record_id: id,
          kind: 'Admission',
          doc_number: doc,
          doc_country: 'FRA',
          birth_date: '1960-01-02',
          date: '2025-01-01',
          port: 'JFK',
          class_of_admission: 'B2',
          admit_until: '2025-06-30',
          admission_number: adm,
        });
      await importSubmitted(
        ctx,
        [mk('M1', 'X10000001', '91000000001'), mk('M2', 'X10000002', '91000000002')],
        'merge',
        'api',
      );
      const before = [
        (await searchPersons(db, 'X10000001'))[0]!.personId,
        (await searchPersons(db, 'X10000002'))[0]!.personId,
      ];
      expect(before[0]).not.toBe(before[1]);
      const link = submitted({
        record_id: 'L1',
        kind: 'StatusChange',
        doc_number: 'X10000002',
        doc_country: 'FRA',
        birth_date: '1960-01-02',
        admission_number: '91000000001',
        date: '2025-03-01',
        change: 'extension',
        event: 'filed',
      });
      const r = await importSubmitted(ctx, [link], 'merge', 'api');
      expect(r.merges).toBe(1);
      const after = [
        (await searchPersons(db, 'X10000001'))[0]!.personId,
        (await searchPersons(db, 'X10000002'))[0]!.personId,
      ];
      expect(after[0]).toBe(after[1]);
      const older = before.sort((a, b) => Number(a) - Number(b))[0]!;
      expect(after[0]).toBe(older);
      const merged = await getPerson(db, ctx.pack, older);
      expect(merged!.stays).toHaveLength(2);
    });

    it('reads by index for the rest of a transaction only: the pooled connection keeps the defaults', async () => {
      const setting = async (s: Parameters<Parameters<Database['session']>[0]>[0]) =>
        (await s.query<{ on: string }>("select current_setting('enable_seqscan') as on"))[0]!.on;
      const inside = await db.transaction(async (s) => {
        await readByIndex(s);
        return setting(s);
      });
      expect(inside).toBe('off');
      // Every connection a pool could hand out next still plans as the server is configured.
      const after = await Promise.all(Array.from({ length: 4 }, () => db.session(setting)));
      expect(after).toEqual(['on', 'on', 'on', 'on']);
    });
  });
}
