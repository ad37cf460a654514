import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/app-context.js';
import type { DeadLetterList, DeadLetterRetry } from '../../src/api/routes/stream-routes.js';
import type { FlatRecord } from '../../src/core/observation/flat-columns.js';
import { linkageResolver } from '../../src/identity/linkage-resolver.js';
import { loadRulePack } from '../../src/stays/load-rule-pack.js';
import type { Database } from '../../src/store/database.js';
import { openJetStream, type JetStreamBus } from '../../src/stream/jetstream.js';
import { envelopeOf } from '../../src/stream/observation-envelope.js';
import { publishObservations } from '../../src/stream/publish-observations.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { consumeUntil as consumeUntilShared } from '../support/consume-until.js';

/**
 * Dead letters seen and retried through the API, against the machine's NATS JetStream (streams named
 * by a prefix of this run, deleted afterwards): an observation that failed every delivery while the
 * store was down, and a message that is no observation, are listed with their error, subject,
 * deliveries, time and source record; retried one by one and all at once, the first is applied and the
 * second comes back with the same error.
 */
const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const prefix = `T${randomBytes(4).toString('hex').toUpperCase()}`;
const SOURCE = 'dead-letter-test';
const INGESTION = { 'x-purpose': 'ingestion' };
let api: ApiHarness;
let bus: JetStreamBus;
let ctx: AppContext;

beforeAll(async () => {
  api = await startApi({ stream: { natsUrl: NATS_URL, prefix } });
  bus = await openJetStream(NATS_URL, prefix);
  ctx = { db: api.db, resolver: linkageResolver(), pack: loadRulePack('us'), asOf: () => '2026-11-01' };
});
afterAll(async () => {
  await api?.close();
  if (bus) {
    for (const s of [bus.names.observations, bus.names.changes, bus.names.deadLetters])
      await bus.jsm.streams.delete(s).catch(() => undefined);
    await bus.close();
  }
});

/** The same store, down: every session and transaction fails, as during an outage. */
const storeDown = (db: Database): Database =>
  new Proxy(db, {
    get: (target, key) =>
      key === 'session' || key === 'transaction'
        ? () => Promise.reject(new Error('the store is down (test)'))
        : (Reflect.get(target, key) as unknown),
  });

const consumeUntil = (on: AppContext, until: () => Promise<boolean>) => consumeUntilShared(on, bus, until);

const list = async (role: 'supervisor' | 'admin' = 'supervisor') => {
  const res = await api.get('/api/stream/dead-letters', role, INGESTION);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<DeadLetterList>();
};

const retry = async (url: string) => {
  const res = await api.inject({ method: 'POST', url, role: 'supervisor', headers: INGESTION });
  return { status: res.statusCode, body: res.json<DeadLetterRetry & { error?: { code: string } }>() };
};

const storedRecords = async () => {
  const [r] = await api.db.session((s) =>
    s.query<{ n: number }>(
      "select count(*)::int as n from raw_record where source = $1 and source_record_id = 'DL-1'",
      [SOURCE],
    ),
  );
  return r!.n;
};

const departure: FlatRecord = {
  record_id: 'DL-1',
  kind: 'Departure',
  given_names: 'Ilse',
  family_names: 'Letterwood',
  birth_date: '1988-06-07',
  sex: 'F',
  nationality: 'AUT',
  doc_number: 'P1122334',
  doc_type: 'P',
  doc_country: 'AUT',
  date: '2026-10-01',
  port: 'JFK',
  channel: 'air',
};

describe('dead letters in the API (NATS JetStream)', () => {
  it('lists what kept failing with its error and source record, and retries one, then all', async () => {
    expect(await list()).toEqual({ stream: `${prefix}_DEAD_LETTERS`, total: 0, letters: [], next: null });

    // An observation that fails every delivery (the store is down), then a message that is no observation.
    await publishObservations(bus, [envelopeOf(SOURCE, departure)]);
    await consumeUntil({ ...ctx, db: storeDown(api.db) }, async () => (await list()).total === 1);
    await bus.js.publish(bus.names.observationSubject(SOURCE), 'not an observation', { msgID: 'garbage-1' });
    await consumeUntil(ctx, async () => (await list()).total === 2);
    expect(await storedRecords()).toBe(0);

    const listed = await list('admin');
    expect(listed.next).toBeNull();
    const [failed, garbage] = listed.letters;
    expect(failed).toMatchObject({
      subject: `${prefix.toLowerCase()}.observations.${SOURCE}`,
      source: SOURCE,
      recordId: 'DL-1',
      error: 'the store is down (test)',
      deliveries: 5,
    });
    expect(garbage).toMatchObject({
      subject: `${prefix.toLowerCase()}.observations.${SOURCE}`,
      source: SOURCE, // from the subject: the message itself says nothing
      recordId: null,
      error: 'the message is not JSON',
      deliveries: 1,
    });
    expect(Date.parse(failed!.failedAt)).toBeLessThanOrEqual(Date.parse(garbage!.failedAt));
    expect(JSON.stringify(listed)).not.toContain('Letterwood'); // the record itself is not shown

    // The read is audited with the dead letters and the source record they hold.
    const [entry] = await api.db.session((s) =>
      s.query<{ action: string; username: string; record_refs: string[] }>(
        'select action, username, record_refs from audit_entry order by seq desc limit 1',
      ),
    );
    expect(entry).toEqual({
      action: 'quarantine.list',
      username: 'demo.admin',
      record_refs: [
        `dead-letter:${prefix}_DEAD_LETTERS/${failed!.seq}`,
        `record:${SOURCE}/DL-1`,
        `dead-letter:${prefix}_DEAD_LETTERS/${garbage!.seq}`,
      ],
    });

    // The store is back: the observation is retried and applied; it leaves the dead letters.
    const one = await retry(`/api/stream/dead-letters/${failed!.seq}/retry`);
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.body).toEqual({ retried: [failed], remaining: 1 });
    const again = await retry(`/api/stream/dead-letters/${failed!.seq}/retry`);
    expect([again.status, again.body.error?.code]).toEqual([404, 'NOT_FOUND']);
    await consumeUntil(ctx, async () => (await storedRecords()) === 1);
    expect((await list()).letters.map((l) => l.seq)).toEqual([garbage!.seq]);

    // Retry all: the message that is no observation fails again and comes back, as a new dead letter.
    const all = await retry('/api/stream/dead-letters/retry');
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    expect(all.body.retried.map((l) => l.seq)).toEqual([garbage!.seq]);
    await consumeUntil(ctx, async () => (await list()).total === 1);
    const [back] = (await list()).letters;
    expect(back!.seq).toBeGreaterThan(garbage!.seq);
    expect(back).toMatchObject({ error: 'the message is not JSON', recordId: null, deliveries: 1 });
    expect(await storedRecords()).toBe(1);
  }, 120_000);

  it('pages through the dead letters, past the gap a retried one leaves', async () => {
    const before = await list();
    for (let i = 0; i < 3; i++)
      await bus.js.publish(bus.names.deadLetterSubject, JSON.stringify(deadLetterOf(`page ${i}`)));
    const added = (await list()).letters.slice(before.letters.length);
    expect(added.map((l) => [l.error, l.recordId])).toEqual([
      ['page 0', 'DL-page 0'],
      ['page 1', 'DL-page 1'],
      ['page 2', 'DL-page 2'],
    ]);
    expect((await retry(`/api/stream/dead-letters/${added[1]!.seq}/retry`)).status).toBe(200);

    const page = (url: string) => api.get(url, 'supervisor', INGESTION).then((r) => r.json<DeadLetterList>());
    const first = await page(`/api/stream/dead-letters?limit=${before.letters.length + 1}`);
    expect(first.total).toBe(before.total + 2);
    expect(first.next).toBe(added[0]!.seq);
    const rest = await page(`/api/stream/dead-letters?after=${first.next}&limit=500`);
    expect(rest).toMatchObject({ total: before.total + 2, next: null });
    expect([...first.letters, ...rest.letters].map((l) => l.error)).toEqual([
      ...before.letters.map((l) => l.error),
      'page 0',
      'page 2',
    ]);
  });
});

function deadLetterOf(error: string) {
  return {
    subject: bus.names.observationSubject(SOURCE),
    data: JSON.stringify(envelopeOf(SOURCE, { ...departure, record_id: `DL-${error}` })),
    error,
    deliveries: 5,
    failedAt: new Date().toISOString(),
  };
}
