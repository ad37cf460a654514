import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { FLIGHT_OUT, interchange, message } from '../core/paxlst/test-fixtures.js';
import { loadPortCountries } from '../departures/port-countries.js';
import type { IncomingRecord } from './incoming-record.js';
import { readPaxlst } from './read-paxlst.js';

const work = mkdtempSync(join(tmpdir(), 'imos-paxlst-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const passenger = (family: string, given: string, nationality: string, doc: string) => [
  `NAD+FL+++${family}:${given}`,
  'ATT+2++F',
  'DTM+329:850101',
  `NAT+2+${nationality}`,
  `DOC+P+${doc}`,
  'DTM+36:300101',
  `LOC+91+${nationality}`,
];

const CELIK = passenger('ÇELİK', 'AYŞE', 'TUR', 'U1000001');
const MULLER = passenger('MÜLLER', 'JÜRGEN', 'DEU', 'C1000002');
const GONCALVES = passenger('GONÇALVES', 'JOÃO', 'PRT', 'P1000003');

/** A close-out of passengers leaving JFK, in the syntax given. */
const closeout = (syntax: string, controlRef: string, persons = [CELIK, MULLER]) =>
  interchange(
    [message('M1', ['BGM+266+CLOB', ...FLIGHT_OUT, ...persons.flat(), `CNT+42:${persons.length}`])],
    { syntax, controlRef },
  );

const read = async (input: string | Readable) => {
  const out: IncomingRecord[] = [];
  for await (const r of readPaxlst(input, loadPortCountries())) out.push(r);
  return out;
};
const names = (records: readonly IncomingRecord[]) =>
  records.map((r) =>
    r.fields ? `${r.fields.family_names}, ${r.fields.given_names}` : `error: ${r.readError?.reason}`,
  );

describe('reading a PAXLST file (imos import)', () => {
  it('reads a UNOY (UTF-8) manifest file with its names as written', async () => {
    const file = join(work, 'utf8.edi');
    writeFileSync(file, closeout('UNOY:4', 'ICUTF8'), 'utf8');
    const records = await read(file);
    expect(names(records)).toEqual(['ÇELİK, AYŞE', 'MÜLLER, JÜRGEN']);
    // Kept as received: the raw content holds the names too.
    expect(JSON.parse(records[0]!.content)).toMatchObject({ family_names: 'ÇELİK' });
  });

  it('reads a UNOC (Latin-1) file and a UTF-8 one after it in one file', async () => {
    const file = join(work, 'both.edi');
    writeFileSync(
      file,
      Buffer.concat([
        // Names Latin-1 holds (it has no İ or Ş).
        Buffer.from(closeout('UNOC:4', 'ICLATIN', [GONCALVES, MULLER]), 'latin1'),
        Buffer.from(closeout('UNOY:4', 'ICUTF8', [CELIK]), 'utf8'),
      ]),
    );
    expect(names(await read(file))).toEqual(['GONÇALVES, JOÃO', 'MÜLLER, JÜRGEN', 'ÇELİK, AYŞE']);
  });

  it('reads a stream of bytes cut inside characters', async () => {
    const data = Buffer.from(closeout('UNOY:4', 'ICUTF8'), 'utf8');
    const chunks: Buffer[] = [];
    for (let i = 0; i < data.length; i += 7) chunks.push(data.subarray(i, i + 7));
    expect(names(await read(Readable.from(chunks)))).toEqual(['ÇELİK, AYŞE', 'MÜLLER, JÜRGEN']);
  });

  it('makes each boarded passenger of the leg into the country an Arrival; a booked list is not evidence', async () => {
    const flightIn = (arrivalDate: string[]) => [
      'NAD+MS+++XYZ OPS DESK',
      'TDT+20+XY101+++XY',
      'LOC+125+LHR',
      'DTM+189:2507011015:201',
      'LOC+87+JFK',
      ...arrivalDate,
    ];
    const arriving = (bgm: string, dated = ['DTM+232:2507011405:201']) =>
      interchange([message('M1', [bgm, ...flightIn(dated), ...CELIK, ...MULLER, 'CNT+42:2'])], {
        syntax: 'UNOY:4',
      });
    const records = await read(Readable.from([arriving('BGM+266+CLOB')]));
    expect(records.map((r) => r.fields)).toEqual([
      expect.objectContaining({
        record_id: 'PAXLST/ARR/XY101/2025-07-01/JFK/TUR/U1000001',
        kind: 'Arrival',
        family_names: 'ÇELİK',
        date: '2025-07-01',
        port: 'JFK',
        channel: 'air',
        carrier: 'XY',
        flight: 'XY101',
      }),
      expect.objectContaining({ kind: 'Arrival', family_names: 'MÜLLER', doc_number: 'C1000002' }),
    ]);
    expect(JSON.parse(records[0]!.content)).toMatchObject({ kind: 'Arrival', manifest: { message: 'M1' } });
    expect(records[0]!.listKey).toBe(records[1]!.listKey);

    const notes: string[] = [];
    const booked: IncomingRecord[] = [];
    const reading = { ...loadPortCountries(), onNote: (n: string) => notes.push(n) };
    for await (const r of readPaxlst(Readable.from([arriving('BGM+745')]), reading)) booked.push(r);
    // Without an arrival date the day is not guessed: no records, and a note says so.
    for await (const r of readPaxlst(Readable.from([arriving('BGM+266+CLOB', [])]), reading)) booked.push(r);
    expect(booked).toEqual([]);
    expect(notes).toEqual([
      expect.stringMatching(/^message M1: booked list/),
      'message M1: the leg into USA has no arrival date (DTM+232): 2 arrivals not recorded',
    ]);
  });
});
