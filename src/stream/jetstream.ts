import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  AckPolicy,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { ensureConsumer, ensureStream } from './ensure-stream.js';

/**
 * The platform's JetStream streams (docs/streaming.md). `prefix` (IMOS_STREAM_PREFIX, default IMOS)
 * names them, so several installations, or test runs, share one server without meeting.
 */
export interface StreamNames {
  /** Observations published by sources, consumed by the resolver. */
  readonly observations: string;
  readonly observationSubject: (source: string) => string;
  readonly observationSubjects: string;
  /** What changed once observations were applied: persons whose stays were recomputed. */
  readonly changes: string;
  readonly changeSubject: string;
  /** Messages that kept failing, with their error: visible and retryable. */
  readonly deadLetters: string;
  readonly deadLetterSubject: string;
  /** The durable consumer that applies observations. */
  readonly consumer: string;
}

export function streamNames(prefix = 'IMOS'): StreamNames {
  if (!/^[A-Z][A-Z0-9_]{0,31}$/.test(prefix))
    throw new Error(`stream prefix "${prefix}": upper-case letters, digits and _ only`);
  const p = prefix.toLowerCase();
  return {
    observations: `${prefix}_OBSERVATIONS`,
    observationSubject: (source) => `${p}.observations.${source}`,
    observationSubjects: `${p}.observations.>`,
    changes: `${prefix}_CHANGES`,
    changeSubject: `${p}.changes.stays`,
    deadLetters: `${prefix}_DEAD_LETTERS`,
    deadLetterSubject: `${p}.dead-letters.observations`,
    consumer: 'apply-observations',
  };
}

export interface JetStreamBus {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly names: StreamNames;
  close(): Promise<void>;
}

/** How often a message is tried before it goes to the dead-letter stream. */
export const MAX_DELIVER = 5;

/**
 * How long a delivered message may stay unacknowledged before the server delivers it again: the time a
 * consumer that died leaves its messages waiting. A live consumer never lets a message it holds reach it:
 * it holds at most two micro-batches and reports progress on them (observation-consumer.ts).
 */
export const ACK_WAIT_MS = 30_000;

/** A republication within this window is dropped by message id (later ones by the import). */
const DUPLICATE_WINDOW_MS = 2 * 60_000;

/**
 * The change stream only feeds live pages, which read it as it comes (and recompute from the store
 * when they open): a day of it is plenty to look into a problem, and a byte cap keeps a burst in check.
 */
export const CHANGES_MAX_AGE_MS = 24 * 60 * 60_000;
export const CHANGES_MAX_BYTES = 256 * 1024 * 1024;

/**
 * A dead letter waits for a person to see and retry it: thirty days covers holidays and a monthly
 * review. No byte cap: dropping the oldest letters to make room would lose records silently.
 */
export const DEAD_LETTERS_MAX_AGE_MS = 30 * 24 * 60 * 60_000;

export interface JetStreamOptions {
  /** The durable consumer's acknowledgement wait (default ACK_WAIT_MS); a test shortens it. */
  readonly ackWaitMs?: number;
}

/**
 * Connects and makes sure the streams and the durable consumer exist with their limits (idempotent: an
 * existing stream or consumer is brought to them). Observations are kept until applied and acknowledged
 * (work-queue retention, no age or size limit: a consumer stopped for a weekend finds them all);
 * duplicates published within two minutes are dropped by message id, and later ones are found unchanged
 * by the import's own idempotency.
 */
export async function openJetStream(
  url: string,
  prefix?: string,
  options: JetStreamOptions = {},
): Promise<JetStreamBus> {
  const nc = await connect({ servers: url, name: 'immigrationos', maxReconnectAttempts: -1 });
  try {
    const jsm = await jetstreamManager(nc);
    const names = streamNames(prefix);
    const duplicateWindowMs = DUPLICATE_WINDOW_MS;
    await ensureStream(jsm, {
      name: names.observations,
      subjects: [names.observationSubjects],
      retention: RetentionPolicy.Workqueue,
      maxAgeMs: 0,
      maxBytes: -1,
      duplicateWindowMs,
    });
    await ensureStream(jsm, {
      name: names.changes,
      subjects: [names.changeSubject],
      retention: RetentionPolicy.Limits,
      maxAgeMs: CHANGES_MAX_AGE_MS,
      maxBytes: CHANGES_MAX_BYTES,
      duplicateWindowMs,
    });
    await ensureStream(jsm, {
      name: names.deadLetters,
      subjects: [names.deadLetterSubject],
      retention: RetentionPolicy.Limits,
      maxAgeMs: DEAD_LETTERS_MAX_AGE_MS,
      maxBytes: -1,
      duplicateWindowMs,
    });
    await ensureConsumer(jsm, names.observations, {
      durable_name: names.consumer,
      ack_policy: AckPolicy.Explicit,
      max_deliver: MAX_DELIVER,
      ack_wait: (options.ackWaitMs ?? ACK_WAIT_MS) * 1_000_000, // ns
      // The server's own cap over all consumer processes; each holds far fewer (observation-consumer.ts).
      max_ack_pending: 20_000,
    });
    return {
      nc,
      js: jetstream(nc),
      jsm,
      names,
      async close() {
        await nc.drain();
      },
    };
  } catch (err) {
    await nc.close();
    throw err;
  }
}
