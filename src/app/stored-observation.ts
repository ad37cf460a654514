import type { Observation, StoredObservation } from '../core/observation/observation.js';
import { parseFlatRecord } from '../core/observation/parse-flat-record.js';
import { fieldsOf } from '../ingest/raw-fields.js';

/** The columns a query selects to read observations back (see RAW_OF_OBSERVATION). */
export interface RawObservationRow {
  readonly id: string;
  readonly source: string;
  readonly source_record_id: string;
  readonly content: string;
  readonly format: string | null;
  readonly header: string | null;
}

/** Joins an observation `o` to the raw record and import it was read from. */
export const RAW_OF_OBSERVATION = /* sql */ `
  join raw_record r on r.id = o.id left join import_run i on i.id = r.import_id`;
export const RAW_COLUMNS = /* sql */ `
  o.id::text as id, r.source, r.source_record_id, r.content, i.format, i.header`;

/**
 * The full observation, read again from the raw record it came from: the store keeps the record as
 * received and only the few fields queried in bulk (docs/adr/0003-store-layout-and-idempotency.md), so
 * the parser that accepted the record is the one definition of what it says. Null when the record no
 * longer parses (a stricter parser than the one that accepted it): the caller says so.
 */
export function observationFromRaw(row: RawObservationRow): StoredObservation | null {
  const r = parseFlatRecord(fieldsOf(row.format ?? 'csv', row.content, row.header));
  if (!r.ok) return null;
  const provenance = { source: row.source, sourceRecordId: row.source_record_id, rawRecordId: row.id };
  return { ...(r.value as Observation), provenance, id: row.id };
}
