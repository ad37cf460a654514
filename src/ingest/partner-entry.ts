/**
 * A partner country's entry record: someone entered the partner country by land, so they left ours (its
 * entry is our exit). Each record becomes a canonical Departure (channel `land`) that is validated and
 * imported like any feed record; the format is in docs/departures.md, "Partner-country entries".
 */
import { blankFlatRecord, type FlatRecord } from '../core/observation/flat-columns.js';
import type { FieldError } from '../core/result/result.js';

/**
 * The columns of a partner entry record (CSV header names, NDJSON keys). The biographic and document
 * columns carry the canonical names (docs/formats.md), so their errors name the partner's own column.
 */
export const PARTNER_ENTRY_COLUMNS = [
  'partner',
  'record_id',
  'family_names',
  'given_names',
  'birth_date',
  'sex',
  'nationality',
  'doc_number',
  'doc_type',
  'doc_country',
  'doc_expiry',
  'entry_port',
  'entry_date',
  'entry_time',
] as const;
export type PartnerEntryColumn = (typeof PARTNER_ENTRY_COLUMNS)[number];
export type PartnerEntry = { [C in PartnerEntryColumn]?: string | undefined };

/** A CSV header without these cannot say of any row who entered where and when: the file is refused. */
export const REQUIRED_PARTNER_COLUMNS = [
  'partner',
  'record_id',
  'doc_number',
  'doc_country',
  'entry_port',
  'entry_date',
] as const satisfies readonly PartnerEntryColumn[];

/** The partner column of each canonical column whose name differs (the rest have the same name). */
const PARTNER_COLUMN_OF: Readonly<Record<string, PartnerEntryColumn>> = {
  date: 'entry_date',
  port: 'entry_port',
};

/** Partner record ids are short reference numbers; anything longer is a broken export. */
const MAX_RECORD_ID = 64;
const MAX_PORT = 32;
const COUNTRY = /^[A-Z]{3}$/;
const PORT = /^[A-Z0-9][A-Z0-9._-]*$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;

export interface PartnerDeparture {
  /**
   * The canonical Departure flat record, as far as the entry maps: the import validates it
   * (parseFlatRecord) like any feed record.
   */
  readonly record: FlatRecord;
  /** What only the partner format can check: partner code, record id, port of entry, time of entry. */
  readonly errors: readonly FieldError[];
}

/** An id with control characters is a broken export, not an id. */
const printable = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return false;
  }
  return true;
};

const text = (v: string | undefined): string | null => {
  const t = v?.trim();
  return t ? t : null;
};

/**
 * Maps a partner entry to our Departure. `record_id` becomes `{partner}:{record_id}` and the port
 * `{partner}:{entry_port}`: a source may carry several partners (an exchange hub), whose record ids and
 * port codes are their own and may equal another's or ours (Canadian and US land ports both use
 * four-digit codes). The date of entry is the date of departure; the time is kept in the raw record
 * only, since observations are by day. Errors name the partner's columns.
 */
export function partnerEntryToDeparture(entry: PartnerEntry): PartnerDeparture {
  const errors: FieldError[] = [];
  const partner = text(entry.partner)?.toUpperCase() ?? null;
  if (partner === null)
    errors.push({
      field: 'partner',
      reason: 'is required: the country that recorded the entry (ISO 3166-1 alpha-3)',
    });
  else if (!COUNTRY.test(partner))
    errors.push({ field: 'partner', reason: `"${partner}" is not an ISO 3166-1 alpha-3 country code` });

  const recordId = text(entry.record_id);
  if (recordId === null)
    errors.push({
      field: 'record_id',
      reason: "is required: the partner's id of the entry record (a correction is resent under it)",
    });
  else if (recordId.length > MAX_RECORD_ID || !printable(recordId))
    errors.push({
      field: 'record_id',
      reason: `is not a record id (printable characters, at most ${MAX_RECORD_ID})`,
    });

  const port = text(entry.entry_port)?.toUpperCase() ?? null;
  if (port === null) errors.push({ field: 'entry_port', reason: "is required: the partner's port of entry" });
  else if (port.length > MAX_PORT || !PORT.test(port))
    errors.push({
      field: 'entry_port',
      reason: `"${port}" is not a port code (letters, digits, . _ -; at most ${MAX_PORT})`,
    });

  const time = text(entry.entry_time);
  if (time !== null && !TIME.test(time))
    errors.push({
      field: 'entry_time',
      reason: `"${time}" is not a time of day (HH:MM or HH:MM:SS, 24-hour, local time at the port)`,
    });

  const record = blankFlatRecord();
  record.record_id = recordId === null ? undefined : partner ? `${partner}:${recordId}` : recordId;
  record.kind = 'Departure';
  record.family_names = entry.family_names;
  record.given_names = entry.given_names;
  record.birth_date = entry.birth_date;
  record.sex = entry.sex;
  record.nationality = entry.nationality;
  record.doc_number = entry.doc_number;
  record.doc_type = entry.doc_type;
  record.doc_country = entry.doc_country;
  record.doc_expiry = entry.doc_expiry;
  record.date = entry.entry_date;
  record.port = port === null ? undefined : partner ? `${partner}:${port}` : port;
  record.channel = 'land';
  return { record, errors };
}

/** Canonical field errors (parseFlatRecord's) named by the partner's columns: `date` is `entry_date`. */
export function asPartnerErrors(errors: readonly FieldError[]): FieldError[] {
  return errors.map((e) => {
    const field = PARTNER_COLUMN_OF[e.field];
    return field === undefined ? e : { field, reason: e.reason };
  });
}
