/**
 * The scan feed: NDJSON, one scan per line,
 * `{"mrz":["...","..."],"readAt":"2025-07-01T14:05:09Z","location":"JFK","direction":"exit","mode":"air","device":"GATE-B12"}`.
 * Each line gives its own result: a bad line names its line number and every field at fault, and the
 * good lines go through. Pure: it reads an iterable of lines (no files). See docs/mrz.md.
 */
import type { FieldError } from '../result/result.js';
import type { MrzDocument } from './parse-mrz.js';
import { readScan, type ScanOutcome, type ScanRecord } from './scan-record.js';

/** The keys of a scan feed line. */
export const SCAN_FEED_KEYS = ['mrz', 'readAt', 'location', 'direction', 'mode', 'device'] as const;

/** Longer lines are refused unread: a scan is a few hundred characters. */
export const MAX_SCAN_FEED_LINE = 16_384;

export type ScanFeedLine =
  | {
      readonly ok: true;
      /** 1-based line number in the feed (blank lines counted, not reported). */
      readonly line: number;
      readonly raw: string;
      readonly scan: ScanRecord;
      readonly document: MrzDocument;
      readonly outcome: ScanOutcome;
    }
  | {
      readonly ok: false;
      readonly line: number;
      readonly raw: string;
      readonly errors: readonly FieldError[];
    };

/** Reads one feed line (already known not to be blank). */
export function readScanFeedLine(raw: string, line: number): ScanFeedLine {
  if (raw.length > MAX_SCAN_FEED_LINE) {
    return {
      ok: false,
      line,
      raw: raw.slice(0, 200),
      errors: [{ field: '*', reason: `line is longer than ${MAX_SCAN_FEED_LINE} characters` }],
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, line, raw, errors: [{ field: '*', reason: 'the line is not valid JSON' }] };
  }
  const read = readScan(value, { linesKey: 'mrz' });
  if (!read.ok) return { ok: false, line, raw, errors: read.errors };
  return { ok: true, line, raw, ...read.value };
}

/** Reads a scan feed line by line; yields one result per non-blank line, in order. */
export function* readScanFeed(lines: Iterable<string>): Generator<ScanFeedLine, void, undefined> {
  let n = 0;
  for (const rawLine of lines) {
    n += 1;
    let raw = rawLine.replace(/\r$/, '');
    if (n === 1) raw = raw.replace(/^\uFEFF/, '');
    if (raw.trim() === '') continue;
    yield readScanFeedLine(raw, n);
  }
}

/** One message per error, e.g. `line 3: birth_date: check digit 3 does not match 2`. */
export function describeScanFeedErrors(result: ScanFeedLine): string[] {
  return result.ok ? [] : result.errors.map((e) => `line ${result.line}: ${e.field}: ${e.reason}`);
}
