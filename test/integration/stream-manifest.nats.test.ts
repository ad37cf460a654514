import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/app-context.js';
import { readFeedRecords } from '../../src/app/import-feed.js';
import type { FieldError } from '../../src/core/result/result.js';
import { linkageResolver } from '../../src/identity/linkage-resolver.js';
import { loadRulePack } from '../../src/stays/load-rule-pack.js';
import type { Database } from '../../src/store/database.js';
import { openJetStream, type JetStreamBus } from '../../src/stream/jetstream.js';
import { envelopesOfRecords, publishObservations } from '../../src/stream/publish-observations.js';
import { runImos } from '../support/run-imos.js';
import { createScratchDatabase } from './scratch-database.js';
import { consumeUntil as consumeUntilShared } from '../support/consume-until.js';

/**
 * What an import of a file passes on beside a record's fields, carried through NATS JetStream and
 * PostgreSQL (streams named by a prefix of this run, a scratch database; both removed afterwards): two
 * look-alike passengers of one PAXLST manifest, published with `imos stream publish` and applied by the
 * durable consumer, stay two persons and go to review; a partner entry quarantined from the stream names
 * the partner's columns (`entry_date`), as the import of the file does (src/app/import-feed.test.ts).
 */
const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const scratch = createScratchDatabase('imos_stream_manifest');
const prefix = `T${randomBytes(4).toString('hex').toUpperCase()}`;
const work = mkdtempSync(join(tmpdir(), 'imos-stream-manifest-'));
let db: Database;
let bus: JetStreamBus;
let ctx: AppContext;

beforeAll(async () => {
  db = await scratch.open();
  bus = await openJetStream(NATS_URL, prefix);
  ctx = { db, resolver: linkageResolver(), pack: loadRulePack('us'), asOf: () => '2026-11-01' };
});
afterAll(async () => {
  if (bus) {
    for (const s of [bus.names.observations, bus.names.changes, bus.names.deadLetters])
      await bus.jsm.streams.delete(s).catch(() => undefined);
    await bus.close();
  }
  await db?.close();
  await scratch.drop();
  rmSync(work, { recursive: true, force: true });
});

/**
 * A closeout manifest LAX -> FRA with two namesakes (fake people): the same name, sex and birth date,
 * one on a Brazilian passport, the other on a Portuguese one. The model takes them for one person (the
 * passports' issuers differ, so they do not rule each other out); the manifest says they are two.
 */
const NAMESAKES = [
  "UNA:+.? '",
  "UNB+UNOA:4+LHAIR:ZZ+USCBP:ZZ+250420:2230+IC0778++APIS'",
  "UNH+M1+PAXLST:D:05B:UN:IATA+LH451/250420+01:F'",
  "BGM+266+CLOB'",
  "NAD+MS+++LH OPS DESK'",
  "TDT+20+LH451+++LH'",
  "LOC+125+LAX'",
  "DTM+189:2504201530:201'",
  "LOC+87+FRA'",
  "DTM+232:2504211100:201'",
  ...[
    ['FB1234567', 'BRA'],
    ['CA7654321', 'PRT'],
  ].flatMap(([number, issuer]) => [
    "NAD+FL+++OLIVEIRA SOUZA:FERNANDA'",
    "ATT+2++F'",
    "DTM+329:870615'",
    "LOC+178+LAX'",
    "LOC+179+FRA'",
    "NAT+2+BRA'",
    `DOC+P+${number}'`,
    "DTM+36:310201'",
    `LOC+91+${issuer}'`,
  ]),
  "CNT+42:2'",
  "UNT+28+M1'",
  "UNZ+1+IC0778'",
  '',
].join('\n');

/** `imos stream publish ...` in a process of its own, as an operator runs it. */
const publish = (...args: string[]) =>
  runImos(['stream', 'publish', ...args], { NATS_URL, IMOS_STREAM_PREFIX: prefix });

const count = async (sql: string, params: unknown[]) => {
  const [r] = await db.session((s) => s.query<{ n: number }>(sql, params));
  return r!.n;
};

const consumeUntil = (until: () => Promise<boolean>) =>
  consumeUntilShared(ctx, bus, until, { drained: true });

describe('the stream carries what an import passes on beside the fields (NATS JetStream)', () => {
  it('keeps two look-alike passengers of one manifest apart, and queues their pair for review', async () => {
    const file = join(work, 'namesakes.edi');
    writeFileSync(file, NAMESAKES, 'latin1');
    const r = await publish(file, '--source', 'apis-lh');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^2 published, 0 already on the stream \(dropped\), 0 unreadable/);

    const stored = () => count("select count(*)::int as n from raw_record where source = 'apis-lh'", []);
    await consumeUntil(async () => (await stored()) === 2);

    const persons = await db.session((s) =>
      s.query<{ person_id: string }>(
        `select o.person_id::text as person_id
           from observation o join raw_record r on r.id = o.id where r.source = 'apis-lh' order by r.id`,
      ),
    );
    expect(persons).toHaveLength(2);
    expect(persons[0]!.person_id).not.toBe(persons[1]!.person_id);
    // The model's match is kept for a person to decide: the pair of them is in the review queue.
    const [a, b] = persons.map((p) => p.person_id);
    expect(
      await count(
        `select count(*)::int as n from identity_review where status = 'open'
          and ((record_person_id = $1 and candidate_person_id = $2) or (record_person_id = $2 and candidate_person_id = $1))`,
        [a, b],
      ),
    ).toBeGreaterThanOrEqual(1);
  });

  it('names a quarantined partner entry’s errors by the partner’s columns', async () => {
    const file = fileURLToPath(new URL('../fixtures/partner/entries-can.csv', import.meta.url));
    const records = readFeedRecords(file, 'partner-entries', 'csv');
    const sent = await publishObservations(
      bus,
      envelopesOfRecords('partner-can', records, () => undefined, { format: 'partner-entries' }),
    );
    expect(sent).toEqual({ published: 5, duplicates: 0 });

    const quarantined = () =>
      count("select count(*)::int as n from quarantine where source = 'partner-can'", []);
    await consumeUntil(async () => (await quarantined()) === 2);
    const rows = await db.session((s) =>
      s.query<{ id: string; format: string; errors: FieldError[] }>(
        `select source_record_id as id, format, errors from quarantine where source = 'partner-can'
          order by source_record_id`,
      ),
    );
    expect(rows.map((q) => [q.id, q.format, q.errors.map((e) => e.field)])).toEqual([
      ['CAN:E-0004', 'partner-entries', ['birth_date', 'sex']],
      ['CAN:E-0005', 'partner-entries', ['entry_date']],
    ]);
  });
});
