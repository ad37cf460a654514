import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** One non-blank line of an NDJSON feed, its 1-based number, and the bytes read up to its end. */
export interface NdjsonLine {
  readonly line: number;
  readonly text: string;
  readonly bytesRead: number;
}

/**
 * Streams the non-blank lines of an NDJSON feed (a file path or a stream), never holding it whole: the
 * one line reader of every NDJSON format (canonical, partner entries, MRZ scans). A byte order mark at
 * the start is dropped (exports from spreadsheet tools carry one).
 */
export async function* ndjsonLines(input: string | Readable): AsyncGenerator<NdjsonLine> {
  const lines = createInterface({
    input: typeof input === 'string' ? createReadStream(input) : input,
    crlfDelay: Infinity,
  });
  let line = 0;
  let bytesRead = 0;
  for await (const rawLine of lines) {
    line++;
    bytesRead += Buffer.byteLength(rawLine) + 1;
    const text = line === 1 ? rawLine.replace(/^\uFEFF/, '') : rawLine;
    if (text.trim() !== '') yield { line, text, bytesRead };
  }
}
