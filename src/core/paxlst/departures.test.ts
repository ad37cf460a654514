import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFlatRecord } from '../observation/parse-flat-record.js';
import { manifestDepartures, primaryDocument } from './departures.js';
import { formatPaxlstError } from './manifest.js';
import { generatePaxlstFile, generatorPortCountry } from './generate.js';
import type { Manifest } from './manifest.js';
import { parsePaxlstText } from './parse-paxlst.js';
import {
  FLIGHT_OUT,
  PASSENGER_SEAN,
  crewList,
  interchange,
  message,
  onlyManifest,
  passengerList,
} from './test-fixtures.js';

const PORTS: Record<string, string> = {
  JFK: 'USA',
  ORD: 'USA',
  IAD: 'USA',
  LHR: 'GBR',
  CDG: 'FRA',
  USMIA: 'USA',
  BSNAS: 'BHS',
};
const portCountry = (code: string) => PORTS[code] ?? null;
const manifest = (messages: string[][]) => onlyManifest(parsePaxlstText(interchange(messages)));

describe('manifestDepartures', () => {
  it('gives a Departure flat record for each boarded passenger of a close-out list, accepted by parseFlatRecord', () => {
    const m = manifest([passengerList('M1', 'BGM+266+CLOB')]);
    const e = manifestDepartures(m, 'usa', portCountry);
    expect(e).toMatchObject({
      country: 'USA',
      evidence: true,
      note: 'close-out list: the persons listed were on board',
    });
    expect(e.departureLeg).toBe(m.legs[0]);
    expect(e.arrivalLeg).toBeNull();
    expect(e.skipped).toEqual([]);
    expect(e.departures.map((d) => [d.personIndex, d.role, d.crew, d.transit, d.evidence])).toEqual([
      [0, 'passenger', false, false, true],
      [1, 'passenger', false, false, true],
    ]);
    expect(e.departures[0]!.record).toMatchObject({
      record_id: 'PAXLST/XY100/2025-07-01/JFK/MEX/X12345678',
      kind: 'Departure',
      given_names: 'ANA LUCIA',
      family_names: 'EXAMPLETON',
      birth_date: '1990-04-01',
      sex: 'F',
      nationality: 'MEX',
      doc_number: 'X12345678',
      doc_type: 'P',
      doc_country: 'MEX',
      doc_expiry: '2030-01-01',
      date: '2025-07-01',
      port: 'JFK',
      channel: 'air',
      carrier: 'XY',
      flight: 'XY100',
    });
    const parsed = e.departures.map((d) => parseFlatRecord(d.record));
    expect(parsed.map((r) => r.ok)).toEqual([true, true]);
    expect(parsed[1]).toMatchObject({
      ok: true,
      value: {
        kind: 'Departure',
        person: {
          familyNames: "O'NEIL",
          document: { number: 'PA0000002', type: 'P', issuingCountry: 'IRL' },
        },
        date: '2025-07-01',
        channel: 'air',
      },
    });
  });

  it('gives the same record ids when the close-out is sent again in another interchange', () => {
    const a = manifestDepartures(manifest([passengerList('M1', 'BGM+266+CLOB')]), 'USA', portCountry);
    const text = interchange([passengerList('Z9', 'BGM+266+CLOB')], { controlRef: 'IC0002' });
    const b = manifestDepartures(onlyManifest(parsePaxlstText(text)), 'USA', portCountry);
    expect(b.departures.map((d) => d.record.record_id)).toEqual(a.departures.map((d) => d.record.record_id));
  });

  it('flags a booked list, a not-boarded list and a cancellation as no evidence, and says why', () => {
    const booked = manifestDepartures(manifest([passengerList()]), 'USA', portCountry);
    expect(booked.evidence).toBe(false);
    expect(booked.note).toMatch(/^booked list \(sent before departure\)/);
    expect(booked.departures.map((d) => d.evidence)).toEqual([false, false]);
    expect(
      manifestDepartures(manifest([passengerList('M', 'BGM+266+CLNB')]), 'USA', portCountry),
    ).toMatchObject({
      evidence: false,
      note: 'close-out list of persons NOT on board: not evidence of movement',
    });
    expect(manifestDepartures(manifest([passengerList('M', 'BGM+745+XR')]), 'USA', portCountry).note).toMatch(
      /cancellation/,
    );
  });

  it('flags crew and in-transit crew, whose records are still Departures', () => {
    const closeout = crewList().map((s) => (s === 'BGM+250+C' ? 'BGM+250+CLOB' : s));
    const e = manifestDepartures(manifest([closeout]), 'USA', portCountry);
    expect(e.departures.map((d) => [d.role, d.crew, d.transit, d.evidence])).toEqual([
      ['crew', true, false, true],
      ['transit-crew', true, true, true],
    ]);
    for (const d of e.departures) expect(parseFlatRecord(d.record).ok).toBe(true);
    expect(e.departures[1]!.record.doc_country).toBe('D');
  });

  it('gives arrival evidence for the leg that enters the country', () => {
    const m = manifest([passengerList('M1', 'BGM+266+CLOB')]);
    const e = manifestDepartures(m, 'GBR', portCountry);
    expect(e.departureLeg).toBeNull();
    expect(e.departures).toEqual([]);
    expect(e.arrivals.map((a) => [a.familyNames, a.date, a.port, a.channel, a.flight, a.evidence])).toEqual([
      ['EXAMPLETON', '2025-07-01', 'LHR', 'air', 'XY100', true],
      ["O'NEIL", '2025-07-01', 'LHR', 'air', 'XY100', true],
    ]);
    expect(e.arrivals[0]!.document).toMatchObject({ code: 'P', number: 'X12345678' });
    // Each arrival is also an Arrival flat record the import accepts.
    const first = e.arrivals[0]!.record!;
    expect(first).toMatchObject({
      record_id: 'PAXLST/ARR/XY100/2025-07-01/LHR/MEX/X12345678',
      kind: 'Arrival',
      family_names: 'EXAMPLETON',
      date: '2025-07-01',
      port: 'LHR',
      channel: 'air',
      carrier: 'XY',
      flight: 'XY100',
    });
    for (const a of e.arrivals) {
      const r = parseFlatRecord(a.record!);
      expect(r.ok && r.value.kind).toBe('Arrival');
    }
  });

  it('says when no leg leaves or enters the country', () => {
    const e = manifestDepartures(manifest([passengerList('M1', 'BGM+266+CLOB')]), 'JPN', portCountry);
    expect(e.note).toBe('close-out list: the persons listed were on board; no leg leaves or enters JPN');
    expect([e.departures, e.arrivals]).toEqual([[], []]);
  });

  it('on a multi-sector flight takes the leg out of the country and skips domestic travellers', () => {
    const legs = [
      'TDT+20+XY200+++XY',
      'LOC+92+ORD',
      'DTM+189:2507010700:201',
      'LOC+92+JFK',
      'TDT+20+XY200+++XY',
      'LOC+92+JFK',
      'DTM+189:2507011200:201',
      'LOC+92+CDG',
    ];
    const m = manifest([
      message('P1', [
        'BGM+266+CLOB',
        ...legs,
        'NAD+FL+++THROUGH:TOM',
        'LOC+178+ORD',
        'LOC+179+CDG',
        'DOC+P+T1',
        'LOC+91+USA',
        'NAD+FL+++DOMESTIC:DOT',
        'LOC+178+ORD',
        'LOC+179+JFK',
        'DOC+P+D1',
        'LOC+91+USA',
        'CNT+42:2',
      ]),
    ]);
    const e = manifestDepartures(m, 'USA', portCountry);
    expect(e.departureLeg).toBe(m.legs[1]);
    expect(e.departures.map((d) => [d.record.family_names, d.record.port, d.record.date])).toEqual([
      ['THROUGH', 'JFK', '2025-07-01'],
    ]);
    expect(e.skipped).toEqual([{ personIndex: 1, reason: 'debarks at JFK in USA: does not leave it' }]);
    const f = manifestDepartures(m, 'FRA', portCountry);
    expect(f.arrivals.map((a) => a.familyNames)).toEqual(['THROUGH']);
    expect(f.skipped).toEqual([{ personIndex: 1, reason: 'debarks at JFK, before leg XY200' }]);
  });

  it('gives channel sea for a voyage', () => {
    const m = manifest([
      message('S1', [
        'BGM+745+CLOB',
        'TDT+20+V123+1++SEALINE',
        'LOC+125+USMIA',
        'DTM+189:250701',
        'LOC+87+BSNAS',
        ...PASSENGER_SEAN,
        'CNT+42:1',
      ]),
    ]);
    const [d] = manifestDepartures(m, 'USA', portCountry).departures;
    expect(d!.record).toMatchObject({ channel: 'sea', port: 'USMIA', carrier: 'SEALINE', flight: 'V123' });
    expect(parseFlatRecord(d!.record).ok).toBe(true);
  });

  it('names a passport before an identity card or a visa, and no document when there are only visas', () => {
    const person = (codes: string[]) =>
      ({
        documents: codes.map((code) => ({ code, type: code.charAt(0), number: code })),
      }) as unknown as Manifest['persons'][number];
    expect(primaryDocument(person(['V', 'I', 'P']))!.code).toBe('P');
    expect(primaryDocument(person(['V', 'IP']))!.code).toBe('IP');
    expect(primaryDocument(person(['V']))).toBeNull();
    const m = manifest([
      message('V1', [
        'BGM+266+CLOB',
        ...FLIGHT_OUT,
        'NAD+FL+++VISAONLY:VAL',
        'DOC+V+V1',
        'LOC+91+USA',
        'CNT+42:1',
      ]),
    ]);
    const [d] = manifestDepartures(m, 'USA', portCountry).departures;
    expect(d!.record.record_id).toBe('PAXLST/IC0001/V1/1');
    expect(parseFlatRecord(d!.record)).toMatchObject({
      ok: false,
      errors: [
        { field: 'doc_number', reason: expect.stringMatching(/needs a travel document number/) as string },
      ],
    });
  });

  it('every departure of a generated file is a valid flat record', () => {
    let departures = 0;
    for (const r of parsePaxlstText(generatePaxlstFile(800, 3))) {
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      for (const d of manifestDepartures(r.message, 'USA', generatorPortCountry).departures) {
        departures++;
        const parsed = parseFlatRecord(d.record);
        if (!parsed.ok) throw new Error(JSON.stringify([d.record, parsed.errors]));
      }
    }
    expect(departures).toBeGreaterThan(100);
  });

  it('docs/paxlst.md: the example parses to the departure shown, and its broken form to the errors shown', () => {
    const docs = readFileSync(new URL('../../../docs/paxlst.md', import.meta.url), 'utf8');
    const text = /```edifact\n([\s\S]*?)```/.exec(docs)![1]!;
    const shown = JSON.parse(/```json departure\n([\s\S]*?)```/.exec(docs)![1]!) as unknown;
    const e = manifestDepartures(onlyManifest(parsePaxlstText(text)), 'USA', portCountry);
    expect(e.evidence).toBe(true);
    const record = Object.fromEntries(
      Object.entries(e.departures[0]!.record).filter(([, v]) => v !== undefined),
    );
    expect(record).toEqual(shown);
    expect(parseFlatRecord(e.departures[0]!.record).ok).toBe(true);
    const broken = text
      .replace('DTM+329:900401', 'DTM+329:901301')
      .replace('CNT+42:1', 'CNT+42:2')
      .replace('UNT+23+M1', 'UNT+22+M1');
    const lines = parsePaxlstText(broken).flatMap((r) => (r.ok ? [] : r.errors.map(formatPaxlstError)));
    const errorBlock = /rejected:\n\n```\n([\s\S]*?)```/.exec(docs)![1]!.trim().split('\n');
    expect(lines).toEqual(errorBlock);
  });
});
