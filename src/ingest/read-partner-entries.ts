import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { parseFlatRecord } from '../core/observation/parse-flat-record.js';
import type { FieldError } from '../core/result/result.js';
import { csvRecordBatches } from './csv-lines.js';
import type { FeedFormat, IncomingRecord } from './incoming-record.js';
import { oneFieldError } from './one-field-error.js';
import {
  asPartnerErrors,
  PARTNER_ENTRY_COLUMNS,
  partnerEntryToDeparture,
  REQUIRED_PARTNER_COLUMNS,
  type PartnerEntry,
  type PartnerEntryColumn,
} from './partner-entry.js';
import type { PreparedBatch } from './prepare-record.js';
import { preparedInThread } from './prepared-feed.js';
import { FeedError } from './read-feed.js';
import { ndjsonLines } from './ndjson-lines.js';

const KNOWN = new Set<string>(PARTNER_ENTRY_COLUMNS);

/**
 * Reads a partner country's entry records (CSV with a header, or NDJSON with the same keys) as incoming
 * records: each entry is a canonical Departure by land (partner-entry.ts). What is stored for an entry is
 * a JSON envelope, the canonical fields and `received` (the row exactly as it came): the store reads a
 * record's observation back from its canonical fields (raw-fields.ts), and the partner's row is kept
 * beside them. A row that cannot be read as an entry at all (broken CSV or JSON) is kept as it came. A
 * row that fails the partner's own checks (partner code, record id, port, time) is one
 * unreadable record naming every field at fault; biographic and document errors are found by the
 * import's validation, keep the record id, and are named by the partner's columns
 * ({@link preparedPartnerEntries}). Streaming: the file is never held whole.
 */
export async function* readPartnerEntries(
  input: string | Readable,
  syntax: FeedFormat,
  onHeader?: (header: string) => void,
): AsyncGenerator<IncomingRecord> {
  const stream = typeof input === 'string' ? createReadStream(input, { highWaterMark: 1 << 20 }) : input;
  const name = typeof input === 'string' ? input : 'request body';
  if (syntax === 'csv') yield* readCsvEntries(stream, name, onHeader);
  else yield* readNdjsonEntries(stream);
}

/**
 * Prepares partner records for the import: as {@link preparedInThread}, with the import's field errors
 * named by the partner's columns (`date` is `entry_date`), so an error points at the partner's data.
 */
export async function* preparedPartnerEntries(
  records: AsyncIterable<IncomingRecord> | Iterable<IncomingRecord>,
): AsyncGenerator<PreparedBatch> {
  for await (const batch of preparedInThread(records)) {
    for (let i = 0; i < batch.errors.length; i++) {
      const errors = batch.errors[i];
      if (errors) batch.errors[i] = asPartnerErrors(errors);
    }
    yield batch;
  }
}

function toIncoming(line: number, raw: string, bytesRead: number, entry: PartnerEntry): IncomingRecord {
  const { record, errors } = partnerEntryToDeparture(entry);
  const content = JSON.stringify({ ...record, received: raw });
  if (errors.length === 0) return { line, content, fields: record, bytesRead };
  // Unreadable as a partner record: report the canonical errors too, so one fix suffices.
  const canonical = parseFlatRecord(record);
  const all = canonical.ok ? errors : [...errors, ...asPartnerErrors(canonical.errors)];
  return { line, content, fields: null, readError: oneFieldError(all), bytesRead };
}

async function* readCsvEntries(
  stream: Readable,
  name: string,
  onHeader?: (header: string) => void,
): AsyncGenerator<IncomingRecord> {
  let columns: PartnerEntryColumn[] | null = null;
  for await (const chunk of csvRecordBatches(stream as AsyncIterable<Buffer | string>)) {
    for (const rec of chunk) {
      if (columns === null) {
        columns = headerColumns(name, rec.cells);
        onHeader?.(rec.raw);
        continue;
      }
      const unreadable = (reason: string): IncomingRecord => ({
        line: rec.line,
        content: rec.raw,
        fields: null,
        readError: { field: '*', reason },
        bytesRead: rec.bytes,
      });
      if (rec.error !== undefined) yield unreadable(rec.error);
      else if (rec.cells.length !== columns.length)
        yield unreadable(`expected ${columns.length} columns, found ${rec.cells.length}`);
      else {
        const entry: PartnerEntry = {};
        for (let i = 0; i < columns.length; i++) entry[columns[i]!] = rec.cells[i];
        yield toIncoming(rec.line, rec.raw, rec.bytes, entry);
      }
    }
  }
  if (columns === null) throw new FeedError(`${name}: empty: a partner entry file starts with its header`);
}

function headerColumns(name: string, cells: readonly string[]): PartnerEntryColumn[] {
  const names = cells.map((c) => c.trim().toLowerCase());
  const unknown = names.filter((c) => !KNOWN.has(c));
  if (unknown.length > 0)
    throw new FeedError(
      `${name}: unknown partner entry column(s) ${unknown.join(', ')}; expected columns from: ${PARTNER_ENTRY_COLUMNS.join(', ')}`,
    );
  const twice = names.filter((c, i) => names.indexOf(c) !== i);
  if (twice.length > 0) throw new FeedError(`${name}: column(s) ${twice.join(', ')} named twice`);
  const missing = REQUIRED_PARTNER_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0)
    throw new FeedError(
      `${name}: the header has no ${missing.join(', ')} column(s); a partner entry file needs ${REQUIRED_PARTNER_COLUMNS.join(', ')}`,
    );
  return names as PartnerEntryColumn[];
}

async function* readNdjsonEntries(stream: Readable): AsyncGenerator<IncomingRecord> {
  for await (const { line, text: raw, bytesRead: bytes } of ndjsonLines(stream)) {
    const read = entryOfJson(raw);
    if ('entry' in read) yield toIncoming(line, raw, bytes, read.entry);
    else
      yield {
        line,
        content: raw,
        fields: null,
        readError: oneFieldError(read.errors),
        bytesRead: bytes,
      };
  }
}

/** One NDJSON line as a partner entry: an object of the partner columns, each a string, number or null. */
function entryOfJson(raw: string): { entry: PartnerEntry } | { errors: FieldError[] } {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    return { errors: [{ field: '*', reason: `not valid JSON: ${(err as Error).message}` }] };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { errors: [{ field: '*', reason: 'a line must be a JSON object' }] };
  const errors: FieldError[] = [];
  const entry: PartnerEntry = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    // A misspelt key would silently lose its value: refuse it.
    if (!KNOWN.has(key)) {
      errors.push({
        field: key,
        reason: `is not a partner entry field (${PARTNER_ENTRY_COLUMNS.join(', ')})`,
      });
    } else if (typeof v === 'string') entry[key as PartnerEntryColumn] = v;
    else if (typeof v === 'number' && Number.isFinite(v)) entry[key as PartnerEntryColumn] = String(v);
    else if (v !== null) errors.push({ field: key, reason: `${JSON.stringify(v)} is not a string` });
  }
  return errors.length > 0 ? { errors } : { entry };
}
