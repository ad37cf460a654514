import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { manifestDepartures } from '../core/paxlst/departures.js';
import { formatPaxlstError } from '../core/paxlst/manifest.js';
import { parsePaxlst } from '../core/paxlst/parse-paxlst.js';
import type { IncomingRecord } from './incoming-record.js';

export interface PaxlstReading {
  /** The platform's country (ISO alpha-3): the leg that leaves it makes departures, the leg into it arrivals. */
  readonly country: string;
  readonly portCountry: (code: string) => string | null;
  /** Told of what is read but is not evidence (a booked list, an arriving leg without a date), for the summary. */
  readonly onNote?: (note: string) => void;
}

/**
 * Reads a PAXLST file (or stream) as incoming records: each boarded passenger or crew member on the leg
 * out of the country is a Departure record, and on the leg into it an Arrival record (its content keeps
 * the manifest's references; an arriving leg without an arrival date gives none, and a note); a rejected
 * message is one unreadable record, kept as received with every error naming segment and position, so
 * it lands in quarantine while the good messages go through. Streaming: the file is never held whole.
 * A file, or a stream of bytes, is decoded by each interchange's syntax identifier (docs/paxlst.md).
 */
export async function* readPaxlst(
  input: string | Readable,
  reading: PaxlstReading,
): AsyncGenerator<IncomingRecord> {
  // Bytes, not text: each interchange is decoded in the character set its UNB names (UNOC as Latin-1,
  // UNOY as UTF-8 ...), which a fixed encoding here would get wrong for the others. A stream that is
  // already text (set an encoding) is read as it is.
  const stream = typeof input === 'string' ? createReadStream(input) : input;
  for await (const result of parsePaxlst(stream as AsyncIterable<string | Uint8Array>)) {
    if (!result.ok) {
      yield {
        line: result.position.line,
        content:
          result.raw ?? `(${result.scope} ${result.controlRef ?? ''} ${result.messageRef ?? ''})`.trim(),
        fields: null,
        readError: {
          field: result.errors[0]?.segment ?? '*',
          reason: result.errors.map(formatPaxlstError).join('; '),
        },
      };
      continue;
    }
    const m = result.message;
    const evidence = manifestDepartures(m, reading.country, reading.portCountry);
    if (!evidence.evidence) {
      reading.onNote?.(`message ${m.messageRef}: ${evidence.note}`);
      continue;
    }
    const manifest = { interchange: m.interchange.controlRef, message: m.messageRef, status: m.status };
    // Two passengers of one manifest are two people.
    const listKey = `paxlst/${m.interchange.controlRef}/${m.messageRef}`;
    for (const d of evidence.departures) {
      yield {
        line: m.position.line,
        content: JSON.stringify({ ...d.record, manifest }),
        fields: d.record,
        listKey,
      };
    }
    let undated = 0;
    for (const a of evidence.arrivals) {
      if (a.record === null) {
        undated++;
        continue;
      }
      yield {
        line: m.position.line,
        content: JSON.stringify({ ...a.record, manifest }),
        fields: a.record,
        listKey,
      };
    }
    if (undated > 0)
      reading.onNote?.(
        `message ${m.messageRef}: the leg into ${evidence.country} has no arrival date (DTM+232): ${undated} arrival${undated === 1 ? '' : 's'} not recorded`,
      );
  }
}
