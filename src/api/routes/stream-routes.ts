import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  ClosedConnectionError,
  ConnectionError,
  NoRespondersError,
  RequestError,
  TimeoutError,
} from '@nats-io/transport-node';
import {
  countDeadLetters,
  deadLetterOrigin,
  DeadLetterNotFound,
  getDeadLetter,
  readDeadLetters,
  retryDeadLetter,
  type StoredDeadLetter,
} from '../../stream/dead-letters.js';
import { openJetStream, type JetStreamBus } from '../../stream/jetstream.js';
import { ApiError } from '../api-error.js';

/** The NATS JetStream whose dead letters these routes show and retry (Config.natsUrl, Config.streamPrefix). */
export interface StreamSettings {
  readonly natsUrl: string;
  readonly prefix: string;
}

/** A dead letter as the API shows it: why it failed and where it came from, not the record it holds. */
export interface DeadLetterView {
  readonly seq: number;
  readonly subject: string;
  /** The feed the observation came from (its envelope's source, else the one its subject names). */
  readonly source: string | null;
  /** The source's id of the record, when the message is an observation that says it. */
  readonly recordId: string | null;
  readonly error: string;
  /** How often the consumer was given it: 1 for a message that is no observation, else the most it tries. */
  readonly deliveries: number;
  readonly failedAt: string;
}

export interface DeadLetterList {
  /** The dead-letter stream's name (installations and test runs share a NATS server by prefix). */
  readonly stream: string;
  readonly total: number;
  readonly letters: readonly DeadLetterView[];
  /** `after` for the next page; null at the end. */
  readonly next: number | null;
}

export interface DeadLetterRetry {
  /** The letters put back on the observation stream, each as a new message. */
  readonly retried: readonly DeadLetterView[];
  /** Dead letters still waiting (those that arrived meanwhile, or beyond this call's share). */
  readonly remaining: number;
}

/**
 * The two states in which this server has no dead letters to show, each with a code of its own in the
 * shared error table (api-error.ts): the page says which, instead of an empty list that would look like
 * a healthy pipeline.
 * - NO_DEAD_LETTER_STREAM (501): the server runs without NATS_URL. Its imports are applied in process, in
 *   one transaction per file; a bad record goes to quarantine, a failing import fails as a whole and is
 *   reported to whoever sent it, so nothing is ever left over to retry.
 * - STREAM_UNAVAILABLE (503): NATS is configured but cannot be reached, or stops answering.
 */
const noDeadLetterStream = () =>
  new ApiError(
    'NO_DEAD_LETTER_STREAM',
    'this server has no dead-letter stream: it applies imports in process (no NATS_URL), where a record ' +
      'that cannot be applied goes to quarantine and a failed import is reported to its sender',
  );
const streamUnavailable = () =>
  new ApiError(
    'STREAM_UNAVAILABLE',
    'the observation stream (NATS JetStream) does not answer; try again later',
  );

/** What NATS throws when it cannot be reached or does not answer (as opposed to a fault of ours). */
const unreachable = (err: unknown) =>
  [ClosedConnectionError, ConnectionError, NoRespondersError, RequestError, TimeoutError].some(
    (kind) => err instanceof kind,
  );

/** One retry-all request puts back at most this many, so its answer comes back in seconds. */
export const RETRY_ALL_MAX = 1000;

/**
 * The observation stream's dead letters (docs/departures.md, ADR 11): the messages the consumer gave up
 * on, with their error, listed and put back on the stream from the app as `imos stream dead-letters`
 * and `imos stream retry` do from the command line.
 *
 * Access: the quarantine's actions (supervisor and admin, personal, under a purpose). A dead letter is
 * the stream's quarantine: records of persons that could not be applied, held with the reason, for the
 * same people who fix quarantined records (data engineers sign in as admin) to look at and send again.
 * Every list and retry is audited with the dead letters and the source records it touched.
 *
 * `stream`: the NATS JetStream, as the server's configuration names it; null: none (the in-process bus).
 * It is given, never read from the environment here, so an app built in a test has a stream only when
 * the test gives it one. The connection is opened on the first request (and again after a failure), so
 * a NATS server that is down does not stop the API from starting.
 */
export function streamRoutes(app: FastifyInstance, stream: StreamSettings | null): void {
  let connecting: Promise<JetStreamBus> | null = null;

  const busOf = async (req: FastifyRequest): Promise<JetStreamBus> => {
    if (stream === null) throw noDeadLetterStream();
    connecting ??= openJetStream(stream.natsUrl, stream.prefix).catch((err: unknown) => {
      connecting = null;
      throw err;
    });
    try {
      return await connecting;
    } catch (err) {
      req.log.error({ err }, 'NATS JetStream cannot be reached');
      throw streamUnavailable();
    }
  };

  /**
   * Runs a route's work. NATS failing under it (a refused connection, a request timing out) is the
   * stream being unavailable, not a fault of ours: it is answered as STREAM_UNAVAILABLE by the error
   * handler, as every other refusal is, instead of a 500.
   */
  const answer = async <T>(req: FastifyRequest, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      if (!unreachable(err)) throw err;
      req.log.error({ err }, 'NATS JetStream stopped answering');
      throw streamUnavailable();
    }
  };

  const viewOf = (bus: JetStreamBus, l: StoredDeadLetter): DeadLetterView => ({
    seq: l.seq,
    subject: l.subject,
    ...deadLetterOrigin(bus, l),
    error: l.error,
    deliveries: l.deliveries,
    failedAt: l.failedAt,
  });

  /** The audit names each dead letter and the source record it holds. */
  const touches = (req: FastifyRequest, bus: JetStreamBus, letters: readonly DeadLetterView[]) => {
    for (const l of letters) {
      req.access!.recordRefs.push(`dead-letter:${bus.names.deadLetters}/${l.seq}`);
      if (l.recordId) req.access!.recordRefs.push(`record:${l.source ?? '?'}/${l.recordId}`);
    }
  };

  app.addHook('onClose', async () => {
    const bus = await connecting?.catch(() => null);
    await bus?.close();
  });

  app.get<{ Querystring: { after?: number; limit?: number } }>(
    '/api/stream/dead-letters',
    {
      config: { access: 'quarantine.list' },
      schema: {
        tags: ['stream'],
        summary:
          'Observations the stream consumer gave up on, oldest first: error, subject, deliveries, time, source record',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            after: { type: 'integer', minimum: 0 },
            limit: { type: 'integer', minimum: 1, maximum: 500 },
          },
        },
      },
    },
    async (req) =>
      answer(req, async (): Promise<DeadLetterList> => {
        const bus = await busOf(req);
        const page = await readDeadLetters(bus, {
          ...(req.query.after !== undefined ? { after: req.query.after } : {}),
          limit: req.query.limit ?? 100,
        });
        const letters = page.letters.map((l) => viewOf(bus, l));
        touches(req, bus, letters);
        return { stream: bus.names.deadLetters, total: page.total, letters, next: page.next };
      }),
  );

  app.post<{ Params: { seq: number } }>(
    '/api/stream/dead-letters/:seq/retry',
    {
      config: { access: 'quarantine.resubmit' },
      schema: {
        tags: ['stream'],
        summary:
          'Put one dead letter back on the observation stream (a new message); it returns here if it fails again',
        params: {
          type: 'object',
          required: ['seq'],
          additionalProperties: false,
          properties: { seq: { type: 'integer', minimum: 1 } },
        },
      },
    },
    async (req) =>
      answer(req, async (): Promise<DeadLetterRetry> => {
        const bus = await busOf(req);
        const seq = req.params.seq;
        req.access!.recordRefs.push(`dead-letter:${bus.names.deadLetters}/${seq}`);
        const gone = () => new ApiError('NOT_FOUND', `no dead letter ${seq} (retried already, or never one)`);
        const letter = await getDeadLetter(bus, seq);
        if (letter === null) throw gone();
        const view = viewOf(bus, letter);
        touches(req, bus, [view]);
        try {
          await retryDeadLetter(bus, seq);
        } catch (err) {
          throw err instanceof DeadLetterNotFound ? gone() : err;
        }
        return { retried: [view], remaining: await countDeadLetters(bus) };
      }),
  );

  app.post(
    '/api/stream/dead-letters/retry',
    {
      config: { access: 'quarantine.resubmit' },
      schema: {
        tags: ['stream'],
        summary: `Put every dead letter back on the observation stream, oldest first (at most ${RETRY_ALL_MAX} a request)`,
      },
    },
    async (req) =>
      answer(req, async (): Promise<DeadLetterRetry> => {
        const bus = await busOf(req);
        // The letters waiting now: one that fails again comes back with a new sequence, after these,
        // and is not retried twice in one request.
        const waiting: StoredDeadLetter[] = [];
        let after: number | undefined;
        do {
          const page = await readDeadLetters(bus, {
            ...(after !== undefined ? { after } : {}),
            limit: Math.min(500, RETRY_ALL_MAX - waiting.length),
          });
          waiting.push(...page.letters);
          after = page.next ?? undefined;
        } while (after !== undefined && waiting.length < RETRY_ALL_MAX);
        const retried: DeadLetterView[] = [];
        for (const letter of waiting) {
          try {
            await retryDeadLetter(bus, letter.seq);
          } catch (err) {
            // Retried meanwhile by someone else: it is on its way already.
            if (err instanceof DeadLetterNotFound) continue;
            throw err;
          }
          const view = viewOf(bus, letter);
          retried.push(view);
          // Audited as it goes: a failure half-way still records the letters already sent back.
          touches(req, bus, [view]);
        }
        return { retried, remaining: await countDeadLetters(bus) };
      }),
  );
}
