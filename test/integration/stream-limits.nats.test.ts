import { randomBytes } from 'node:crypto';
import { AckPolicy, RetentionPolicy, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHANGES_MAX_AGE_MS,
  CHANGES_MAX_BYTES,
  DEAD_LETTERS_MAX_AGE_MS,
  openJetStream,
  streamNames,
} from '../../src/stream/jetstream.js';

/**
 * The streams' limits against the machine's NATS JetStream: made with them, and an existing stream or
 * consumer (from a version without them) brought to them on start.
 */
const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const NS = 1_000_000;
const DAY_NS = 86_400 * 1_000_000_000;
const prefixes: string[] = [];
const freshPrefix = () => {
  const p = `T${randomBytes(4).toString('hex').toUpperCase()}`;
  prefixes.push(p);
  return p;
};
let nc: NatsConnection;

beforeAll(async () => {
  nc = await connect({ servers: NATS_URL });
});
afterAll(async () => {
  const jsm = await jetstreamManager(nc);
  for (const p of prefixes) {
    const n = streamNames(p);
    for (const s of [n.observations, n.changes, n.deadLetters])
      await jsm.streams.delete(s).catch(() => undefined);
  }
  await nc.close();
});

describe('the JetStream streams and their limits', () => {
  it('creates the change stream for a day and the dead letters for thirty days; observations until applied', async () => {
    const bus = await openJetStream(NATS_URL, freshPrefix());
    try {
      const changes = (await bus.jsm.streams.info(bus.names.changes)).config;
      expect(changes.max_age).toBe(DAY_NS);
      expect(changes.max_age).toBe(CHANGES_MAX_AGE_MS * NS);
      expect(changes.max_bytes).toBe(CHANGES_MAX_BYTES);
      const letters = (await bus.jsm.streams.info(bus.names.deadLetters)).config;
      expect(letters.max_age).toBe(30 * DAY_NS);
      expect(letters.max_age).toBe(DEAD_LETTERS_MAX_AGE_MS * NS);
      expect(letters.max_bytes).toBe(-1);
      const observations = (await bus.jsm.streams.info(bus.names.observations)).config;
      expect(observations).toMatchObject({ retention: RetentionPolicy.Workqueue, max_age: 0, max_bytes: -1 });
    } finally {
      await bus.close();
    }
  });

  it('brings streams and a consumer made without limits to them, keeping what they hold; opening again changes nothing', async () => {
    const prefix = freshPrefix();
    const n = streamNames(prefix);
    const jsm = await jetstreamManager(nc);
    // As a version before the limits made them.
    await jsm.streams.add({
      name: n.observations,
      subjects: [n.observationSubjects],
      retention: RetentionPolicy.Workqueue,
    });
    await jsm.streams.add({ name: n.changes, subjects: [n.changeSubject] });
    await jsm.streams.add({ name: n.deadLetters, subjects: [n.deadLetterSubject] });
    await jsm.consumers.add(n.observations, {
      durable_name: n.consumer,
      ack_policy: AckPolicy.Explicit,
      max_deliver: 5,
      ack_wait: 30_000 * NS,
      max_ack_pending: 20_000,
    });
    nc.publish(n.deadLetterSubject, 'an old dead letter');
    await nc.flush();

    const first = await openJetStream(NATS_URL, prefix, { ackWaitMs: 5_000 });
    const configs = async () =>
      Promise.all(
        [n.observations, n.changes, n.deadLetters].map(async (s) => (await jsm.streams.info(s)).config),
      );
    const afterFirst = await configs();
    await first.close();
    const again = await openJetStream(NATS_URL, prefix, { ackWaitMs: 5_000 });
    try {
      expect((await again.jsm.streams.info(n.changes)).config.max_age).toBe(DAY_NS);
      const letters = await again.jsm.streams.info(n.deadLetters);
      expect(letters.config.max_age).toBe(30 * DAY_NS);
      // Updated in place: what the stream held is still there.
      expect(letters.state.messages).toBe(1);
      const consumer = await again.jsm.consumers.info(n.observations, n.consumer);
      expect(consumer.config.ack_wait).toBe(5_000 * NS);
      expect(await configs()).toEqual(afterFirst);
    } finally {
      await again.close();
    }
  });
});
