import type { AppContext } from '../app/app-context.js';
import { importRecords } from '../ingest/importer.js';
import { preparedInThread } from '../ingest/prepared-feed.js';
import { recomputeStays } from '../stays/recompute-stays.js';
import type { ObservationEnvelope } from './observation-envelope.js';

export interface AppliedBatch {
  readonly records: number;
  readonly rowsNew: number;
  readonly rowsUnchanged: number;
  readonly rowsQuarantined: number;
  readonly reviewsQueued: number;
  /** Persons whose stays were recomputed. */
  readonly personIds: readonly string[];
}

/**
 * Applies a micro-batch of observations from the stream: each source's records are imported as one
 * batch (idempotent: a record delivered again is counted unchanged, never stored twice), then the stays
 * of every person touched are recomputed. Invalid records go to quarantine, as from a file.
 */
export async function applyObservations(
  ctx: AppContext,
  envelopes: readonly ObservationEnvelope[],
): Promise<AppliedBatch> {
  const bySource = new Map<string, ObservationEnvelope[]>();
  for (const e of envelopes) {
    const list = bySource.get(e.source);
    if (list) list.push(e);
    else bySource.set(e.source, [e]);
  }
  const affected = new Set<string>();
  let rowsNew = 0;
  let rowsUnchanged = 0;
  let rowsQuarantined = 0;
  let reviewsQueued = 0;
  for (const [source, list] of bySource) {
    const summary = await importRecords(
      ctx.db,
      ctx.resolver,
      preparedInThread(list.map((e) => ({ line: null, content: e.content, fields: e.fields }))),
      // Envelope content is JSON (observation-envelope.ts): kept and read back as an NDJSON line.
      { source, file: null, format: 'ndjson' },
    );
    rowsNew += summary.rowsNew + summary.rowsSuperseded;
    rowsUnchanged += summary.rowsUnchanged;
    rowsQuarantined += summary.rowsQuarantined;
    reviewsQueued += summary.reviewsQueued;
    for (const p of summary.affectedPersonIds) affected.add(p);
  }
  await recomputeStays(ctx.db, affected, { pack: ctx.pack, asOf: ctx.asOf() });
  ctx.changes?.staysChanged(affected);
  return {
    records: envelopes.length,
    rowsNew,
    rowsUnchanged,
    rowsQuarantined,
    reviewsQueued,
    personIds: [...affected],
  };
}
