import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { IncomingRecord } from './incoming-record.js';
import { preparedPartnerEntries, readPartnerEntries } from './read-partner-entries.js';

const fixture = (name: string) => new URL(`../../test/fixtures/partner/${name}`, import.meta.url).pathname;
const docs = readFileSync(new URL('../../docs/departures.md', import.meta.url), 'utf8');
const docEntries = /```csv partner-entries\n([\s\S]*?)```/.exec(docs)?.[1] ?? '';
const docDeparture = /```json partner-departure\n([\s\S]*?)```/.exec(docs)?.[1] ?? '';

async function read(input: string | Readable, syntax: 'csv' | 'ndjson'): Promise<IncomingRecord[]> {
  const out: IncomingRecord[] = [];
  for await (const r of readPartnerEntries(input, syntax)) out.push(r);
  return out;
}
const text = (s: string) => Readable.from([s]);

describe('readPartnerEntries', () => {
  it('reads the example of docs/departures.md into the departure the page shows', async () => {
    expect(docEntries).not.toBe('');
    const [record] = await read(text(docEntries), 'csv');
    expect(record!.fields).not.toBeNull();
    const defined = Object.fromEntries(Object.entries(record!.fields!).filter(([, v]) => v !== undefined));
    expect(defined).toEqual(JSON.parse(docDeparture));
  });

  it('reads a CSV file: entries as departures keeping the row received, bad rows as unreadable records', async () => {
    let header = '';
    const records: IncomingRecord[] = [];
    for await (const r of readPartnerEntries(fixture('entries-can.csv'), 'csv', (h) => (header = h)))
      records.push(r);
    expect(header).toMatch(/^partner,record_id,/);
    expect(records.map((r) => [r.line, r.fields?.record_id ?? null])).toEqual([
      [2, 'CAN:E-0001'],
      [3, 'CAN:E-0002'],
      [4, 'CAN:E-0003'],
      // Found by the import's validation, which keeps the record id.
      [5, 'CAN:E-0004'],
      [6, 'CAN:E-0005'],
      [7, null],
      [8, null],
    ]);
    const first = JSON.parse(records[0]!.content) as Record<string, string>;
    expect(first['received']).toBe(
      'CAN,E-0001,PRYKLADNA,OLENA,1988-03-14,F,UKR,FK123456,P,UKR,2032-01-01,0427,2025-07-15,14:32',
    );
    expect(first).toMatchObject({ record_id: 'CAN:E-0001', date: '2025-07-15', channel: 'land' });
    expect(records[5]!.readError).toEqual({
      field: 'entry_port',
      reason:
        'is required: the partner\'s port of entry; entry_time: "25:10" is not a time of day (HH:MM or HH:MM:SS, 24-hour, local time at the port)',
    });
    // The mapped fields travel with the unreadable row, so a fix keeps its record id.
    expect(JSON.parse(records[5]!.content)).toMatchObject({
      record_id: 'CAN:E-0006',
      received: 'CAN,E-0006,NOPORTSON,ALI,1992-02-02,M,IRL,PB000006,P,IRL,2030-01-01,,2025-06-03,25:10',
    });
    expect(records[6]).toMatchObject({
      content: 'CAN,E-0007,TOOSHORT,ROW',
      readError: { field: '*', reason: 'expected 14 columns, found 4' },
    });
  });

  it('names the import’s errors by the partner columns: entry_date, not date', async () => {
    const records = await read(fixture('entries-can.csv'), 'csv');
    const errors = [];
    for await (const batch of preparedPartnerEntries(records)) errors.push(...batch.errors);
    expect(errors.slice(0, 3)).toEqual([null, null, null]);
    expect(errors[3]).toEqual([
      { field: 'birth_date', reason: 'day 30 out of range for 1990-02 in "1990-02-30"' },
      { field: 'sex', reason: '"Q" is not one of F, M, X' },
    ]);
    expect(errors[4]).toEqual([
      { field: 'entry_date', reason: 'day 31 out of range for 2025-06 in "2025-06-31"' },
    ]);
  });

  it('refuses a header with an unknown column, a column twice, or a required column missing', async () => {
    await expect(read(text('partner,record_id,surname\n'), 'csv')).rejects.toThrow(
      /unknown partner entry column\(s\) surname/,
    );
    await expect(
      read(text('partner,record_id,doc_number,doc_country,entry_port,entry_date,entry_date\n'), 'csv'),
    ).rejects.toThrow(/entry_date named twice/);
    await expect(read(text('partner,record_id,doc_number,doc_country,entry_port\n'), 'csv')).rejects.toThrow(
      /the header has no entry_date column/,
    );
    await expect(read(text(''), 'csv')).rejects.toThrow(/empty/);
  });

  it('reads NDJSON: the same keys, numbers as text; an unknown key, a non-object or broken JSON is an error of its line', async () => {
    const records = await read(
      text(
        [
          '\uFEFF{"partner":"MEX","record_id":90001,"doc_number":"X1","doc_country":"ARG","entry_port":"TIJ","entry_date":"2025-04-21","entry_time":null}',
          '',
          '{"partner":"MEX","record_id":"R2","surname":"X","doc_number":"X2","doc_country":"ARG","entry_port":"TIJ","entry_date":"2025-04-21"}',
          '{"partner":"MEX","record_id":["R3"]}',
          '[1]',
          '{not json',
        ].join('\n'),
      ),
      'ndjson',
    );
    expect(records.map((r) => r.line)).toEqual([1, 3, 4, 5, 6]);
    expect(records[0]!.fields).toMatchObject({ record_id: 'MEX:90001', port: 'MEX:TIJ', doc_number: 'X1' });
    expect(records[1]!.readError).toEqual({
      field: 'surname',
      reason:
        'is not a partner entry field (partner, record_id, family_names, given_names, birth_date, sex, nationality, doc_number, doc_type, doc_country, doc_expiry, entry_port, entry_date, entry_time)',
    });
    expect(records[1]!.content).toContain('"surname":"X"');
    expect(records[2]!.readError).toEqual({ field: 'record_id', reason: '["R3"] is not a string' });
    expect(records[3]!.readError).toEqual({ field: '*', reason: 'a line must be a JSON object' });
    expect(records[4]!.readError?.reason).toMatch(/^not valid JSON/);
  });
});
