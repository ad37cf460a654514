import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/app-context.js';
import type { FlatRecord } from '../../src/core/observation/flat-columns.js';
import { linkageResolver } from '../../src/identity/linkage-resolver.js';
import { loadRulePack } from '../../src/stays/load-rule-pack.js';
import type { Database } from '../../src/store/database.js';
import { applyObservations } from '../../src/stream/apply-observations.js';
import { listDeadLetters } from '../../src/stream/dead-letters.js';
import { openJetStream, type JetStreamBus } from '../../src/stream/jetstream.js';
import { runObservationConsumer } from '../../src/stream/observation-consumer.js';
import { envelopeOf, type ObservationEnvelope } from '../../src/stream/observation-envelope.js';
import { publishObservations } from '../../src/stream/publish-observations.js';
import { createScratchDatabase } from './scratch-database.js';

/**
 * Flow control of the observation consumer against the machine's NATS JetStream: with a short ack wait
 * and a store slower than it, no message the consumer holds is delivered a second time (so none is
 * applied twice or counted towards the dead letters), and the consumer never holds more than it may.
 */
const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const scratch = createScratchDatabase('imos_flow');
const prefix = `T${randomBytes(4).toString('hex').toUpperCase()}`;
/** Shorter than one batch's apply below: only progress acknowledgements keep the messages from coming back. */
const ACK_WAIT_MS = 1_000;
const APPLY_DELAY_MS = 1_500;
const MESSAGES = 20;
const BATCH = 5;
const MAX_IN_FLIGHT = 10;

let db: Database;
let bus: JetStreamBus;
let ctx: AppContext;

beforeAll(async () => {
  db = await scratch.open();
  bus = await openJetStream(NATS_URL, prefix, { ackWaitMs: ACK_WAIT_MS });
  ctx = { db, resolver: linkageResolver(), pack: loadRulePack('us'), asOf: () => '2026-11-01' };
});
afterAll(async () => {
  for (const s of [bus.names.observations, bus.names.changes, bus.names.deadLetters])
    await bus.jsm.streams.delete(s).catch(() => undefined);
  await bus.close();
  await db.close();
  await scratch.drop();
});

const departure = (i: number): FlatRecord => ({
  record_id: `F${i}`,
  kind: 'Departure',
  given_names: 'Ines',
  family_names: `Flowfield${String.fromCharCode(65 + i)}`,
  birth_date: '1988-05-06',
  sex: 'F',
  nationality: 'PRT',
  doc_number: `P${1_000_000 + i}`,
  doc_type: 'P',
  doc_country: 'PRT',
  date: '2026-03-01',
  port: 'JFK',
  channel: 'air',
});

describe('the observation consumer under a slow store (NATS JetStream)', () => {
  it('applies every message once, never redelivered, holding at most its in-flight limit', async () => {
    const published = await publishObservations(
      bus,
      Array.from({ length: MESSAGES }, (_, i) => envelopeOf('stream-flow', departure(i))),
    );
    expect(published.published).toBe(MESSAGES);

    const appliedIds: string[] = [];
    const unacknowledged: number[] = [];
    // The real apply, made slower than the ack wait, as a store under load would be.
    const slowApply = async (c: AppContext, envelopes: readonly ObservationEnvelope[]) => {
      const info = await bus.jsm.consumers.info(bus.names.observations, bus.names.consumer);
      unacknowledged.push(info.num_ack_pending);
      await new Promise((r) => setTimeout(r, APPLY_DELAY_MS));
      for (const e of envelopes) appliedIds.push(e.fields.record_id ?? '');
      return applyObservations(c, envelopes);
    };

    const stop = new AbortController();
    let applied = 0;
    const running = runObservationConsumer(ctx, bus, {
      batchSize: BATCH,
      maxInFlight: MAX_IN_FLIGHT,
      signal: stop.signal,
      apply: slowApply,
      onApplied: (b) => {
        applied += b.records;
        if (applied >= MESSAGES) stop.abort();
      },
    });
    const bound = setTimeout(() => stop.abort(), 60_000);
    try {
      await running;
    } finally {
      clearTimeout(bound);
    }

    expect(applied).toBe(MESSAGES);
    expect([...appliedIds].sort()).toEqual(Array.from({ length: MESSAGES }, (_, i) => `F${i}`).sort());
    const info = await bus.jsm.consumers.info(bus.names.observations, bus.names.consumer);
    // Every delivery the server made was a first one: nothing came back while it was held.
    expect(info.delivered.consumer_seq).toBe(MESSAGES);
    expect(info.num_redelivered).toBe(0);
    expect(info.num_pending + info.num_ack_pending).toBe(0);
    expect(Math.max(...unacknowledged)).toBeLessThanOrEqual(MAX_IN_FLIGHT);
    expect(await listDeadLetters(bus)).toEqual([]);
    const [row] = await db.session((s) =>
      s.query<{ n: number }>("select count(*)::int as n from raw_record where source = 'stream-flow'"),
    );
    expect(row!.n).toBe(MESSAGES);
  }, 90_000);
});
