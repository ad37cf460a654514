import type { ImportFormat } from '../app/import-feed.js';
import type { FieldError } from '../core/result/result.js';
import type { IncomingRecord } from '../ingest/incoming-record.js';
import type { JetStreamBus } from './jetstream.js';
import { envelopeOf, messageIdOf, type ObservationEnvelope } from './observation-envelope.js';

/**
 * Publishes observations, each with its message id (a duplicate within the window is dropped by the
 * server). Publications are pipelined, `window` in flight at a time, and each is acknowledged by the
 * server before this returns: a record is either on the stream or the call fails. When reading the
 * envelopes fails half-way, what was already sent is acknowledged (or not) before the failure is thrown.
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
  try {
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
  } finally {
    // Each publication settles into `state`, never rejects: this waits, it cannot throw.
    await Promise.all(inFlight);
  }
  if (state.failure !== null) throw state.failure;
  return { published, duplicates };
}

/** A record of a feed that was read but not published, and why. */
export interface UnpublishedRecord {
  /** Its line in the file (a PAXLST message: the line it starts on). */
  readonly line: number | null;
  readonly error: FieldError;
}

/**
 * A feed's records (as an adapter reads them: import-feed.ts readFeedRecords) as observations to publish.
 *
 * The envelope's content is what an import of the same file would keep as the raw record when that is
 * JSON: a partner entry, an exit scan and a manifest passenger are kept as their canonical fields beside
 * what was received (the partner's row, the scan line, the manifest's references), a canonical NDJSON
 * line as it came. A CSV line is not JSON, which the envelope's content must be (ADR 10): a canonical CSV
 * record travels as its fields in JSON.
 *
 * Each envelope also carries what the import of the file passes on beside the fields: the list a record
 * came on (a manifest passenger's message: the linkage keeps two passengers of one manifest apart), and
 * `options.format`, the format the records were read in (readFeedRecords' format), by which the
 * consumer names a partner entry's errors by the partner's columns.
 *
 * A record that cannot be read at all (a broken line, a rejected PAXLST message, a wrong MRZ check digit)
 * is not published but told to `onUnpublished`, for its sender to fix and send again: an envelope holds
 * an observation's fields, which such a record does not have, and the consumer would otherwise validate
 * what was left of it (a partner row's canonical fields without the partner's own checks) as if it were
 * whole. Records that can be read but are invalid (a bad date) are published and quarantined when
 * applied, as an import quarantines them.
 */
export async function* envelopesOfRecords(
  source: string,
  records: AsyncIterable<IncomingRecord> | Iterable<IncomingRecord>,
  onUnpublished: (record: UnpublishedRecord) => void,
  options: { readonly format?: ImportFormat } = {},
): AsyncGenerator<ObservationEnvelope> {
  for await (const r of records) {
    if (r.fields === null) {
      onUnpublished({ line: r.line, error: r.readError ?? { field: '*', reason: 'unreadable' } });
      continue;
    }
    yield envelopeOf(source, r.fields, r.content.startsWith('{') ? r.content : JSON.stringify(r.fields), {
      // An empty list key is none, as in the import (prepare-record.ts).
      list: r.listKey === '' ? undefined : r.listKey,
      format: options.format,
    });
  }
}
