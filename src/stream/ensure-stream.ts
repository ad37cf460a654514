import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type ConsumerConfig,
  type JetStreamManager,
  type RetentionPolicy,
  type StreamConfig,
} from '@nats-io/jetstream';

/** What a stream must be: its name, subjects, retention and limits (0 or -1: none). */
export interface StreamDeclaration {
  readonly name: string;
  readonly subjects: readonly string[];
  readonly retention: RetentionPolicy;
  /** How long a message is kept at most, in milliseconds; 0: until another limit or rule removes it. */
  readonly maxAgeMs: number;
  /** The most bytes kept; past it the oldest messages go (discard old); -1: no limit. */
  readonly maxBytes: number;
  /** A message id seen again within this window is dropped, in milliseconds. */
  readonly duplicateWindowMs: number;
}

const NS_PER_MS = 1_000_000;

const isNotFound = (err: unknown) =>
  err instanceof JetStreamApiError &&
  (err.code === JetStreamApiCodes.StreamNotFound || err.code === JetStreamApiCodes.ConsumerNotFound);

/** The limits a declaration sets, as the server writes them. */
function limitsOf(d: StreamDeclaration) {
  return {
    max_age: d.maxAgeMs * NS_PER_MS,
    max_bytes: d.maxBytes,
    discard: DiscardPolicy.Old,
    duplicate_window: d.duplicateWindowMs * NS_PER_MS,
  } as const;
}

/**
 * Creates the stream, or brings an existing one's limits to the declaration (a stream made by an older
 * version had none): idempotent, so every process runs it on start. Retention cannot change on a live
 * stream, so it is only set on creation. Two processes starting at once may both try to create it: the
 * loser finds it and goes on as for an existing stream.
 */
export async function ensureStream(jsm: JetStreamManager, d: StreamDeclaration): Promise<StreamConfig> {
  const limits = limitsOf(d);
  const found = await jsm.streams.info(d.name).then(
    (info) => info.config,
    (err: unknown) => {
      if (isNotFound(err)) return null;
      throw err;
    },
  );
  let config: StreamConfig;
  if (found !== null) config = found;
  else {
    try {
      const created = await jsm.streams.add({
        name: d.name,
        subjects: [...d.subjects],
        retention: d.retention,
        ...limits,
      });
      return created.config;
    } catch (err) {
      config = await jsm.streams.info(d.name).then(
        (info) => info.config,
        () => Promise.reject(err as Error),
      );
    }
  }
  const stale = (Object.keys(limits) as (keyof typeof limits)[]).some((k) => config[k] !== limits[k]);
  if (!stale) return config;
  const updated = await jsm.streams.update(d.name, { ...config, ...limits });
  return updated.config;
}

/** What the durable consumer must be; the fields an update may change are brought to it. */
export type ConsumerDeclaration = Required<
  Pick<ConsumerConfig, 'durable_name' | 'ack_policy' | 'max_deliver' | 'ack_wait' | 'max_ack_pending'>
>;

/** Creates the durable consumer, or updates its delivery settings (idempotent, as `ensureStream`). */
export async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  d: ConsumerDeclaration,
): Promise<ConsumerConfig> {
  const existing = await jsm.consumers.info(stream, d.durable_name).then(
    (info) => info.config,
    (err: unknown) => {
      if (isNotFound(err)) return null;
      throw err;
    },
  );
  if (existing === null) {
    try {
      return (await jsm.consumers.add(stream, { ...d })).config;
    } catch (err) {
      const raced = await jsm.consumers
        .info(stream, d.durable_name)
        .catch(() => Promise.reject(err as Error));
      return ensureSettings(jsm, stream, raced.config, d);
    }
  }
  return ensureSettings(jsm, stream, existing, d);
}

async function ensureSettings(
  jsm: JetStreamManager,
  stream: string,
  config: ConsumerConfig,
  d: ConsumerDeclaration,
): Promise<ConsumerConfig> {
  const { max_deliver, ack_wait, max_ack_pending } = d;
  if (
    config.max_deliver === max_deliver &&
    config.ack_wait === ack_wait &&
    config.max_ack_pending === max_ack_pending
  )
    return config;
  return (await jsm.consumers.update(stream, d.durable_name, { max_deliver, ack_wait, max_ack_pending }))
    .config;
}
