import type { AppContext } from '../app/app-context.js';
import type { ImportFormat } from '../app/import-feed.js';
import { importRecords } from '../ingest/importer.js';
import type { IncomingRecord } from '../ingest/incoming-record.js';
import type { PreparedBatch } from '../ingest/prepare-record.js';
import { preparedInThread } from '../ingest/prepared-feed.js';
import { preparedPartnerEntries } from '../ingest/read-partner-entries.js';
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
 * Applies a micro-batch of observations from the stream: the records of each source (and feed format)
 * are imported as one batch (idempotent: a record delivered again is counted unchanged, never stored
 * twice), then the stays of every person touched are recomputed. Invalid records go to quarantine, as
 * from a file.
 *
 * Each record is imported as an import of its file imports it: with the list it came on (two passengers
 * of one manifest message in the batch are never linked into one person), its errors named by its
 * format's columns (a partner entry's `entry_date`), and its format on the import run. A message without
 * them (published before envelopes carried them, or a canonical record) is imported as canonical JSON.
 */
export async function applyObservations(
  ctx: AppContext,
  envelopes: readonly ObservationEnvelope[],
): Promise<AppliedBatch> {
  const groups = new Map<string, { source: string; format: ImportFormat; list: ObservationEnvelope[] }>();
  for (const e of envelopes) {
    const format = e.format ?? 'canonical';
    const key = `${e.source}\u001f${format}`;
    const group = groups.get(key);
    if (group) group.list.push(e);
    else groups.set(key, { source: e.source, format, list: [e] });
  }
  const affected = new Set<string>();
  let rowsNew = 0;
  let rowsUnchanged = 0;
  let rowsQuarantined = 0;
  let reviewsQueued = 0;
  for (const { source, format, list } of groups.values()) {
    const summary = await importRecords(ctx.db, ctx.resolver, prepared(format, list.map(incomingOf)), {
      source,
      file: null,
      // Envelope content is JSON (observation-envelope.ts): kept and read back as an NDJSON line, as
      // the stored formats of the other feeds are (import-feed.ts storedFormat).
      format: format === 'canonical' ? 'ndjson' : format,
    });
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

/** An envelope as the record its adapter read: the list it came on goes to the resolver. */
const incomingOf = (e: ObservationEnvelope): IncomingRecord => ({
  line: null,
  content: e.content,
  fields: e.fields,
  ...(e.list !== undefined ? { listKey: e.list } : {}),
});

/** Prepared as the import of a file of this format prepares them (import-feed.ts preparedFeed). */
const prepared = (format: ImportFormat, records: IncomingRecord[]): AsyncIterable<PreparedBatch> =>
  format === 'partner-entries' ? preparedPartnerEntries(records) : preparedInThread(records);
