import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../app/app-context.js';
import { importFeedFiles, readFeedRecords, type ImportFormat } from '../app/import-feed.js';
import type { FieldError } from '../core/result/result.js';
import { linkageResolver } from '../identity/linkage-resolver.js';
import { loadRulePack } from '../stays/load-rule-pack.js';
import type { Database } from '../store/database.js';
import { openDatabase } from '../store/open-database.js';
import { applyObservations } from './apply-observations.js';
import { decodeEnvelope, envelopeOf, type ObservationEnvelope } from './observation-envelope.js';
import { envelopesOfRecords } from './publish-observations.js';

/**
 * A feed published to the stream and applied by the consumer is imported as an import of the file
 * imports it: two passengers of one manifest stay two persons, and a partner entry's errors name the
 * partner's columns. On the embedded store, without NATS (the messages go through JSON as on the wire);
 * test/integration/stream-manifest.nats.test.ts does the same through NATS JetStream.
 */
const fixture = (path: string) => new URL(`../../test/fixtures/${path}`, import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'imos-apply-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let db: Database | null = null;
afterEach(async () => {
  await db?.close();
  db = null;
});

async function context(): Promise<AppContext> {
  db = await openDatabase({ ephemeral: true });
  return { db, resolver: linkageResolver(), pack: loadRulePack('us'), asOf: () => '2026-11-01' };
}

/**
 * A closeout manifest LAX -> FRA with two namesakes (fake people): the same name, sex and birth date,
 * one travelling on a Brazilian passport, the other on a Portuguese one. Alike in everything the model
 * weighs but the passport's issuer, they are one person to the model; the manifest says they are two.
 */
const NAMESAKES_PAXLST = [
  "UNA:+.? '",
  "UNB+UNOA:4+LHAIR:ZZ+USCBP:ZZ+250420:2230+IC0777++APIS'",
  "UNH+M7+PAXLST:D:05B:UN:IATA+LH451/250420+01:F'",
  "BGM+266+CLOB'",
  "NAD+MS+++LH OPS DESK'",
  "TDT+20+LH451+++LH'",
  "LOC+125+LAX'",
  "DTM+189:2504201530:201'",
  "LOC+87+FRA'",
  "DTM+232:2504211100:201'",
  ...['FB1234567:BRA', 'CA7654321:PRT'].flatMap((doc) => {
    const [number, issuer] = doc.split(':');
    return [
      "NAD+FL+++OLIVEIRA SOUZA:FERNANDA'",
      "ATT+2++F'",
      "DTM+329:870615'",
      "LOC+178+LAX'",
      "LOC+179+FRA'",
      "NAT+2+BRA'",
      `DOC+P+${number}'`,
      "DTM+36:310201'",
      `LOC+91+${issuer}'`,
    ];
  }),
  "CNT+42:2'",
  "UNT+28+M7'",
  "UNZ+1+IC0777'",
  '',
].join('\n');

/** What `imos stream publish FILE --source SOURCE [--format]` sends, as the consumer decodes it. */
async function published(
  file: string,
  source: string,
  format: ImportFormat,
  syntax: 'csv' | 'ndjson' | 'edifact',
): Promise<ObservationEnvelope[]> {
  const out: ObservationEnvelope[] = [];
  const records = readFeedRecords(file, format, syntax);
  for await (const e of envelopesOfRecords(source, records, () => undefined, { format }))
    out.push(decodeEnvelope(JSON.stringify(e)));
  return out;
}

const personOf = async (source: string, recordId: string) => {
  const [row] = await db!.session((s) =>
    s.query<{ person_id: string }>(
      `select o.person_id::text as person_id from observation o join raw_record r on r.id = o.id
        where r.source = $1 and r.source_record_id = $2 and not o.superseded`,
      [source, recordId],
    ),
  );
  return row!.person_id;
};

const openReviews = async () => {
  const rows = await db!.session((s) =>
    s.query<{ n: number }>("select count(*)::int as n from identity_review where status = 'open'"),
  );
  return rows[0]!.n;
};

describe('manifest passengers from the stream', () => {
  const file = join(work, 'namesakes.edi');
  writeFileSync(file, NAMESAKES_PAXLST, 'latin1');

  it('carry their manifest: two look-alike passengers of one manifest stay two persons, and a review is queued', async () => {
    const envelopes = await published(file, 'apis-lh', 'paxlst', 'edifact');
    expect(envelopes).toHaveLength(2);
    expect(envelopes.map((e) => [e.list, e.format])).toEqual([
      ['paxlst/IC0777/M7', 'paxlst'],
      ['paxlst/IC0777/M7', 'paxlst'],
    ]);
    const [one, two] = envelopes.map((e) => e.fields.record_id!);

    const ctx = await context();
    const applied = await applyObservations(ctx, envelopes);
    expect(applied).toMatchObject({ records: 2, rowsNew: 2, rowsQuarantined: 0 });
    expect(await personOf('apis-lh', one!)).not.toBe(await personOf('apis-lh', two!));
    // A person decides whether they are one: the model's match is not thrown away.
    expect(applied.reviewsQueued).toBeGreaterThanOrEqual(1);
    expect(await openReviews()).toBe(applied.reviewsQueued);
  });

  it('without their manifest (a message published before envelopes carried it) they still apply, and the model joins them', async () => {
    // The control: the same records as a v1 envelope without `list` or `format` applies as before.
    const envelopes = (await published(file, 'apis-lh', 'paxlst', 'edifact')).map((e) =>
      decodeEnvelope(JSON.stringify(envelopeOf(e.source, e.fields, e.content))),
    );
    expect(envelopes.every((e) => !('list' in e) && !('format' in e))).toBe(true);
    const [one, two] = envelopes.map((e) => e.fields.record_id!);

    const ctx = await context();
    expect(await applyObservations(ctx, envelopes)).toMatchObject({ rowsNew: 2, rowsQuarantined: 0 });
    expect(await personOf('apis-lh', one!)).toBe(await personOf('apis-lh', two!));
  });
});

describe('partner entries from the stream', () => {
  const quarantined = async (source: string) => {
    const rows = await db!.session((s) =>
      s.query<{ id: string; format: string; errors: FieldError[] }>(
        `select source_record_id as id, format, errors from quarantine where source = $1 order by source_record_id`,
        [source],
      ),
    );
    return rows;
  };

  it('name their errors by the partner’s columns, as an import of the file does', async () => {
    const ctx = await context();
    const envelopes = await published(
      fixture('partner/entries-can.csv'),
      'partner-can',
      'partner-entries',
      'csv',
    );
    expect(envelopes.every((e) => e.format === 'partner-entries' && e.list === undefined)).toBe(true);
    expect(await applyObservations(ctx, envelopes)).toMatchObject({ rowsNew: 3, rowsQuarantined: 2 });
    const fromStream = await quarantined('partner-can');
    expect(fromStream).toEqual([
      {
        id: 'CAN:E-0004',
        format: 'partner-entries',
        errors: [
          { field: 'birth_date', reason: expect.stringMatching(/day 30 out of range/) as unknown },
          { field: 'sex', reason: expect.stringMatching(/is not one of F, M, X/) as unknown },
        ],
      },
      {
        id: 'CAN:E-0005',
        format: 'partner-entries',
        errors: [{ field: 'entry_date', reason: expect.stringMatching(/day 31 out of range/) as unknown }],
      },
    ]);

    // The same file imported: the same entries quarantined with the same errors, word for word (and
    // the two rows that cannot be read, which the publisher lists instead of sending).
    await importFeedFiles(ctx, [fixture('partner/entries-can.csv')], 'partner-file', undefined, undefined, {
      format: 'partner-entries',
    });
    expect((await quarantined('partner-file')).filter((q) => q.id.startsWith('CAN:'))).toEqual(fromStream);
  });

  it('sent without a format (canonical, or published before envelopes carried it) name the canonical columns', async () => {
    const ctx = await context();
    const envelopes = (
      await published(fixture('partner/entries-can.csv'), 'partner-can', 'partner-entries', 'csv')
    ).map((e) => envelopeOf(e.source, e.fields, e.content));
    await applyObservations(ctx, envelopes);
    const e5 = (await quarantined('partner-can')).find((q) => q.id === 'CAN:E-0005');
    expect(e5).toMatchObject({ format: 'ndjson', errors: [{ field: 'date' }] });
  });
});

describe('the envelope', () => {
  const fields = { record_id: 'X1', kind: 'Departure' };
  const wire = (extra: object) => JSON.stringify({ ...envelopeOf('apis', fields), ...extra });

  it('carries a list and a non-canonical format, and leaves both out when there are none', () => {
    expect(envelopeOf('apis', fields, undefined, { list: 'paxlst/I/M', format: 'paxlst' })).toMatchObject({
      list: 'paxlst/I/M',
      format: 'paxlst',
    });
    const plain = envelopeOf('apis', fields, undefined, { format: 'canonical' });
    expect(Object.keys(plain).sort()).toEqual(['content', 'fields', 'publishedAt', 'source', 'v']);
  });

  it('refuses a list or a format it cannot read: such a message is a dead letter, not misapplied', () => {
    expect(() => decodeEnvelope(wire({ list: 42 }))).toThrow(/^list: not a list key/);
    expect(() => decodeEnvelope(wire({ list: '' }))).toThrow(/^list: not a list key/);
    expect(() => decodeEnvelope(wire({ format: 'telex' }))).toThrow(/^format: not one of canonical, paxlst/);
    expect(decodeEnvelope(wire({ list: 'paxlst/I/M', format: 'partner-entries' }))).toMatchObject({
      list: 'paxlst/I/M',
      format: 'partner-entries',
    });
  });
});
