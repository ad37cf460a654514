import { hash } from 'node:crypto';
import { exactKeys } from '../core/identity/exact-keys.js';
import { compactObservationJson } from '../core/observation/complete-observation.js';
import { FLAT_COLUMNS, type FlatRecord } from '../core/observation/flat-columns.js';
import type { Observation, Provenance } from '../core/observation/observation.js';
import { parseFlatRecord } from '../core/observation/parse-flat-record.js';
import type { FieldError } from '../core/result/result.js';
import { toStayFacts } from '../core/stays/stay-facts.js';
import type { IncomingRecord } from './incoming-record.js';

/**
 * A record read, validated and encoded, ready for the store: plain data, so it can be made on a worker
 * thread and posted to the one that writes. Everything here depends on the record alone.
 */
export interface PreparedRecord {
  readonly line: number | null;
  /** The record as received. */
  readonly content: string;
  readonly sourceRecordId: string;
  readonly contentHash: string;
  /** Set when the record is invalid: every field at fault. */
  readonly errors?: readonly FieldError[];
  readonly kind?: Observation['kind'];
  readonly date?: string;
  readonly channel?: string | null;
  /** Exact identity keys (core/identity/exact-keys.ts). */
  readonly keys?: readonly string[];
  /** The compact observation JSON without its provenance (added once the raw record has an id). */
  readonly body?: string;
  /** The stay-facts projection. */
  readonly facts?: string;
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

export function prepareRecord(rec: IncomingRecord): PreparedRecord {
  const contentHash = contentHashOf(rec);
  const sourceRecordId = rec.fields?.record_id?.trim() || `hash:${contentHash}`;
  const base = { line: rec.line, content: rec.content, sourceRecordId, contentHash };
  if (rec.fields === null)
    return { ...base, errors: [rec.readError ?? { field: '*', reason: 'unreadable' }] };
  const r = parseFlatRecord(rec.fields);
  if (!r.ok) return { ...base, errors: r.errors };
  const o = r.value;
  return {
    ...base,
    kind: o.kind,
    date: o.date,
    channel: o.kind === 'Departure' ? o.channel : null,
    keys: exactKeys(o.person, o.admissionNumber),
    body: compactObservationJson(o as Observation),
    facts: toStayFacts(o as Observation),
  };
}

/** The stored observation JSON: the prepared body with its provenance appended. */
export function bodyWithProvenance(body: string, provenance: Provenance): string {
  return `${body.slice(0, -1)},"provenance":${JSON.stringify(provenance)}}`;
}
