import { JetStreamApiCodes, JetStreamApiError, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { AppContext } from '../app/app-context.js';
import { applyObservations, type AppliedBatch } from './apply-observations.js';
import { HeldMessages } from './held-messages.js';
import { ACK_WAIT_MS, MAX_DELIVER, type JetStreamBus } from './jetstream.js';
import { decodeEnvelope, type ObservationEnvelope } from './observation-envelope.js';

export interface ConsumerOptions {
  /** Most messages applied in one micro-batch (default 500). */
  readonly batchSize?: number;
  /**
   * Most messages this process holds at once: fetched and waiting, or being applied (default two
   * batches, so the next batch arrives while one is applied; never less than one batch).
   */
  readonly maxInFlight?: number;
  /** How long a micro-batch may wait to fill once its first message arrived (default 20 ms). */
  readonly maxWaitMs?: number;
  readonly signal?: AbortSignal;
  /** After each applied micro-batch (acknowledged), with each message's publication time. */
  readonly onApplied?: (batch: AppliedBatch, publishedAt: readonly string[]) => void;
  /** Applies a micro-batch to the store (default `applyObservations`: import, then stays). */
  readonly apply?: (ctx: AppContext, envelopes: readonly ObservationEnvelope[]) => Promise<AppliedBatch>;
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
 * How long one pull waits on the server for messages. Short, so that a consumer that stops leaves at
 * most one open pull behind (messages the server sends to it after the stop wait one ack wait).
 */
const FETCH_EXPIRES_MS = 5_000;

/** After a failed fetch (the server away, a missed heartbeat), before the next. */
const FETCH_RETRY_MS = 1_000;

export class ConsumerGone extends Error {
  readonly code = 'STREAM_CONSUMER_GONE';
}

/**
 * The durable consumer that applies observations: fetches micro-batches, applies each in one go
 * (import, then stays), and acknowledges only after the store committed, so a consumer killed at any
 * point leaves the unacknowledged messages to be redelivered, and the import's idempotency finds the
 * ones already stored unchanged: nothing is lost, nothing applied twice. A batch that fails is applied
 * message by message; one that keeps failing goes to the dead-letter stream with its error.
 *
 * Flow control (ADR 11): a process holds at most `maxInFlight` unacknowledged messages. It pulls
 * only as many as it has room for, in whole batches, so nothing piles up in a buffer while a batch is
 * applied, and it sends an in-progress acknowledgement for every message it holds each third of the
 * consumer's ack wait, so a slow batch (a busy store) never lets the server deliver a held message a
 * second time. Stopped, it hands back at once what it fetched and did not apply.
 */
export async function runObservationConsumer(
  ctx: AppContext,
  bus: JetStreamBus,
  options: ConsumerOptions = {},
): Promise<void> {
  const consumer = await bus.js.consumers.get(bus.names.observations, bus.names.consumer);
  // The server's ack wait, whatever created the consumer (its default, 30 s, when none was set).
  const ackWaitMs = ((await consumer.info(true)).config.ack_wait ?? ACK_WAIT_MS * 1_000_000) / 1_000_000;
  const batchSize = options.batchSize ?? 500;
  const capacity = Math.max(batchSize, options.maxInFlight ?? 2 * batchSize);
  const maxWaitMs = options.maxWaitMs ?? 20;
  const held = new HeldMessages(capacity, ackWaitMs);
  const buffer: JsMsg[] = [];
  const state: { stopped: boolean; fetching: ConsumerMessages | null; failure: Error | null } = {
    stopped: false,
    fetching: null,
    failure: null,
  };
  let wake: (() => void) | null = null;
  const signal = () => {
    wake?.();
    wake = null;
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  const stop = () => {
    state.stopped = true;
    void state.fetching?.close();
    held.wakeAll();
    signal();
  };

  const fetcher = (async () => {
    while (!state.stopped) {
      // Pull whole batches: a pull for a handful while a batch is applied would only add round trips.
      await held.whenRoomFor(Math.min(batchSize, capacity));
      if (state.stopped) break;
      try {
        const messages = await consumer.fetch({
          max_messages: capacity - held.size,
          expires: FETCH_EXPIRES_MS,
        });
        state.fetching = messages;
        for await (const m of messages) {
          held.add(m);
          buffer.push(m);
          if (buffer.length === 1 || buffer.length >= batchSize) signal();
        }
      } catch (err) {
        if (state.stopped) break;
        if (await consumerGone(bus)) {
          state.failure = new ConsumerGone(
            `the consumer ${bus.names.consumer} of ${bus.names.observations} is gone: ${(err as Error).message}`,
          );
          break;
        }
        // The server is away (the client reconnects) or missed a heartbeat: pull again shortly.
        await sleepFor(FETCH_RETRY_MS);
      } finally {
        state.fetching = null;
      }
    }
    state.stopped = true;
    signal();
  })();

  options.signal?.addEventListener('abort', stop);
  if (options.signal?.aborted) stop();
  try {
    while (!state.stopped) {
      if (buffer.length === 0) await sleep(1000);
      // A micro-batch: what has arrived, given a few milliseconds to fill.
      if (buffer.length > 0 && buffer.length < batchSize) await sleep(maxWaitMs);
      if (state.stopped) break;
      const batch = buffer.splice(0, batchSize);
      if (batch.length > 0) await applyMessages(ctx, bus, held, batch, options);
    }
  } finally {
    options.signal?.removeEventListener('abort', stop);
    stop();
    await fetcher;
    // Fetched but not applied: back to the stream now, for this consumer or another, not after the ack wait.
    for (const m of buffer.splice(0)) {
      held.release(m);
      try {
        m.nak();
      } catch {
        // The connection is closed: the server delivers it again after the ack wait instead.
      }
    }
    held.stop();
    await bus.nc.flush().catch(() => undefined);
  }
  if (state.failure !== null) throw state.failure;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether the stream or the durable consumer no longer exists (deleted): nothing left to fetch from. */
async function consumerGone(bus: JetStreamBus): Promise<boolean> {
  try {
    await bus.jsm.consumers.info(bus.names.observations, bus.names.consumer);
    return false;
  } catch (err) {
    return (
      err instanceof JetStreamApiError &&
      (err.code === JetStreamApiCodes.ConsumerNotFound || err.code === JetStreamApiCodes.StreamNotFound)
    );
  }
}

async function applyMessages(
  ctx: AppContext,
  bus: JetStreamBus,
  held: HeldMessages,
  messages: JsMsg[],
  options: ConsumerOptions,
) {
  try {
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
  } finally {
    // Whatever happened, this process no longer works on them: no more progress acknowledgements, so a
    // message whose acknowledgement was lost comes back after the ack wait instead of never.
    for (const m of messages) held.release(m);
  }
}

async function applyAndAck(
  ctx: AppContext,
  bus: JetStreamBus,
  batch: { m: JsMsg; e: ObservationEnvelope }[],
  options: ConsumerOptions,
) {
  const applied = await (options.apply ?? applyObservations)(
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
