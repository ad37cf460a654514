import type { FlatRecord } from '../core/observation/flat-columns.js';
import type { FieldError } from '../core/result/result.js';

/** A record as read from a feed, before validation: its raw content is what gets kept. */
export interface IncomingRecord {
  /** 1-based line in the file (CSV: the record's first line); null for API submissions. */
  readonly line: number | null;
  /** The record exactly as received (the CSV line, the JSON text). */
  readonly content: string;
  /** The fields, or null when the record could not even be split into fields. */
  readonly fields: FlatRecord | null;
  /** Why the record could not be read, when fields is null. */
  readonly readError?: FieldError;
  /** Bytes of the file consumed so far, for progress. */
  readonly bytesRead?: number;
  /**
   * The list the record came on (a manifest message): two records of one list are two people, so the
   * linkage never joins them.
   */
  readonly listKey?: string;
}

export const FEED_FORMATS = ['csv', 'ndjson'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];
