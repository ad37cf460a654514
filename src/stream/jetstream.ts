import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  AckPolicy,
  DiscardPolicy,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';

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
 * Connects and makes sure the streams and the durable consumer exist (idempotent). Observations are
 * kept until applied and acknowledged (work-queue retention); duplicates published within two minutes
 * are dropped by message id, and later ones are found unchanged by the import's own idempotency.
 */
export async function openJetStream(url: string, prefix?: string): Promise<JetStreamBus> {
  const nc = await connect({ servers: url, name: 'immigrationos', maxReconnectAttempts: -1 });
  const jsm = await jetstreamManager(nc);
  const names = streamNames(prefix);
  const ensure = async (name: string, subjects: string[], retention: RetentionPolicy) => {
    try {
      await jsm.streams.info(name);
    } catch {
      await jsm.streams.add({
        name,
        subjects,
        retention,
        discard: DiscardPolicy.Old,
        duplicate_window: 120_000_000_000, // ns: two minutes
      });
    }
  };
  await ensure(names.observations, [names.observationSubjects], RetentionPolicy.Workqueue);
  await ensure(names.changes, [names.changeSubject], RetentionPolicy.Limits);
  await ensure(names.deadLetters, [names.deadLetterSubject], RetentionPolicy.Limits);
  try {
    await jsm.consumers.info(names.observations, names.consumer);
  } catch {
    await jsm.consumers.add(names.observations, {
      durable_name: names.consumer,
      ack_policy: AckPolicy.Explicit,
      max_deliver: MAX_DELIVER,
      // ns: a micro-batch is applied in well under a second; a consumer that died leaves its messages
      // to be redelivered after this (applying one twice is harmless: the import finds it unchanged).
      ack_wait: 30_000_000_000,
      max_ack_pending: 20_000,
    });
  }
  return {
    nc,
    js: jetstream(nc),
    jsm,
    names,
    async close() {
      await nc.drain();
    },
  };
}
