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

const MANIFEST = readFileSync(
  new URL('../../../test/fixtures/paxlst/lax-closeout.edi', import.meta.url),
  'latin1',
);

const postManifest = (source: string, payload: string | Buffer) =>
  api.inject({
    method: 'POST',
    url: `/api/imports?source=${source}`,
    role: 'supervisor',
    payload,
    headers: { 'content-type': 'application/edifact', 'x-purpose': 'ingestion' },
  });

describe('a PAXLST departure manifest posted to the API', () => {
  it('confirms the boarded passenger departed on the right stay, and quarantines the broken message naming its segment', async () => {
    const res = await postManifest('apis-lh', MANIFEST);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rowsNew: 1, rowsQuarantined: 1 });

    const stay = await departureOfAdmission(api.db, loadRulePack('us'), 'A2');
    expect(stay).toEqual({
      outcome: 'departed-on-time',
      departed_on: '2025-04-20',
      channel: 'air',
      status: 'confirmed',
    });

    const [q] = await api.db.session((s) =>
      s.query<{ errors: { field: string; reason: string }[]; content: string }>(
        "select errors, content from quarantine where source = 'apis-lh'",
      ),
    );
    expect(q!.errors[0]!.field).toBe('UNT');
    expect(q!.errors[0]!.reason).toMatch(/UNT.*segment \d+.*99/);
    expect(q!.content).toContain('NOBODY:BROKEN');

    // The same manifest again changes nothing.
    const again = await postManifest('apis-lh', MANIFEST);
    expect(again.json()).toMatchObject({ rowsNew: 0, rowsUnchanged: 2, rowsQuarantined: 0 });
  });
});

describe('a PAXLST arrival manifest posted to the API', () => {
  it("keeps each boarded passenger into the country as an Arrival that corroborates the person's admission", async () => {
    const admissions =
      'record_id,kind,given_names,family_names,birth_date,nationality,doc_number,doc_country,date,port,class_of_admission,admit_until\n' +
      'ARR-A1,Admission,Ines,Arrivera,1988-03-15,ESP,PX555555,ESP,2025-05-03,JFK,B2,2025-11-02\n';
    const admitted = await api.inject({
      method: 'POST',
      url: '/api/imports?source=i94-arr',
      role: 'supervisor',
      payload: admissions,
      headers: { 'content-type': 'text/csv', 'x-purpose': 'ingestion' },
    });
    expect(admitted.statusCode, admitted.body).toBe(200);
    const body = [
      'BGM+266+CLOB',
      'NAD+MS+++OPS DESK',
      'TDT+20+IB6251+++IB',
      'LOC+125+MAD',
      'DTM+189:2505022330:201',
      'LOC+87+JFK',
      'DTM+232:2505030130:201',
      'NAD+FL+++ARRIVERA:INES',
      'ATT+2++F',
      'DTM+329:880315',
      'NAT+2+ESP',
      'DOC+P+PX555555',
      'DTM+36:320101',
      'LOC+91+ESP',
      'CNT+42:1',
    ];
    const message = ['UNH+A1+PAXLST:D:05B:UN:IATA+IB6251/250502+01:F', ...body, `UNT+${body.length + 2}+A1`];
    const res = await postManifest('apis-ib', interchange('UNOA', 'IC9001', [message]));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rowsNew: 1, rowsQuarantined: 0 });

    const hits = await api.get('/api/persons?q=PX555555', 'supervisor');
    const [hit] = hits.json<{ hits: { personId: string }[] }>().hits;
    const page = await api.get(`/api/persons/${hit!.personId}`, 'supervisor');
    expect(page.statusCode, page.body).toBe(200);
    const person = page.json<{
      observations: { id: string; kind: string; port: string; flight: string | null; date: string }[];
      stays: { evidence: string[]; explanation: string; outcome: string }[];
      unmatchedArrivalIds: string[];
    }>();
    const arrival = person.observations.find((o) => o.kind === 'Arrival');
    expect(arrival).toMatchObject({ date: '2025-05-03', port: 'JFK', flight: 'IB6251' });
    expect(person.stays).toHaveLength(1);
    expect(person.stays[0]!.evidence).toContain(arrival!.id);
    expect(person.stays[0]!.explanation).toContain(
      `the admission is corroborated by the arrival record ${arrival!.id} (air IB6251 at JFK on 2025-05-03)`,
    );
    // An arrival is no departure: with none recorded, the stay is still open past its period.
    expect(person.stays[0]!.outcome).toBe('suspected-in-country-overstay');
    expect(person.unmatchedArrivalIds).toEqual([]);
  });
});

/** One passenger of a close-out: the NAD name (family:given) as text, and a passport. */
interface Passenger {
  readonly name: string;
  readonly nationality: string;
  readonly passport: string;
}

/** A close-out message (UNH..UNT) of passengers leaving JFK for FRA on 2 May 2025, counts computed. */
function closeout(ref: string, flight: string, passengers: readonly Passenger[]): string[] {
  const body = [
    'BGM+266+CLOB',
    'NAD+MS+++OPS DESK',
    `TDT+20+${flight}+++${flight.slice(0, 2)}`,
    'LOC+125+JFK',
    'DTM+189:2505021930:201',
    'LOC+87+FRA',
    'DTM+232:2505030915:201',
    ...passengers.flatMap((p) => [
      `NAD+FL+++${p.name}`,
      'ATT+2++F',
      'DTM+329:880315',
      `NAT+2+${p.nationality}`,
      `DOC+P+${p.passport}`,
      'DTM+36:320101',
      `LOC+91+${p.nationality}`,
    ]),
    `CNT+42:${passengers.length}`,
  ];
  return [`UNH+${ref}+PAXLST:D:05B:UN:IATA+${flight}/250502+01:F`, ...body, `UNT+${body.length + 2}+${ref}`];
}

/** An interchange of messages under a syntax identifier, one segment a line. */
function interchange(syntax: string, ref: string, messages: readonly string[][]): string {
  const segments = [
    `UNB+${syntax}:4+CARRIER:ZZ+USCBP:ZZ+250502:2230+${ref}++APIS`,
    ...messages.flat(),
    `UNZ+${messages.length}+${ref}`,
  ];
  return `UNA:+.? '\n${segments.map((s) => `${s}'\n`).join('')}`;
}

/** The current raw record of a manifest passenger, by flight and passport (their record id). */
async function rawRecordOf(flight: string, country: string, passport: string) {
  const [row] = await api.db.session((s) =>
    s.query<{ content: string }>(
      'select content from raw_record where source_record_id = $1 and superseded_by is null',
      [`PAXLST/${flight}/2025-05-02/JFK/${country}/${passport}`],
    ),
  );
  return row === undefined ? null : (JSON.parse(row.content) as Record<string, unknown>);
}

/** How a person search by passport number names the person. */
async function namesFound(passport: string): Promise<string[]> {
  const res = await api.get(`/api/persons?q=${passport}`, 'supervisor');
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ hits: { name: string }[] }>().hits.map((h) => h.name);
}

describe('PAXLST uploads are read as bytes, in the character set each interchange names', () => {
  it('imports a UNOC manifest sent as ISO 8859-1 bytes with its accented names intact', async () => {
    const text = interchange('UNOC', 'IC7001', [
      closeout('M1', 'LH401', [
        { name: 'MÜLLER:JÜRGEN', nationality: 'DEU', passport: 'C01X00T47' },
        { name: 'GONÇALVES:JOÃO', nationality: 'PRT', passport: 'CB123456' },
      ]),
    ]);
    const bytes = Buffer.from(text, 'latin1');
    // Latin-1 bytes, not UTF-8: Ü is the single byte 0xDC, which is no UTF-8 character on its own.
    expect(bytes.includes(Buffer.from([0xdc]))).toBe(true);
    expect(bytes.toString('utf8')).toContain('\uFFFD');

    const res = await postManifest('apis-unoc', bytes);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rowsRead: 2, rowsNew: 2, rowsQuarantined: 0 });

    expect(await rawRecordOf('LH401', 'DEU', 'C01X00T47')).toMatchObject({
      family_names: 'MÜLLER',
      given_names: 'JÜRGEN',
    });
    expect(await rawRecordOf('LH401', 'PRT', 'CB123456')).toMatchObject({
      family_names: 'GONÇALVES',
      given_names: 'JOÃO',
    });
    expect((await namesFound('C01X00T47')).join()).toContain('MÜLLER');
    expect((await namesFound('CB123456')).join()).toContain('GONÇALVES');
    // A family-name search finds the person by the name as written.
    const byName = await api.get(`/api/persons?q=${encodeURIComponent('Gonçalves')}`, 'supervisor');
    expect(
      byName
        .json<{ hits: { name: string }[] }>()
        .hits.map((h) => h.name)
        .join(),
    ).toContain('GONÇALVES');
  });

  it('imports a UNOY manifest sent as UTF-8 with its names intact (not read as Latin-1)', async () => {
    const bytes = Buffer.from(
      interchange('UNOY', 'IC7002', [
        closeout('M1', 'TK402', [{ name: 'ÇELİK:AYŞE', nationality: 'TUR', passport: 'U09876543' }]),
      ]),
      'utf8',
    );
    const res = await postManifest('apis-unoy', bytes);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rowsRead: 1, rowsNew: 1, rowsQuarantined: 0 });
    expect(await rawRecordOf('TK402', 'TUR', 'U09876543')).toMatchObject({
      family_names: 'ÇELİK',
      given_names: 'AYŞE',
    });
    expect((await namesFound('U09876543')).join()).toContain('ÇELİK');
  });

  it('keeps a UTF-8 character whole when a large upload is read in slices that split its bytes', async () => {
    const text = interchange('UNOY', 'IC7007', [
      closeout('M1', 'TK407', [{ name: 'ÇELİK:EMRE', nationality: 'TUR', passport: 'U24681357' }]),
    ]);
    const at = text.indexOf('NAD+FL+++');
    const head = Buffer.from(text.slice(0, at), 'utf8');
    // Spaces between segments are skipped; enough of them put Ç (0xC3 0x87) across the 64 KiB mark.
    const padding = Buffer.alloc(64 * 1024 - 1 - head.length - 'NAD+FL+++'.length, 0x20);
    const bytes = Buffer.concat([head, padding, Buffer.from(text.slice(at), 'utf8')]);
    expect([bytes[64 * 1024 - 1], bytes[64 * 1024]]).toEqual([0xc3, 0x87]);

    const res = await postManifest('apis-sliced', bytes);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rowsNew: 1, rowsQuarantined: 0 });
    expect(await rawRecordOf('TK407', 'TUR', 'U24681357')).toMatchObject({ family_names: 'ÇELİK' });
  });

  it('reads each interchange of one upload in its own character set', async () => {
    const bytes = Buffer.concat([
      Buffer.from(
        interchange('UNOY', 'IC7003', [
          closeout('M1', 'TK403', [{ name: 'ŞAHİN:GÜL', nationality: 'TUR', passport: 'U11223344' }]),
        ]),
        'utf8',
      ),
      Buffer.from(
        interchange('UNOC', 'IC7004', [
          closeout('M1', 'SK404', [{ name: 'ØSTERGÅRD:SØREN', nationality: 'DNK', passport: '208765432' }]),
        ]),
        'latin1',
      ),
    ]);
    const res = await postManifest('apis-mixed', bytes);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rowsRead: 2, rowsNew: 2, rowsQuarantined: 0 });
    expect(await rawRecordOf('TK403', 'TUR', 'U11223344')).toMatchObject({ family_names: 'ŞAHİN' });
    expect(await rawRecordOf('SK404', 'DNK', '208765432')).toMatchObject({
      family_names: 'ØSTERGÅRD',
      given_names: 'SØREN',
    });
  });

  it('rejects a UNOY message holding bytes that are not UTF-8, naming the segment, and keeps the good messages of the file', async () => {
    // A sender that wrote Latin-1 but declared UNOY: É (0xC9) starts a UTF-8 sequence the next byte breaks.
    const unoy = interchange('UNOY', 'IC7005', [
      closeout('M1', 'AF405', [{ name: 'ÇELİK:DENİZ', nationality: 'TUR', passport: 'U55667788' }]),
      closeout('M2', 'AF405', [{ name: 'LEFÈVRE:HÉLÈNE', nationality: 'FRA', passport: '18FR12345' }]),
      closeout('M3', 'AF405', [{ name: 'DURAND:LÉA', nationality: 'FRA', passport: '18FR67890' }]),
    ]);
    const [before, after] = unoy.split('LEFÈVRE:HÉLÈNE');
    const bytes = Buffer.concat([
      Buffer.from(before!, 'utf8'),
      Buffer.from('LEFÈVRE:HÉLÈNE', 'latin1'),
      Buffer.from(after!, 'utf8'),
      // The next interchange of the file, in Latin-1 as it says: read in its own set after the bad one.
      Buffer.from(
        interchange('UNOC', 'IC7006', [
          closeout('M1', 'LH406', [{ name: 'FAßBENDER:MARÍA', nationality: 'DEU', passport: 'C9F8K7L6M' }]),
        ]),
        'latin1',
      ),
    ]);

    const res = await postManifest('apis-bad-utf8', bytes);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rowsNew: 3, rowsQuarantined: 1 });
    expect(await rawRecordOf('AF405', 'TUR', 'U55667788')).toMatchObject({ family_names: 'ÇELİK' });
    expect(await rawRecordOf('AF405', 'FRA', '18FR67890')).toMatchObject({
      family_names: 'DURAND',
      given_names: 'LÉA',
    });
    expect(await rawRecordOf('LH406', 'DEU', 'C9F8K7L6M')).toMatchObject({
      family_names: 'FAßBENDER',
      given_names: 'MARÍA',
    });
    expect(await rawRecordOf('AF405', 'FRA', '18FR12345')).toBeNull();

    const quarantined = await api.db.session((s) =>
      s.query<{ errors: { field: string; reason: string }[]; content: string }>(
        "select errors, content from quarantine where source = 'apis-bad-utf8'",
      ),
    );
    expect(quarantined).toHaveLength(1);
    const [q] = quarantined;
    expect(q!.errors[0]!.field).toBe('NAD');
    // M2's passenger NAD, numbered as the interchange counts its segments: UNB 1, M1 2..18, M2 from 19.
    expect(q!.errors[0]!.reason).toMatch(
      /^NAD \(segment 27, line 28, offset \d+\): U\+FFFD: bytes that are not a character/,
    );
    // The rejected message is kept as received (as decoded), for the quarantine's reviewer.
    expect(q!.content).toMatch(/^UNH\+M2\+.*NAD\+FL\+\+\+LEF\uFFFDVRE:H\uFFFDL\uFFFDNE'/s);
  });

  it('still answers 413 to a PAXLST upload over the size limit, importing nothing', async () => {
    const res = await postManifest('apis-huge', Buffer.alloc(64 * 1024 * 1024 + 1, 0x20));
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({
      error: { code: 'PAYLOAD_TOO_LARGE', message: 'the request body is too large' },
    });
    const runs = await api.db.session((s) => s.query("select id from import_run where source = 'apis-huge'"));
    expect(runs).toEqual([]);
  });
});
