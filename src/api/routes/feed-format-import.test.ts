import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../../../test/support/api-harness.js';
import { departureOfAdmission } from '../../../test/support/stay-of-admission.js';
import { loadRulePack } from '../../stays/load-rule-pack.js';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

const fixture = (path: string) =>
  readFileSync(new URL(`../../../test/fixtures/${path}`, import.meta.url), 'utf8');

const post = (query: string, payload: string, contentType: string) =>
  api.inject({
    method: 'POST',
    url: `/api/imports?${query}`,
    role: 'supervisor',
    payload,
    headers: { 'content-type': contentType, 'x-purpose': 'ingestion' },
  });

const stayOf = (admission: string) => departureOfAdmission(api.db, loadRulePack('us'), admission);

describe('POST /api/imports with a named format', () => {
  it("imports a partner's NDJSON entry records: an exact match is a confirmed land departure, bad lines quarantined", async () => {
    const res = await post(
      'source=partner-mex&format=partner-entries',
      fixture('partner/entries-mex.ndjson'),
      'application/x-ndjson',
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rowsRead: 3, rowsNew: 1, rowsQuarantined: 2, notes: [] });
    // Bo Testington (the fixture's Visa Waiver admission at LAX) entered Mexico at Tijuana.
    expect(await stayOf('A2')).toEqual({
      outcome: 'departed-on-time',
      departed_on: '2025-04-20',
      channel: 'land',
      status: 'confirmed',
    });
    const quarantined = await api.db.session((s) =>
      s.query<{ source_record_id: string; errors: { field: string; reason: string }[] }>(
        "select source_record_id, errors from quarantine where source = 'partner-mex' order by line",
      ),
    );
    expect(quarantined[0]!.errors[0]!.field).toBe('surname');
    expect(quarantined[1]).toEqual({
      source_record_id: 'MEX:INM-2025-0421-04',
      errors: [
        {
          field: 'birth_date',
          reason: '"04/21/1990" is not a date in a recognised unambiguous form (YYYY-MM-DD)',
        },
      ],
    });
  });

  it('imports a scan feed: exit scans confirm departures, entry scans are arrivals', async () => {
    const admitted = await post('source=i94-mrz', fixture('mrz/admissions.csv'), 'text/csv');
    expect(admitted.json()).toMatchObject({ rowsNew: 3 });
    const res = await post(
      'source=exit-scans&format=mrz-scans',
      fixture('mrz/scans.ndjson'),
      'application/x-ndjson',
    );
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ rowsNew: number; rowsQuarantined: number; notes: string[] }>();
    expect(body).toMatchObject({ rowsNew: 3, rowsQuarantined: 2 });
    expect(body.notes).toEqual([]);
    expect(await stayOf('MA1')).toMatchObject({
      outcome: 'departed-on-time',
      status: 'confirmed',
      channel: 'air',
    });
    expect(await stayOf('MA2')).toMatchObject({
      departed_on: '2025-09-04',
      channel: 'land',
      status: 'confirmed',
    });
  });

  it('says why a feed cannot be read: a scan feed as CSV, a partner file with an unknown column, an unknown format', async () => {
    const csvScans = await post('source=exit-scans&format=mrz-scans', 'mrz\n', 'text/csv');
    expect(csvScans.statusCode).toBe(400);
    expect(csvScans.json()).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'a mrz-scans feed is ndjson, not csv: send it as application/x-ndjson',
      },
    });

    const header = await post(
      'source=partner-can&format=partner-entries',
      'partner,record_id,surname\n',
      'text/csv',
    );
    expect(header.statusCode).toBe(422);
    expect(header.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: 'FEED_UNREADABLE',
      message: expect.stringMatching(/unknown partner entry column\(s\) surname/) as unknown,
    });

    const unknown = await post('source=x&format=apis', '', 'application/x-ndjson');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<{ error: { code: string } }>().error.code).toBe('VALIDATION_FAILED');
  });
});
