import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/app-context.js';
import { importFeedFiles } from '../../src/app/import-feed.js';
import { linkageResolver } from '../../src/identity/linkage-resolver.js';
import { loadRulePack } from '../../src/stays/load-rule-pack.js';
import type { Database } from '../../src/store/database.js';
import { openJetStream, type JetStreamBus } from '../../src/stream/jetstream.js';
import { freePort } from '../support/free-port.js';
import { runImos } from '../support/run-imos.js';
import { createScratchDatabase } from './scratch-database.js';
import { departureOfAdmission } from '../support/stay-of-admission.js';
import { consumeUntil as consumeUntilShared } from '../support/consume-until.js';

/**
 * `imos stream publish --format` against the machine's NATS JetStream and PostgreSQL (streams named by a
 * prefix of this run, deleted afterwards): a partner country's entry records and a carrier's PAXLST
 * manifest, published as an operator publishes them and applied by the durable consumer, end the stays
 * of the persons they name, as `imos import` of the same files does (src/app/import-feed.test.ts);
 * records that cannot be read are listed by the publisher and not sent.
 */
const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (path: string) => join(ROOT, 'test/fixtures', path);
const scratch = createScratchDatabase('imos_publish');
const prefix = `T${randomBytes(4).toString('hex').toUpperCase()}`;
const work = mkdtempSync(join(tmpdir(), 'imos-publish-formats-'));
let db: Database;
let bus: JetStreamBus;
let ctx: AppContext;

beforeAll(async () => {
  db = await scratch.open();
  bus = await openJetStream(NATS_URL, prefix);
  ctx = { db, resolver: linkageResolver(), pack: loadRulePack('us'), asOf: () => '2026-11-01' };
  // The passenger of test/fixtures/paxlst/lax-closeout.edi, admitted at LAX until the end of August.
  const passenger = join(work, 'admission-testington.csv');
  writeFileSync(
    passenger,
    'record_id,kind,given_names,family_names,birth_date,sex,nationality,doc_number,doc_type,doc_country,doc_expiry,admission_number,date,port,class_of_admission,admit_until\n' +
      'PT1,Admission,Bo,Testington,1985-12-24,M,DEU,Z98765432,P,DEU,2031-05-05,93000000009,2025-03-01,LAX,B2,2025-08-31\n',
  );
  await importFeedFiles(ctx, [fixture('partner/admissions.csv'), passenger], 'i94');
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

/** `imos stream publish ...` in a process of its own, as an operator runs it. */
const publish = (...args: string[]) => publishWith({}, ...args);

const publishWith = (env: Record<string, string>, ...args: string[]) =>
  runImos(['stream', 'publish', ...args], { NATS_URL, IMOS_STREAM_PREFIX: prefix, ...env });

const count = async (sql: string, params: unknown[]) => {
  const [r] = await db.session((s) => s.query<{ n: number }>(sql, params));
  return r!.n;
};
const stored = (source: string) =>
  count('select count(*)::int as n from raw_record where source = $1', [source]);
const quarantined = (source: string) =>
  count('select count(*)::int as n from quarantine where source = $1', [source]);

const consumeUntil = (until: () => Promise<boolean>) =>
  consumeUntilShared(ctx, bus, until, { drained: true });

interface StayRow {
  outcome: string;
  departed_on: string | null;
  channel: string | null;
  status: string | null;
  /** The departure observations the evidence cites, as `source/record id`. */
  cited: string[];
}

/** The stay that the admission with this record id opened, and the departure records its person has. */
async function stayOf(admission: string): Promise<StayRow> {
  const [cited] = await db.session((s) =>
    s.query<{ cited: string[] }>(
      `select coalesce((select array_agg(d.source || '/' || d.source_record_id order by d.source_record_id)
                          from observation o join raw_record d on d.id = o.id
                         where o.person_id = a.person_id and o.kind = 'Departure' and not o.superseded), '{}') as cited
         from raw_record r join observation a on a.id = r.id where r.source_record_id = $1`,
      [admission],
    ),
  );
  return { ...(await departureOfAdmission(db, ctx.pack, admission)), cited: cited!.cited };
}

describe('imos stream publish --format (NATS JetStream)', () => {
  it('publishes partner entries: exact matches become confirmed land departures; unreadable rows are listed, not sent', async () => {
    const r = await publish(
      fixture('partner/entries-can.csv'),
      '--source',
      'partner-can',
      '--format',
      'partner-entries',
    );
    // Two rows cannot be read: they are not sent, and the exit status says not everything was.
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(
      /^5 published, 0 already on the stream \(dropped\), 2 unreadable \(not published\)/,
    );
    expect(r.stderr).toContain("line 7: entry_port: is required: the partner's port of entry");
    expect(r.stderr).toContain('line 8: *: expected 14 columns, found 4');

    // Applied: three departures stored, the two invalid entries quarantined with their record ids.
    await consumeUntil(
      async () => (await stored('partner-can')) === 3 && (await quarantined('partner-can')) === 2,
    );
    const ids = await db.session((s) =>
      s.query<{ id: string }>(
        'select source_record_id as id from quarantine where source = $1 order by source_record_id',
        ['partner-can'],
      ),
    );
    expect(ids.map((q) => q.id)).toEqual(['CAN:E-0004', 'CAN:E-0005']);

    // On the right persons: each departure joined its admission's person and ended (or not) that stay.
    expect(await stayOf('PA1')).toEqual({
      outcome: 'departed-on-time',
      departed_on: '2025-07-15',
      channel: 'land',
      status: 'confirmed',
      cited: ['partner-can/CAN:E-0001'],
    });
    expect(await stayOf('PA2')).toEqual({
      outcome: 'departed-late',
      departed_on: '2025-06-10',
      channel: 'land',
      status: 'confirmed',
      cited: ['partner-can/CAN:E-0002'],
    });
    // A misread document number, placed by the linkage model: held for a person to confirm.
    expect(await stayOf('PA3')).toMatchObject({
      outcome: 'suspected-in-country-overstay',
      departed_on: null,
      status: 'pending-identity-review',
      cited: ['partner-can/CAN:E-0003'],
    });
    // The passenger of the manifest has no departure yet.
    expect(await stayOf('PT1')).toMatchObject({ departed_on: null, cited: [] });
  });

  it('publishes a PAXLST manifest (read by its name): the boarded passenger’s stay ends by air', async () => {
    const file = fixture('paxlst/lax-closeout.edi');
    const r = await publish(file, '--source', 'apis-lh');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^1 published, 0 already on the stream \(dropped\), 1 unreadable/);
    expect(r.stderr).toMatch(/line 22: UNT: .*segment count 99 does not match/);

    await consumeUntil(async () => (await stored('apis-lh')) === 1);
    expect(await stayOf('PT1')).toEqual({
      outcome: 'departed-on-time',
      departed_on: '2025-04-20',
      channel: 'air',
      status: 'confirmed',
      cited: ['apis-lh/PAXLST/LH451/2025-04-20/LAX/DEU/Z98765432'],
    });
    expect(await quarantined('apis-lh')).toBe(0);

    // The same manifest again: the server drops the message as a duplicate; nothing new is applied.
    const again = await publish(file, '--source', 'apis-lh', '--format', 'paxlst');
    expect(again.stdout).toMatch(/^0 published, 1 already on the stream \(dropped\)/);
    expect(await stored('apis-lh')).toBe(1);
  });

  it('refuses a file its format does not come in before it connects to NATS', async () => {
    // A NATS nobody answers on: the refusal is about the file, so it must come first.
    const r = await publishWith(
      { NATS_URL: `nats://127.0.0.1:${await freePort()}` },
      fixture('partner/entries-can.csv'),
      '--source',
      'exit-scans',
      '--format',
      'mrz-scans',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^imos: .*entries-can\.csv: a mrz-scans feed is ndjson, not csv\n$/);
  });
});
