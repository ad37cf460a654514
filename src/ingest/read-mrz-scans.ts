import type { Readable } from 'node:stream';
import { readScanFeedLine } from '../core/mrz/scan-feed.js';
import type { ArrivalEvidence } from '../core/mrz/scan-record.js';
import { blankFlatRecord, type FlatRecord } from '../core/observation/flat-columns.js';
import type { IncomingRecord } from './incoming-record.js';
import { oneFieldError } from './one-field-error.js';
import { ndjsonLines } from './ndjson-lines.js';

/**
 * An entry scan as an Arrival flat record: the scan's id, the document's holder, `date` the UTC day of
 * the reading, `port` the checkpoint, `channel` its mode. Not an Admission: the zone carries no class of
 * admission nor admit-until date, and an Arrival invents none (it corroborates an admission).
 */
export function arrivalRecord(e: ArrivalEvidence): FlatRecord {
  const r = blankFlatRecord();
  const p = e.person;
  r.record_id = e.recordId;
  r.kind = 'Arrival';
  r.given_names = p.givenNames ?? undefined;
  r.family_names = p.familyNames ?? undefined;
  r.birth_date = p.birthDate ?? undefined;
  r.sex = p.sex ?? undefined;
  r.nationality = p.nationality ?? undefined;
  if (p.document !== null) {
    r.doc_number = p.document.number;
    r.doc_type = p.document.type;
    r.doc_country = p.document.issuingCountry;
    r.doc_expiry = p.document.expiry ?? undefined;
  }
  r.date = e.date;
  r.port = e.location;
  r.channel = e.mode;
  return r;
}

/**
 * Reads a scan feed (NDJSON, one scan record per line: docs/mrz.md) as incoming records. An exit scan
 * is a Departure (src/core/mrz/scan-record.ts: channel = the checkpoint's mode, port = its location,
 * date = the UTC day of the reading); what is stored is the canonical fields and `received`, the line
 * exactly as it came (the device id too), because the store reads an observation back from its
 * canonical fields (raw-fields.ts). An entry scan is an Arrival ({@link arrivalRecord}), stored the same
 * way: it corroborates the person's admission, never ends a stay. A line at fault (a wrong check digit, a missing
 * field, broken JSON) is one unreadable record, kept as received, naming every field at fault.
 */
export async function* readMrzScans(input: string | Readable): AsyncGenerator<IncomingRecord> {
  for await (const { line, text: raw, bytesRead: bytes } of ndjsonLines(input)) {
    const scan = readScanFeedLine(raw, line);
    if (!scan.ok) {
      // scan.raw is cut short for an over-long line; the quarantine keeps that cut, not megabytes.
      yield {
        line,
        content: scan.raw,
        fields: null,
        readError: oneFieldError(scan.errors),
        bytesRead: bytes,
      };
      continue;
    }
    const outcome = scan.outcome;
    const record = outcome.kind === 'arrival-evidence' ? arrivalRecord(outcome.evidence) : outcome.record;
    yield {
      line,
      content: JSON.stringify({ ...record, received: raw }),
      fields: record,
      bytesRead: bytes,
    };
  }
}
