import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  blankFlatRecord,
  FLAT_COLUMNS,
  type FlatColumn,
  type FlatRecord,
} from '../core/observation/flat-columns.js';
import { csvRecordBatches } from './csv-lines.js';
import { flattenJson } from './flatten-json.js';
import type { FeedFormat, IncomingRecord } from './incoming-record.js';
import { ndjsonLines } from './ndjson-lines.js';

export function formatOfFile(path: string): FeedFormat | null {
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.(ndjson|jsonl)$/i.test(path)) return 'ndjson';
  return null;
}

const KNOWN = new Set<string>(FLAT_COLUMNS);

/** Streams a CSV feed: one record at a time, with its raw line; the header is checked first. */
export async function* readCsv(
  input: string | Readable,
  onHeader?: (header: string) => void,
): AsyncGenerator<IncomingRecord> {
  for await (const records of readCsvBatches(input, onHeader)) yield* records;
}

/** Streams a CSV feed as the records of each chunk read (the import's path: no promise per record). */
export async function* readCsvBatches(
  input: string | Readable,
  onHeader?: (header: string) => void,
): AsyncGenerator<IncomingRecord[]> {
  const path = typeof input === 'string' ? input : 'request body';
  const stream = typeof input === 'string' ? createReadStream(input, { highWaterMark: 1 << 20 }) : input;
  let columns: FlatColumn[] | null = null;
  for await (const chunk of csvRecordBatches(stream as AsyncIterable<Buffer | string>)) {
    const out: IncomingRecord[] = [];
    for (const rec of chunk) {
      if (columns === null) {
        columns = headerColumns(path, rec.cells);
        onHeader?.(rec.raw);
        continue;
      }
      if (rec.error !== undefined) {
        out.push({
          line: rec.line,
          content: rec.raw,
          bytesRead: rec.bytes,
          fields: null,
          readError: { field: '*', reason: rec.error },
        });
      } else if (rec.cells.length !== columns.length) {
        out.push({
          line: rec.line,
          content: rec.raw,
          bytesRead: rec.bytes,
          fields: null,
          readError: { field: '*', reason: `expected ${columns.length} columns, found ${rec.cells.length}` },
        });
      } else {
        const fields: FlatRecord = blankFlatRecord();
        for (let i = 0; i < columns.length; i++) fields[columns[i]!] = rec.cells[i]!;
        out.push({ line: rec.line, content: rec.raw, bytesRead: rec.bytes, fields });
      }
    }
    if (out.length > 0) yield out;
  }
}

function headerColumns(path: string, cells: readonly string[]): FlatColumn[] {
  const names = cells.map((c) => c.trim().toLowerCase());
  const unknown = names.filter((c) => !KNOWN.has(c));
  if (unknown.length > 0)
    throw new FeedError(
      `${path}: unknown column(s) ${unknown.join(', ')}; expected columns from: ${FLAT_COLUMNS.join(', ')}`,
    );
  if (!names.includes('kind')) throw new FeedError(`${path}: the header has no "kind" column`);
  return names as FlatColumn[];
}

/** Streams an NDJSON feed: one JSON object per line, flat or canonical form. */
export async function* readNdjson(input: string | Readable): AsyncGenerator<IncomingRecord> {
  for await (const { line, text, bytesRead: bytes } of ndjsonLines(input)) {
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (err) {
      yield {
        line,
        content: text,
        fields: null,
        readError: { field: '*', reason: `not valid JSON: ${(err as Error).message}` },
        bytesRead: bytes,
      };
      continue;
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      yield {
        line,
        content: text,
        fields: null,
        readError: { field: '*', reason: 'a line must be a JSON object' },
        bytesRead: bytes,
      };
      continue;
    }
    yield { line, content: text, fields: flattenJson(obj as Record<string, unknown>), bytesRead: bytes };
  }
}

/** A feed that cannot be read at all (wrong header, unknown format): nothing of it is imported. */
export class FeedError extends Error {
  readonly code = 'FEED_UNREADABLE';
}
