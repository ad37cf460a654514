import type { JsMsg } from '@nats-io/jetstream';
import type { AppContext } from '../app/app-context.js';
import { applyObservations, type AppliedBatch } from './apply-observations.js';
import { MAX_DELIVER, type JetStreamBus } from './jetstream.js';
import { decodeEnvelope, type ObservationEnvelope } from './observation-envelope.js';

export interface ConsumerOptions {
  /** Most messages applied in one micro-batch. */
  readonly batchSize?: number;
  /** How long a micro-batch may wait to fill once its first message arrived (default 20 ms). */
  readonly maxWaitMs?: number;
  readonly signal?: AbortSignal;
  /** After each applied micro-batch (acknowledged), with each message's publication time. */
  readonly onApplied?: (batch: AppliedBatch, publishedAt: readonly string[]) => void;
}

/** A dead letter: the message as it was, where it came from, why it failed and how often. */
export interface DeadLetter {
  readonly subject: string;
  readonly data: string;
  readonly error: string;
  readonly deliveries: number;
  readonly failedAt: string;
}

/**
 * The durable consumer that applies observations: fetches micro-batches, applies each in one go
 * (import, then stays), and acknowledges only after the store committed, so a consumer killed at any
 * point leaves the unacknowledged messages to be redelivered, and the import's idempotency finds the
 * ones already stored unchanged: nothing is lost, nothing applied twice. A batch that fails is applied
 * message by message; one that keeps failing goes to the dead-letter stream with its error.
 */
export async function runObservationConsumer(
  ctx: AppContext,
  bus: JetStreamBus,
  options: ConsumerOptions = {},
): Promise<void> {
  const consumer = await bus.js.consumers.get(bus.names.observations, bus.names.consumer);
  const batchSize = options.batchSize ?? 500;
  const maxWaitMs = options.maxWaitMs ?? 20;
  // A continuous pull: the server keeps up to two batches coming while one is applied.
  const incoming = await consumer.consume({ max_messages: 2 * batchSize });
  const buffer: JsMsg[] = [];
  let ended = false;
  let wake: (() => void) | null = null;
  const signal = () => {
    wake?.();
    wake = null;
  };
  const pump = (async () => {
    for await (const m of incoming) {
      buffer.push(m);
      if (buffer.length >= batchSize) signal();
      else if (buffer.length === 1) signal();
    }
    ended = true;
    signal();
  })();
  const stop = () => {
    void incoming.close();
    signal();
  };
  options.signal?.addEventListener('abort', stop);
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  try {
    while (!options.signal?.aborted && !ended) {
      if (buffer.length === 0) await sleep(1000);
      // A micro-batch: what has arrived, given a few milliseconds to fill.
      if (buffer.length > 0 && buffer.length < batchSize) await sleep(maxWaitMs);
      if (options.signal?.aborted) break;
      const batch = buffer.splice(0, batchSize);
      if (batch.length > 0) await applyMessages(ctx, bus, batch, options);
    }
  } finally {
    options.signal?.removeEventListener('abort', stop);
    await incoming.close();
    await pump.catch(() => undefined);
  }
}

async function applyMessages(
  ctx: AppContext,
  bus: JetStreamBus,
  messages: JsMsg[],
  options: ConsumerOptions,
) {
  const good: { m: JsMsg; e: ObservationEnvelope }[] = [];
  for (const m of messages) {
    try {
      good.push({ m, e: decodeEnvelope(m.string()) });
    } catch (err) {
      // Not an observation: no retry can help.
      await deadLetter(bus, m, err);
    }
  }
  if (good.length === 0) return;
  try {
    await applyAndAck(ctx, bus, good, options);
  } catch {
    // One bad message must not hold back the others: apply them one by one.
    for (const one of good) {
      try {
        await applyAndAck(ctx, bus, [one], options);
      } catch (err) {
        if (one.m.info.deliveryCount >= MAX_DELIVER) await deadLetter(bus, one.m, err);
        else {
          one.m.nak(1000 * one.m.info.deliveryCount);
          await bus.nc.flush();
        }
      }
    }
  }
}

async function applyAndAck(
  ctx: AppContext,
  bus: JetStreamBus,
  batch: { m: JsMsg; e: ObservationEnvelope }[],
  options: ConsumerOptions,
) {
  const applied = await applyObservations(
    ctx,
    batch.map((b) => b.e),
  );
  await Promise.all(batch.map((b) => b.m.ackAck()));
  if (applied.personIds.length > 0)
    await bus.js.publish(
      bus.names.changeSubject,
      JSON.stringify({
        at: new Date().toISOString(),
        records: applied.records,
        personIds: applied.personIds,
      }),
    );
  options.onApplied?.(
    applied,
    batch.map((b) => b.e.publishedAt),
  );
}

async function deadLetter(bus: JetStreamBus, m: JsMsg, err: unknown) {
  const letter: DeadLetter = {
    subject: m.subject,
    data: m.string(),
    error: err instanceof Error ? err.message : String(err),
    deliveries: m.info.deliveryCount,
    failedAt: new Date().toISOString(),
  };
  await bus.js.publish(bus.names.deadLetterSubject, JSON.stringify(letter));
  // No reason on the termination: servers before 2.10 take "+TERM <reason>" for something else and
  // redeliver (measured on 2.9.10); the reason is in the dead letter.
  m.term();
  // The termination must reach the server before anything else happens: else the message comes back.
  await bus.nc.flush();
}
