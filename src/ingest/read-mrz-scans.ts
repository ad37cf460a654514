import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { readScanFeedLine } from '../core/mrz/scan-feed.js';
import type { IncomingRecord } from './incoming-record.js';
import { oneFieldError } from './one-field-error.js';

export interface MrzScanReading {
  /** Told of what is read but is not a departure (an entry scan), for the import's summary. */
  readonly onNote?: (note: string) => void;
}

/**
 * Reads a scan feed (NDJSON, one scan record per line: docs/mrz.md) as incoming records. An exit scan
 * is a Departure (src/core/mrz/scan-record.ts: channel = the checkpoint's mode, port = its location,
 * date = the UTC day of the reading); what is stored is the canonical fields and `received`, the line
 * exactly as it came (the device id too), because the store reads an observation back from its
 * canonical fields (raw-fields.ts). An entry scan is not a departure and has no observation kind of its
 * own: it is not imported, and the summary says so. A line at fault (a wrong check digit, a missing
 * field, broken JSON) is one unreadable record, kept as received, naming every field at fault.
 */
export async function* readMrzScans(
  input: string | Readable,
  reading: MrzScanReading = {},
): AsyncGenerator<IncomingRecord> {
  const lines = createInterface({
    input: typeof input === 'string' ? createReadStream(input) : input,
    crlfDelay: Infinity,
  });
  let line = 0;
  let bytes = 0;
  for await (const rawLine of lines) {
    line++;
    bytes += Buffer.byteLength(rawLine) + 1;
    const raw = line === 1 ? rawLine.replace(/^\uFEFF/, '') : rawLine;
    if (raw.trim() === '') continue;
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
    if (outcome.kind === 'arrival-evidence') {
      reading.onNote?.(
        `line ${line}: entry scan ${outcome.evidence.recordId} is arrival evidence, not a departure: not imported`,
      );
      continue;
    }
    yield {
      line,
      content: JSON.stringify({ ...outcome.record, received: raw }),
      fields: outcome.record,
      bytesRead: bytes,
    };
  }
}
