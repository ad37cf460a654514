import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/app-context.js';
import type { FlatRecord } from '../../src/core/observation/flat-columns.js';
import { generatePopulation } from '../../src/generate/generate-population.js';
import { linkageResolver } from '../../src/identity/linkage-resolver.js';
import { loadRulePack } from '../../src/stays/load-rule-pack.js';
import type { Database } from '../../src/store/database.js';
import { listDeadLetters, retryDeadLetter } from '../../src/stream/dead-letters.js';
import { openJetStream, type JetStreamBus } from '../../src/stream/jetstream.js';
import { envelopeOf } from '../../src/stream/observation-envelope.js';
import { publishObservations } from '../../src/stream/publish-observations.js';
import { createScratchDatabase } from './scratch-database.js';
import { consumeUntil as consumeUntilShared } from '../support/consume-until.js';

/**
 * The observation stream against the machine's NATS JetStream and PostgreSQL: applied once, duplicates
 * dropped, bad messages to the dead letters and back, and a consumer killed (SIGKILL) in the middle of
 * 100,000 messages, then restarted: nothing lost, nothing applied twice.
 */
const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const scratch = createScratchDatabase('imos_stream');
const prefix = `T${randomBytes(4).toString('hex').toUpperCase()}`;
let db: Database;
let bus: JetStreamBus;
let ctx: AppContext;

beforeAll(async () => {
  db = await scratch.open();
  bus = await openJetStream(NATS_URL, prefix);
  ctx = { db, resolver: linkageResolver(), pack: loadRulePack('us'), asOf: () => '2026-11-01' };
});
afterAll(async () => {
  for (const s of [bus.names.observations, bus.names.changes, bus.names.deadLetters])
    await bus.jsm.streams.delete(s).catch(() => undefined);
  await bus.close();
  await db.close();
  await scratch.drop();
});

const count = async (sql: string) => {
  const [r] = await db.session((s) => s.query<{ n: number }>(sql));
  return r!.n;
};

const consumeUntil = (until: () => Promise<boolean>) =>
  consumeUntilShared(ctx, bus, until, { timeoutMs: 30_000 });

const departure = (id: string): FlatRecord => ({
  record_id: id,
  kind: 'Departure',
  given_names: 'Lena',
  family_names: 'Streamwood',
  birth_date: '1991-03-04',
  sex: 'F',
  nationality: 'AUT',
  doc_number: 'P7654321',
  doc_type: 'P',
  doc_country: 'AUT',
  date: '2026-02-01',
  port: 'JFK',
  channel: 'air',
});

describe('the observation stream (NATS JetStream)', () => {
  it('applies published observations once; the same records published again are dropped', async () => {
    const envelopes = ['S1', 'S2', 'S3'].map((id) => envelopeOf('stream-test', departure(id)));
    expect(await publishObservations(bus, envelopes)).toEqual({ published: 3, duplicates: 0 });
    expect(await publishObservations(bus, envelopes)).toEqual({ published: 0, duplicates: 3 });
    await consumeUntil(
      async () =>
        (await count("select count(*)::int as n from raw_record where source = 'stream-test'")) === 3,
    );
    expect(await count('select count(distinct person_id)::int as n from observation')).toBe(1);
    const info = await bus.jsm.consumers.info(bus.names.observations, bus.names.consumer);
    expect(info.num_pending + info.num_ack_pending).toBe(0);
  });

  it('sends a message that is no observation to the dead letters, with its error, and retries it', async () => {
    await bus.js.publish(bus.names.observationSubject('stream-test'), 'this is not JSON', { msgID: 'bad-1' });
    await consumeUntil(async () => (await listDeadLetters(bus)).length === 1);
    const [letter] = await listDeadLetters(bus);
    expect(letter).toMatchObject({
      error: 'the message is not JSON',
      data: 'this is not JSON',
      deliveries: 1,
    });
    await retryDeadLetter(bus, letter!.seq);
    await consumeUntil(async () => {
      const letters = await listDeadLetters(bus);
      return letters.length === 1 && letters[0]!.seq !== letter!.seq;
    });
  });

  it('loses nothing and applies nothing twice when the consumer is killed mid-stream and restarted', async () => {
    const source = 'stream-kill';
    const lettersBefore = (await listDeadLetters(bus)).length;
    const records: FlatRecord[] = [];
    for (const item of generatePopulation({ people: 40_000, seed: 9, noise: 0 })) {
      if (item.kind === 'record') records.push(item.record);
      if (records.length === 100_000) break;
    }
    const published = await publishObservations(
      bus,
      records.map((r) => envelopeOf(source, r)),
    );
    expect(published.published).toBe(100_000);

    const env = {
      ...process.env,
      DATABASE_URL: scratch.url,
      NATS_URL,
      IMOS_STREAM_PREFIX: prefix,
      IMOS_AS_OF: '2026-11-01',
    };
    const start = () =>
      spawn(process.execPath, ['bin/imos.js', 'stream', 'consume', '--batch', '500'], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    const appliedSoFar = (child: ChildProcess, atLeast: number) =>
      new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          const all = [...chunk.toString().matchAll(/(\d+) in all/g)].map((m) => Number(m[1]));
          if (all.some((n) => n >= atLeast)) resolve();
        });
        child.once('exit', (code) => reject(new Error(`the consumer stopped (exit ${code})`)));
      });

    const first = start();
    await appliedSoFar(first, 20_000);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const before = await count(`select count(*)::int as n from raw_record where source = '${source}'`);
    expect(before).toBeGreaterThanOrEqual(20_000);
    expect(before).toBeLessThan(100_000);

    const second = start();
    let log = '';
    second.stdout.on('data', (c: Buffer) => (log += c.toString()));
    second.stderr.on('data', (c: Buffer) => (log += c.toString()));
    try {
      const deadline = Date.now() + 150_000;
      for (;;) {
        const info = await bus.jsm.consumers.info(bus.names.observations, bus.names.consumer);
        if (info.num_pending + info.num_ack_pending === 0) break;
        if (Date.now() > deadline)
          throw new Error(
            `still ${info.num_pending} pending, ${info.num_ack_pending} unacknowledged; the consumer said: ${log.slice(-2000)}`,
          );
        await new Promise((r) => setTimeout(r, 500));
      }
    } finally {
      second.kill('SIGTERM');
      await new Promise((r) => second.once('exit', r));
    }
    expect(await count(`select count(*)::int as n from raw_record where source = '${source}'`)).toBe(100_000);
    expect(
      await count(
        `select count(*)::int as n from (select source_record_id from raw_record where source = '${source}' group by 1 having count(*) > 1) d`,
      ),
    ).toBe(0);
    expect(
      await count(
        `select count(*)::int as n from observation o join raw_record r on r.id = o.id where r.source = '${source}'`,
      ),
    ).toBe(100_000);
    expect(await count(`select count(*)::int as n from quarantine where source = '${source}'`)).toBe(0);
    const letters = await listDeadLetters(bus);
    expect(letters.map((l) => `${l.deliveries}: ${l.error}`).slice(lettersBefore)).toEqual([]);
  }, 240_000);
});
