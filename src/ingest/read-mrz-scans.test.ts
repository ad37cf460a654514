import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseFlatRecord } from '../core/observation/parse-flat-record.js';
import type { IncomingRecord } from './incoming-record.js';
import { readMrzScans } from './read-mrz-scans.js';

const SCANS = new URL('../../test/fixtures/mrz/scans.ndjson', import.meta.url).pathname;

async function read(input: string | Readable) {
  const records: IncomingRecord[] = [];
  for await (const r of readMrzScans(input)) records.push(r);
  return { records };
}

describe('readMrzScans', () => {
  it('makes exit scans departures, entry scans arrivals, and names the MRZ field of a wrong check digit', async () => {
    const { records } = await read(SCANS);
    expect(records.map((r) => [r.line, r.fields?.record_id ?? null])).toEqual([
      [1, 'mrz:JFK:2025-08-01T22:20:00.000Z:EK1234567'],
      [2, 'mrz:0712:2025-09-04T03:30:00.000Z:C01X00T47'],
      [3, 'mrz:JFK:2025-05-10T14:02:11.000Z:EK1234567'],
      [5, null],
      [6, null],
    ]);
    expect(records[0]!.fields).toMatchObject({
      kind: 'Departure',
      family_names: 'KOWALSKA',
      given_names: 'ZOFIA',
      birth_date: '1990-02-15',
      doc_number: 'EK1234567',
      doc_country: 'POL',
      date: '2025-08-01',
      port: 'JFK',
      channel: 'air',
    });
    // A land crossing at 23:30 -04:00 is dated by its UTC day; the German "D" is DEU.
    expect(records[1]!.fields).toMatchObject({ date: '2025-09-04', channel: 'land', doc_country: 'DEU' });
    const stored = JSON.parse(records[1]!.content) as Record<string, string>;
    expect(JSON.parse(stored['received']!)).toMatchObject({ device: 'CHAMPLAIN-L3', direction: 'exit' });
    // The entry scan is an Arrival: the same person and document, the checkpoint, its mode, the UTC day.
    expect(records[2]!.fields).toEqual({
      ...records[0]!.fields,
      record_id: 'mrz:JFK:2025-05-10T14:02:11.000Z:EK1234567',
      kind: 'Arrival',
      date: '2025-05-10',
    });
    expect(parseFlatRecord(records[2]!.fields!)).toMatchObject({
      ok: true,
      value: { kind: 'Arrival', date: '2025-05-10', port: 'JFK', channel: 'air', carrier: null },
    });
    expect(JSON.parse(records[2]!.content)).toMatchObject({
      kind: 'Arrival',
      received: expect.any(String) as unknown,
    });
    expect(records[3]!.readError).toEqual({
      field: 'doc_number',
      reason: 'check digit 7 does not match 1; composite_check_digit: check digit 4 does not match 6',
    });
    expect(records[3]!.content).toContain('PAB1234567ESP');
    expect(records[4]!.readError).toEqual({ field: 'direction', reason: '"out" is not one of entry, exit' });
  });

  it('keeps a broken line as received and reads on', async () => {
    const good =
      '{"mrz":["P<POLKOWALSKA<<ZOFIA<<<<<<<<<<<<<<<<<<<<<<<<","EK12345676POL9002155F3201015<<<<<<<<<<<<<<<8"],"readAt":"2025-08-01T18:20:00-04:00","location":"JFK","direction":"exit","mode":"sea"}';
    const { records } = await read(Readable.from([`\uFEFF{"mrz": ["P<UTO\r\n${good}\r\n`]));
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      line: 1,
      content: '{"mrz": ["P<UTO',
      fields: null,
      readError: { field: '*', reason: 'the line is not valid JSON' },
    });
    expect(records[1]!.fields).toMatchObject({ channel: 'sea', port: 'JFK' });
  });
});
