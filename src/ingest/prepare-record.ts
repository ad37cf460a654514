import { hash } from 'node:crypto';
import { exactKeys } from '../core/identity/exact-keys.js';
import { personBlockKeys, personSearchKeys } from '../core/linkage/person-block-keys.js';
import { encodePersonLink, personLinkOf } from '../core/linkage/person-link.js';
import { FLAT_COLUMNS, type FlatRecord } from '../core/observation/flat-columns.js';
import type { Observation } from '../core/observation/observation.js';
import { parseFlatRecord } from '../core/observation/parse-flat-record.js';
import type { FieldError } from '../core/result/result.js';
import { toStayFacts } from '../core/stays/stay-facts.js';
import { copyField } from '../store/copy-text.js';
import { recordKeyOf } from '../store/record-key.js';
import type { IncomingRecord } from './incoming-record.js';

/**
 * A batch of records read, validated and encoded, ready for the store, as parallel columns (one entry
 * per record): plain arrays of strings, so a worker thread can make it and post it to the thread that
 * writes at the cost of a copy, and the writer touches no per-record objects. Everything here depends
 * on the records alone; ids, source and import are the writer's.
 */
export interface PreparedBatch {
  readonly line: (number | null)[];
  /** Each record as received: kept only for invalid records (the quarantine); valid ones carry it in rawCopy. */
  readonly content: (string | null)[];
  readonly sourceRecordId: string[];
  readonly contentHash: string[];
  /** The store's lookup key of each source record id (src/store/record-key.ts). */
  readonly recordKey: string[];
  /** Every field at fault, or null for a valid record. */
  readonly errors: (readonly FieldError[] | null)[];
  /** Exact identity keys (core/identity/exact-keys.ts); empty for an invalid record. */
  readonly keys: (readonly string[])[];
  /** The person as the linkage model compares it (core/linkage/person-link.ts, encoded); '' for an invalid record. */
  readonly personLink: string[];
  /** The list each record came on (IncomingRecord.listKey), or ''. */
  readonly listKey: string[];
  /** Its blocking and name-search keys (core/linkage/person-block-keys.ts), comma-separated; '' for none. */
  readonly blockKeys: string[];
  readonly searchKeys: string[];
  /** COPY text of raw_record's (source_record_id, record_key, content_hash, line, content). */
  readonly rawCopy: string[];
  /** COPY text of observation's (kind, event_date, channel, facts); '' for an invalid record. */
  readonly observationCopy: string[];
  /** Bytes of the file consumed once this batch was read, for progress. */
  bytesRead: number;
}

/** SHA-256 cut to 128 bits (hex): collision-free at any realistic volume, half the index size. */
const sha128 = (s: string) => hash('sha256', s).slice(0, 32);

/** Order-independent hash of the fields, so a re-export with reordered columns is still "the same". */
function contentHashOf(rec: IncomingRecord): string {
  if (rec.fields === null) return sha128(rec.content);
  const f: FlatRecord = rec.fields;
  let canon = '';
  for (const c of FLAT_COLUMNS) canon += (f[c]?.trim() ?? '') + '\u001f';
  return sha128(canon);
}

export function emptyBatch(): PreparedBatch {
  return {
    line: [],
    content: [],
    sourceRecordId: [],
    contentHash: [],
    recordKey: [],
    errors: [],
    keys: [],
    personLink: [],
    listKey: [],
    blockKeys: [],
    searchKeys: [],
    rawCopy: [],
    observationCopy: [],
    bytesRead: 0,
  };
}

export const recordsIn = (b: PreparedBatch): number => b.sourceRecordId.length;

/** Validates and encodes one record onto the end of a batch. */
export function prepareInto(batch: PreparedBatch, rec: IncomingRecord): void {
  const contentHash = contentHashOf(rec);
  const sourceRecordId = rec.fields?.record_id?.trim() || `hash:${contentHash}`;
  let errors: readonly FieldError[] | null = null;
  let keys: readonly string[] = [];
  let personLink = '';
  let blockKeys = '';
  let searchKeys = '';
  let observationCopy = '';
  if (rec.fields === null) {
    errors = [rec.readError ?? { field: '*', reason: 'unreadable' }];
  } else {
    const r = parseFlatRecord(rec.fields);
    if (!r.ok) errors = r.errors;
    else {
      const o = r.value as Observation;
      keys = exactKeys(o.person, o.admissionNumber);
      const link = personLinkOf(o.person);
      personLink = encodePersonLink(link);
      // Computed here, in the reader's thread: the writer only looks them up and stores them.
      blockKeys = personBlockKeys(link).join(',');
      searchKeys = personSearchKeys(link).join(',');
      const channel = o.kind === 'Departure' ? copyField(o.channel) : '\\N';
      observationCopy = `${o.kind}\t${o.date}\t${channel}\t${copyField(toStayFacts(o))}`;
    }
  }
  batch.line.push(rec.line);
  batch.content.push(errors === null ? null : rec.content);
  batch.sourceRecordId.push(sourceRecordId);
  batch.contentHash.push(contentHash);
  const recordKey = recordKeyOf(sourceRecordId);
  batch.recordKey.push(recordKey);
  batch.errors.push(errors);
  batch.keys.push(keys);
  batch.personLink.push(personLink);
  batch.listKey.push(rec.listKey ?? '');
  batch.blockKeys.push(blockKeys);
  batch.searchKeys.push(searchKeys);
  batch.rawCopy.push(
    `${copyField(sourceRecordId)}\t${recordKey}\t${contentHash}\t${copyField(rec.line)}\t${copyField(rec.content)}`,
  );
  batch.observationCopy.push(observationCopy);
  if (rec.bytesRead !== undefined) batch.bytesRead = rec.bytesRead;
}
