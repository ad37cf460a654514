import { createHash } from 'node:crypto';
import { IMPORT_FORMATS, isImportFormat, type ImportFormat } from '../app/import-feed.js';
import { FLAT_COLUMNS, type FlatRecord } from '../core/observation/flat-columns.js';

/**
 * One observation on the stream (docs/adr/0010-observation-stream.md): the record as the source sent it,
 * as JSON whose keys include the canonical flat columns (`content`, kept as the raw record and read back
 * from it), its fields, and when it was published. The message id is the source, the record id and a
 * hash of the fields, so a re-publication of the same record is the same message.
 *
 * Version 1 grows only by optional fields, so every message stays readable by every consumer: a message
 * without them is applied as it was before they existed, and a consumer older than a field ignores it
 * (and applies the record as it did before). A change an older consumer would misread takes a new `v`.
 * What the import of a file passes on beside a record's fields travels in them:
 * - `list`: the list the record came on, a PAXLST message (IncomingRecord.listKey): two records of one
 *   list are two people, and the linkage keeps them apart (docs/adr/0009-linkage-in-the-store.md).
 * - `format`: the feed format the record was read in, when it is not canonical (`paxlst`,
 *   `partner-entries`, `mrz-scans`): the consumer names errors by that format's columns (a partner
 *   entry's `entry_date`, not `date`) and records it on the import run, as an import of the file does.
 */
export interface ObservationEnvelope {
  readonly v: 1;
  readonly source: string;
  readonly content: string;
  readonly fields: FlatRecord;
  /** ISO timestamp: evidence-to-status latency is measured from here. */
  readonly publishedAt: string;
  /** The list (manifest message) the record came on: absent for records that came on none. */
  readonly list?: string;
  /** The feed format the record was read in: absent for canonical records. */
  readonly format?: ImportFormat;
}

/** What an envelope may say of its record besides its fields: where it came from. */
export interface EnvelopeContext {
  readonly list?: string | undefined;
  readonly format?: ImportFormat | undefined;
}

export class EnvelopeError extends Error {
  readonly code = 'ENVELOPE_INVALID';
}

const SOURCE = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Ample for a list key: a PAXLST one is `paxlst/{interchange}/{message}`, references of 14 at most. */
const MAX_LIST = 256;

export function envelopeOf(
  source: string,
  fields: FlatRecord,
  content?: string,
  context: EnvelopeContext = {},
): ObservationEnvelope {
  if (!SOURCE.test(source))
    throw new EnvelopeError(`source "${source}": lower-case letters, digits, - and _ only (at most 64)`);
  const { list, format } = context;
  if (list !== undefined && !validList(list))
    throw new EnvelopeError(`list: ${MAX_LIST} characters at most, not empty`);
  return {
    v: 1,
    source,
    content: content ?? JSON.stringify(fields),
    fields,
    publishedAt: new Date().toISOString(),
    ...(list !== undefined ? { list } : {}),
    // Canonical is what a message without a format means: it is not sent.
    ...(format !== undefined && format !== 'canonical' ? { format } : {}),
  };
}

const validList = (list: string) => list.trim() !== '' && list.length <= MAX_LIST;

export function messageIdOf(e: ObservationEnvelope): string {
  const h = createHash('sha256');
  for (const c of FLAT_COLUMNS) h.update((e.fields[c]?.trim() ?? '') + '\u001f');
  return `${e.source}/${e.fields.record_id?.trim() ?? ''}/${h.digest('hex').slice(0, 32)}`;
}

/** Reads a message back; anything that is not an envelope is an error naming what is wrong. */
export function decodeEnvelope(data: string): ObservationEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    throw new EnvelopeError('the message is not JSON');
  }
  const e = parsed as { [K in keyof ObservationEnvelope]?: unknown } | null;
  if (e === null || typeof e !== 'object' || e.v !== 1)
    throw new EnvelopeError('not an observation envelope (v 1)');
  if (typeof e.source !== 'string' || !SOURCE.test(e.source))
    throw new EnvelopeError('source: missing or invalid');
  if (typeof e.content !== 'string' || !e.content.startsWith('{'))
    throw new EnvelopeError('content: missing or not a JSON object');
  if (e.fields === null || typeof e.fields !== 'object' || Array.isArray(e.fields))
    throw new EnvelopeError('fields: missing');
  if (typeof e.publishedAt !== 'string' || Number.isNaN(Date.parse(e.publishedAt)))
    throw new EnvelopeError('publishedAt: missing or not a timestamp');
  if (e.list !== undefined && (typeof e.list !== 'string' || !validList(e.list)))
    throw new EnvelopeError(`list: not a list key (a string of at most ${MAX_LIST} characters)`);
  if (e.format !== undefined && (typeof e.format !== 'string' || !isImportFormat(e.format)))
    throw new EnvelopeError(`format: not one of ${IMPORT_FORMATS.join(', ')}`);
  return e as ObservationEnvelope;
}
