import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { feedFileReading, readFeedRecords, type ImportFormat } from '../app/import-feed.js';
import { streamNames, type JetStreamBus } from './jetstream.js';
import { decodeEnvelope, messageIdOf, type ObservationEnvelope } from './observation-envelope.js';
import { envelopesOfRecords, publishObservations, type UnpublishedRecord } from './publish-observations.js';

const fixture = (path: string) => new URL(`../../test/fixtures/${path}`, import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'imos-publish-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What `imos stream publish` sends of a file, and what it lists instead of sending. */
async function publishable(file: string, format?: ImportFormat) {
  const reading = feedFileReading(file, format);
  const envelopes: ObservationEnvelope[] = [];
  const unpublished: UnpublishedRecord[] = [];
  const notes: string[] = [];
  const records = readFeedRecords(file, reading.format, reading.syntax, (n) => notes.push(n));
  for await (const e of envelopesOfRecords('feed-test', records, (u) => unpublished.push(u), {
    format: reading.format,
  }))
    envelopes.push(e);
  // Every envelope is one the consumer accepts, and no two of them are one message.
  for (const e of envelopes) expect(decodeEnvelope(JSON.stringify(e))).toEqual(e);
  expect(new Set(envelopes.map(messageIdOf)).size).toBe(envelopes.length);
  return { envelopes, unpublished, notes, content: envelopes.map((e) => JSON.parse(e.content) as object) };
}

describe('a feed file as observations to publish, read as `imos import` reads it', () => {
  it('partner entries (CSV): each readable entry a land departure; rows that cannot be read are listed', async () => {
    const r = await publishable(fixture('partner/entries-can.csv'), 'partner-entries');
    expect(r.envelopes.map((e) => e.fields.record_id)).toEqual([
      'CAN:E-0001',
      'CAN:E-0002',
      'CAN:E-0003',
      // Readable but invalid (a 30 February, a 31 June): sent, and quarantined when applied.
      'CAN:E-0004',
      'CAN:E-0005',
    ]);
    expect(r.envelopes[0]!.fields).toEqual({
      record_id: 'CAN:E-0001',
      kind: 'Departure',
      given_names: 'OLENA',
      family_names: 'PRYKLADNA',
      birth_date: '1988-03-14',
      sex: 'F',
      nationality: 'UKR',
      doc_number: 'FK123456',
      doc_type: 'P',
      doc_country: 'UKR',
      doc_expiry: '2032-01-01',
      date: '2025-07-15',
      port: 'CAN:0427',
      channel: 'land',
    });
    // Read as partner entries: the consumer names their errors by the partner's columns.
    expect(r.envelopes.every((e) => e.format === 'partner-entries' && !('list' in e))).toBe(true);
    // Kept as an import keeps it: the canonical fields beside the partner's row as received.
    expect(r.content[0]).toMatchObject({
      record_id: 'CAN:E-0001',
      received: 'CAN,E-0001,PRYKLADNA,OLENA,1988-03-14,F,UKR,FK123456,P,UKR,2032-01-01,0427,2025-07-15,14:32',
    });
    // A row failing the partner's own checks has no observation to send: its canonical fields alone
    // would pass, without the missing port and the impossible time.
    expect(r.unpublished).toEqual([
      {
        line: 7,
        error: {
          field: 'entry_port',
          reason: expect.stringMatching(
            /^is required.*; entry_time: "25:10" is not a time of day/,
          ) as unknown,
        },
      },
      { line: 8, error: { field: '*', reason: 'expected 14 columns, found 4' } },
    ]);
  });

  it('partner entries (NDJSON): a misspelt key is that line’s error only', async () => {
    const r = await publishable(fixture('partner/entries-mex.ndjson'), 'partner-entries');
    expect(r.envelopes.map((e) => [e.fields.record_id, e.fields.port, e.fields.channel])).toEqual([
      ['MEX:INM-2025-0420-77', 'MEX:TIJ', 'land'],
      ['MEX:INM-2025-0421-04', 'MEX:TIJ', 'land'],
    ]);
    expect(r.unpublished).toEqual([
      {
        line: 2,
        error: {
          field: 'surname',
          reason: expect.stringMatching(/^is not a partner entry field/) as unknown,
        },
      },
    ]);
  });

  it('PAXLST (by its name): each boarded passenger of the leg out a departure; a broken message is listed', async () => {
    const r = await publishable(fixture('paxlst/lax-closeout.edi'));
    expect(r.envelopes.map((e) => e.fields)).toEqual([
      expect.objectContaining({
        kind: 'Departure',
        family_names: 'TESTINGTON',
        doc_number: 'Z98765432',
        doc_country: 'DEU',
        date: '2025-04-20',
        port: 'LAX',
        channel: 'air',
        carrier: 'LH',
        flight: 'LH451',
      }),
    ]);
    expect(r.content[0]).toMatchObject({ manifest: { interchange: 'IC0451', message: 'M1' } });
    // With its manifest message, as the import passes it to the linkage: passengers of one list are
    // never one person.
    expect(r.envelopes[0]).toMatchObject({ list: 'paxlst/IC0451/M1', format: 'paxlst' });
    expect(r.unpublished).toEqual([
      {
        line: 22,
        error: { field: 'UNT', reason: expect.stringMatching(/segment count 99 does not match/) as unknown },
      },
    ]);
  });

  it('document scans: exit scans are departures, an entry scan an arrival, a wrong check digit listed', async () => {
    const r = await publishable(fixture('mrz/scans.ndjson'), 'mrz-scans');
    expect(
      r.envelopes.map((e) => [e.fields.kind, e.fields.doc_number, e.fields.date, e.fields.channel]),
    ).toEqual([
      ['Departure', 'EK1234567', '2025-08-01', 'air'],
      ['Departure', 'C01X00T47', '2025-09-04', 'land'],
      ['Arrival', 'EK1234567', '2025-05-10', 'air'],
    ]);
    expect(r.content[1]).toMatchObject({
      received: expect.stringContaining('"device":"CHAMPLAIN-L3"') as unknown,
    });
    expect(r.notes).toEqual([]);
    expect(r.unpublished.map((u) => [u.line, u.error.field])).toEqual([
      [5, 'doc_number'],
      [6, 'direction'],
    ]);
  });

  it('canonical CSV: a record travels as its fields in JSON; a broken row is listed, not sent as an empty record', async () => {
    const file = join(work, 'departures.csv');
    writeFileSync(
      file,
      'record_id,kind,given_names,family_names,birth_date,doc_number,doc_country,date,port,channel\n' +
        'D1,Departure,Ana,Exampleton,1990-04-01,X12345678,MEX,2025-07-01,JFK,air\n' +
        'D2,Departure,Short\n' +
        'D3,Departure,Ben,Exampleton,1991-05-02,X12345679,MEX,2025-07-02,JFK,air\n',
    );
    const r = await publishable(file);
    expect(r.envelopes.map((e) => e.fields.record_id)).toEqual(['D1', 'D3']);
    expect(r.content[0]).toEqual(r.envelopes[0]!.fields);
    // Canonical and on no list: the envelope is as it was before it could say either.
    expect(r.envelopes.some((e) => 'list' in e || 'format' in e)).toBe(false);
    expect(r.unpublished).toEqual([
      { line: 3, error: { field: '*', reason: 'expected 10 columns, found 3' } },
    ]);
  });

  it('refuses a file in a syntax its format does not come in, before reading it', () => {
    expect(() => feedFileReading(fixture('partner/entries-can.csv'), 'mrz-scans')).toThrow(
      /a mrz-scans feed is ndjson, not csv/,
    );
  });
});

/** A JetStream that acknowledges each message id once, then as a duplicate; or fails on one subject. */
function fakeBus(failOn?: string) {
  const sent: { subject: string; id: string }[] = [];
  const seen = new Set<string>();
  const bus = {
    names: streamNames('UNIT'),
    js: {
      publish: async (subject: string, _data: string, o: { msgID: string }) => {
        await new Promise((r) => setTimeout(r, 1));
        if (subject === failOn) throw new Error(`no stream answers ${subject}`);
        sent.push({ subject, id: o.msgID });
        const duplicate = seen.has(o.msgID);
        seen.add(o.msgID);
        return { duplicate };
      },
    },
  } as unknown as JetStreamBus;
  return { bus, sent };
}

describe('publishing observations', () => {
  it('sends each on its source’s subject under its message id, and counts what the server dropped', async () => {
    const { envelopes } = await publishable(fixture('partner/entries-can.csv'), 'partner-entries');
    const { bus, sent } = fakeBus();
    expect(await publishObservations(bus, envelopes, 2)).toEqual({ published: 5, duplicates: 0 });
    expect(await publishObservations(bus, envelopes, 2)).toEqual({ published: 0, duplicates: 5 });
    expect(sent[0]).toEqual({ subject: 'unit.observations.feed-test', id: messageIdOf(envelopes[0]!) });
  });

  it('fails when a publication fails, and when reading fails, once what was in flight has settled', async () => {
    const { envelopes } = await publishable(fixture('partner/entries-can.csv'), 'partner-entries');
    const failing = fakeBus('unit.observations.feed-test');
    await expect(publishObservations(failing.bus, envelopes)).rejects.toThrow(/no stream answers/);

    const { bus, sent } = fakeBus();
    function* brokenFeed() {
      yield* envelopes.slice(0, 3);
      throw new Error('the file went away');
    }
    await expect(publishObservations(bus, brokenFeed())).rejects.toThrow('the file went away');
    // The three sent before the failure were acknowledged before it was reported.
    expect(sent).toHaveLength(3);
  });
});
