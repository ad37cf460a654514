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
    // A record found unchanged may be a redelivery after a crash between the import's commit and the
    // recompute: its person's stays are recomputed again (recomputing is idempotent).
    if (summary.rowsUnchanged > 0) {
      const ids = list.map((e) => e.fields.record_id?.trim() ?? '').filter((id) => id !== '');
      const placed = await ctx.db.session((s) =>
        s.query<{ person_id: string }>(
          `select distinct o.person_id::text as person_id from raw_record r join observation o on o.id = r.id
            where r.source = $1 and r.source_record_id = any($2::text[]) and r.superseded_by is null and o.person_id is not null`,
          [source, ids],
        ),
      );
      for (const p of placed) affected.add(p.person_id);
    }
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
