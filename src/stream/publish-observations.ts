import type { JetStreamBus } from './jetstream.js';
import { messageIdOf, type ObservationEnvelope } from './observation-envelope.js';

/**
 * Publishes observations, each with its message id (a duplicate within the window is dropped by the
 * server). Publications are pipelined, `window` in flight at a time, and each is acknowledged by the
 * server before this returns: a record is either on the stream or the call fails.
 */
export async function publishObservations(
  bus: JetStreamBus,
  envelopes: Iterable<ObservationEnvelope> | AsyncIterable<ObservationEnvelope>,
  window = 256,
): Promise<{ published: number; duplicates: number }> {
  let published = 0;
  let duplicates = 0;
  const state: { failure: Error | null } = { failure: null };
  const inFlight = new Set<Promise<void>>();
  for await (const e of envelopes) {
    if (state.failure !== null) break;
    const p: Promise<void> = bus.js
      .publish(bus.names.observationSubject(e.source), JSON.stringify(e), { msgID: messageIdOf(e) })
      .then(
        (ack) => {
          if (ack.duplicate) duplicates++;
          else published++;
        },
        (err: unknown) => {
          state.failure ??=
            err instanceof Error ? err : new Error(`publishing failed: ${JSON.stringify(err)}`);
        },
      )
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= window) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (state.failure !== null) throw state.failure;
  return { published, duplicates };
}
