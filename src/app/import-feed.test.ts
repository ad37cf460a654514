import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departureOfAdmission, stayOfAdmission } from '../../test/support/stay-of-admission.js';
import { linkageResolver } from '../identity/linkage-resolver.js';
import { loadRulePack } from '../stays/load-rule-pack.js';
import type { Database } from '../store/database.js';
import { openDatabase } from '../store/open-database.js';
import type { AppContext } from './app-context.js';
import { importFeedFiles } from './import-feed.js';
import { listQuarantine } from './quarantine-service.js';
import {
  observationFromRaw,
  RAW_COLUMNS,
  RAW_OF_OBSERVATION,
  type RawObservationRow,
} from './stored-observation.js';

const fixture = (path: string) => new URL(`../../test/fixtures/${path}`, import.meta.url).pathname;

let db: Database;
let ctx: AppContext;
beforeAll(async () => {
  db = await openDatabase({ ephemeral: true });
  ctx = { db, resolver: linkageResolver(), pack: loadRulePack('us'), asOf: () => '2026-11-01' };
});
afterAll(async () => {
  await db.close();
});

interface StayRow {
  outcome: string;
  departed_on: string | null;
  channel: string | null;
  status: string | null;
}

/** The stay that the admission with this record id opened. */
const stayOf = (admission: string): Promise<StayRow> => departureOfAdmission(db, ctx.pack, admission);

async function storedObservation(source: string, recordId: string) {
  const [row] = await db.session((s) =>
    s.query<RawObservationRow>(
      `select ${RAW_COLUMNS} from observation o ${RAW_OF_OBSERVATION} where r.source = $1 and r.source_record_id = $2`,
      [source, recordId],
    ),
  );
  return observationFromRaw(row!);
}

describe('importing a partner country’s entry records', () => {
  it('confirms exact matches as land departures, holds a model match for review, quarantines bad rows', async () => {
    await importFeedFiles(ctx, [fixture('partner/admissions.csv')], 'i94');
    const [r] = await importFeedFiles(
      ctx,
      [fixture('partner/entries-can.csv')],
      'partner-can',
      undefined,
      undefined,
      {
        format: 'partner-entries',
      },
    );
    expect(r).toMatchObject({ rowsRead: 7, rowsNew: 3, rowsQuarantined: 4, linkedByModel: 1, notes: [] });

    // Exact document match: confirmed, on time.
    expect(await stayOf('PA1')).toEqual({
      outcome: 'departed-on-time',
      departed_on: '2025-07-15',
      channel: 'land',
      status: 'confirmed',
    });
    // Exact match after the 90 Visa Waiver days: confirmed, late (an out-of-country overstay).
    expect(await stayOf('PA2')).toEqual({
      outcome: 'departed-late',
      departed_on: '2025-06-10',
      channel: 'land',
      status: 'confirmed',
    });
    // A misread document number, placed by the linkage model: not counted until a person confirms it.
    expect(await stayOf('PA3')).toEqual({
      outcome: 'suspected-in-country-overstay',
      departed_on: null,
      channel: null,
      status: 'pending-identity-review',
    });

    // The observation reads back from the stored envelope, with the partner's row kept beside it.
    const o = await storedObservation('partner-can', 'CAN:E-0001');
    expect(o).toMatchObject({ kind: 'Departure', date: '2025-07-15', port: 'CAN:0427', channel: 'land' });
    expect(o?.provenance.sourceRecordId).toBe('CAN:E-0001');

    const q = await listQuarantine(ctx);
    const bad = q.entries.filter((e) => e.source === 'partner-can');
    expect(
      bad.map((e) => [e.line, e.sourceRecordId?.startsWith('hash:') ? 'hash' : e.sourceRecordId]),
    ).toEqual([
      [5, 'CAN:E-0004'],
      [6, 'CAN:E-0005'],
      [7, 'hash'],
      [8, 'hash'],
    ]);
    expect(bad[0]!.errors).toEqual([
      { field: 'birth_date', reason: 'day 30 out of range for 1990-02 in "1990-02-30"' },
      { field: 'sex', reason: '"Q" is not one of F, M, X' },
    ]);
    expect(bad[1]!.errors).toEqual([
      { field: 'entry_date', reason: 'day 31 out of range for 2025-06 in "2025-06-31"' },
    ]);
    expect(bad[2]!.errors[0]!.field).toBe('entry_port');
    expect(bad[2]!.fields.record_id).toBe('CAN:E-0006');
    expect(bad[3]!.content).toBe('CAN,E-0007,TOOSHORT,ROW');
    expect(bad[0]!.file).toBe(fixture('partner/entries-can.csv'));
    expect(bad[0]!.content).toContain('"received":"CAN,E-0004,BROKENRIDGE');

    // The same file again changes nothing.
    const [again] = await importFeedFiles(
      ctx,
      [fixture('partner/entries-can.csv')],
      'partner-can',
      undefined,
      undefined,
      {
        format: 'partner-entries',
      },
    );
    expect(again).toMatchObject({ rowsRead: 7, rowsNew: 0, rowsUnchanged: 7, rowsQuarantined: 0 });
  });
});

describe('importing a document scan feed', () => {
  it('confirms exit scans as departures on the right stays, keeps entry scans as arrivals, quarantines a wrong check digit', async () => {
    await importFeedFiles(ctx, [fixture('mrz/admissions.csv')], 'i94');
    const [r] = await importFeedFiles(
      ctx,
      [fixture('mrz/scans.ndjson')],
      'exit-scans',
      undefined,
      undefined,
      {
        format: 'mrz-scans',
      },
    );
    expect(r).toMatchObject({ rowsRead: 5, rowsNew: 3, rowsQuarantined: 2 });
    expect(r!.notes).toEqual([]);

    // Her entry scan on the day of her admission is an Arrival that corroborates it.
    const arrival = await storedObservation('exit-scans', 'mrz:JFK:2025-05-10T14:02:11.000Z:EK1234567');
    expect(arrival).toMatchObject({ kind: 'Arrival', date: '2025-05-10', port: 'JFK', channel: 'air' });
    const corroborated = await stayOfAdmission(db, ctx.pack, 'MA1');
    expect(corroborated.evidence).toContain(arrival!.id);
    expect(corroborated.explanation).toContain(
      `the admission is corroborated by the arrival record ${arrival!.id} (air at JFK on 2025-05-10)`,
    );

    expect(await stayOf('MA1')).toEqual({
      outcome: 'departed-on-time',
      departed_on: '2025-08-01',
      channel: 'air',
      status: 'confirmed',
    });
    expect(await stayOf('MA2')).toEqual({
      outcome: 'departed-on-time',
      departed_on: '2025-09-04',
      channel: 'land',
      status: 'confirmed',
    });
    // Her only exit scan had a wrong check digit: nothing ends her stay.
    expect(await stayOf('MA3')).toMatchObject({
      outcome: 'suspected-in-country-overstay',
      departed_on: null,
    });

    const o = await storedObservation('exit-scans', 'mrz:0712:2025-09-04T03:30:00.000Z:C01X00T47');
    expect(o).toMatchObject({ kind: 'Departure', channel: 'land', port: '0712' });
    expect(o?.person.document).toEqual({
      number: 'C01X00T47',
      type: 'P',
      issuingCountry: 'DEU',
      expiry: '2033-03-15',
    });

    const bad = (await listQuarantine(ctx)).entries.filter((e) => e.source === 'exit-scans');
    expect(bad.map((e) => [e.line, e.errors])).toEqual([
      [
        5,
        [
          {
            field: 'doc_number',
            reason: 'check digit 7 does not match 1; composite_check_digit: check digit 4 does not match 6',
          },
        ],
      ],
      [6, [{ field: 'direction', reason: '"out" is not one of entry, exit' }]],
    ]);
    expect(bad[0]!.content).toContain('"device":"MIA-D-EXIT-07"');
  });

  it('refuses a scan feed that is not NDJSON, reading nothing of it', async () => {
    await expect(
      importFeedFiles(ctx, [fixture('partner/entries-can.csv')], 'exit-scans', undefined, undefined, {
        format: 'mrz-scans',
      }),
    ).rejects.toThrow(/entries-can\.csv: a mrz-scans feed is ndjson, not csv/);
  });

  it('refuses a file whose name gives no syntax, saying how it should be named', async () => {
    await expect(
      importFeedFiles(ctx, [fixture('paxlst/lax-closeout.edi')], 'exit-scans', undefined, undefined, {
        format: 'mrz-scans',
      }),
    ).rejects.toThrow(/lax-closeout\.edi: a mrz-scans file is ndjson, named \*\.ndjson or \*\.jsonl$/);
  });
});
