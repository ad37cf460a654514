/**
 * A scan record: one reading of a machine-readable zone at a border checkpoint, saying where, when and
 * in which direction the document was read. An exit scan becomes a Departure flat record (validated and
 * imported like any other); an entry scan is arrival evidence only, never an Admission. See docs/mrz.md.
 */
import { blankFlatRecord, type FlatRecord } from '../observation/flat-columns.js';
import type { IsoDate, PersonDescriptor } from '../observation/observation.js';
import { fail, ok, type FieldError, type Result } from '../result/result.js';
import { normaliseMrzLines, parseMrz, type MrzDocument } from './parse-mrz.js';

export const SCAN_DIRECTIONS = ['entry', 'exit'] as const;
export type ScanDirection = (typeof SCAN_DIRECTIONS)[number];

/** How the traveller crosses: the departure channels a checkpoint can observe. */
export const SCAN_MODES = ['air', 'sea', 'land'] as const;
export type ScanMode = (typeof SCAN_MODES)[number];

export interface ScanRecord {
  /** The machine-readable zone as the reader returned it, one string per line. */
  readonly lines: readonly string[];
  /** When it was read: ISO 8601 with a time zone, e.g. `2025-07-01T14:05:09Z` or `...-04:00`. */
  readonly readAt: string;
  /** Port code or checkpoint id (upper-cased), e.g. `JFK`, `2402`, `SYS-PED-07`. */
  readonly location: string;
  readonly direction: ScanDirection;
  readonly mode: ScanMode;
  /** The reader's id, where known. */
  readonly device?: string;
}

/** A scan at entry: someone presented this document here; not an admission (no class, no admit-until). */
export interface ArrivalEvidence {
  readonly kind: 'ArrivalEvidence';
  /** The same stable id an exit scan's record_id would have. */
  readonly recordId: string;
  /** The day of `readAt` in UTC. */
  readonly date: IsoDate;
  /** `readAt` as a UTC instant. */
  readonly readAt: string;
  readonly location: string;
  readonly mode: ScanMode;
  readonly device: string | null;
  readonly person: PersonDescriptor;
}

export const ENTRY_SCAN_NOTE =
  'entry scan: arrival evidence only, no flat record. A document read at entry shows that someone ' +
  'presented it, not that they were admitted: an Admission needs a class of admission and an admit-until ' +
  'date, which the zone does not carry.';

export type ScanOutcome =
  | { readonly kind: 'departure'; readonly record: FlatRecord }
  | {
      readonly kind: 'arrival-evidence';
      readonly record: null;
      readonly evidence: ArrivalEvidence;
      /** Why there is no flat record: {@link ENTRY_SCAN_NOTE}. */
      readonly note: string;
    };

/** A scan, its document and what it becomes. */
export interface ScanReading {
  readonly scan: ScanRecord;
  readonly document: MrzDocument;
  readonly outcome: ScanOutcome;
}

const MAX_LOCATION = 32;
const MAX_DEVICE = 64;
const LOCATION = /^[A-Z0-9][A-Z0-9._-]*$/;
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysIn = (y: number, m: number): number =>
  m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : MONTH_DAYS[m - 1]!;

/** The UTC instant of an ISO 8601 timestamp with a zone, or why it is not one. */
export function readTimestamp(v: string): { readonly instant: string } | { readonly reason: string } {
  const m = TIMESTAMP.exec(v);
  if (!m)
    return { reason: `"${v}" is not an ISO 8601 timestamp with a time zone (e.g. 2025-07-01T14:05:09Z)` };
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (y < 1900 || y > 2100) return { reason: `year ${y} out of range in "${v}"` };
  if (mo < 1 || mo > 12) return { reason: `month ${mo} out of range in "${v}"` };
  if (d < 1 || d > daysIn(y, mo)) return { reason: `day ${d} out of range in "${v}"` };
  if (h > 23 || mi > 59 || s > 59) return { reason: `time out of range in "${v}"` };
  let offsetMinutes = 0;
  if (m[8] !== 'Z') {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 14 || om > 59) return { reason: `time zone offset out of range in "${v}"` };
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMinutes * 60_000;
  return { instant: new Date(t).toISOString() };
}

const KEYS = ['readAt', 'location', 'direction', 'mode', 'device'] as const;

export interface ValidateScanOptions {
  /** The key holding the zone's lines: `lines` (default) or `mrz` (the scan feed). Errors name it. */
  readonly linesKey?: 'lines' | 'mrz';
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function oneOf<T extends string>(
  rec: Record<string, unknown>,
  key: string,
  list: readonly T[],
  errors: FieldError[],
): T | null {
  const v = rec[key];
  if (v === undefined || v === null || v === '') {
    errors.push({ field: key, reason: `is required (one of ${list.join(', ')})` });
    return null;
  }
  const n = typeof v === 'string' ? v.trim().toLowerCase() : v;
  if (typeof n === 'string' && (list as readonly string[]).includes(n)) return n as T;
  errors.push({ field: key, reason: `${JSON.stringify(v)} is not one of ${list.join(', ')}` });
  return null;
}

/**
 * Checks a scan record's shape: the lines (1 to 3 strings, or one string with line breaks), the
 * timestamp, the location, direction, mode and device. The zone itself is checked by {@link parseMrz}.
 * Every problem is reported, each naming its field.
 */
export function validateScanRecord(input: unknown, options: ValidateScanOptions = {}): Result<ScanRecord> {
  const linesKey = options.linesKey ?? 'lines';
  if (!isObject(input)) return fail([{ field: '*', reason: 'a scan record must be an object' }]);
  const errors: FieldError[] = [];

  for (const key of Object.keys(input)) {
    if (key !== linesKey && !(KEYS as readonly string[]).includes(key)) {
      errors.push({ field: key, reason: `is not a scan record field (${[linesKey, ...KEYS].join(', ')})` });
    }
  }

  let lines: string[] = [];
  const rawLines = input[linesKey];
  if (rawLines === undefined || rawLines === null || rawLines === '') {
    errors.push({ field: linesKey, reason: 'is required: the lines of the machine-readable zone' });
  } else if (typeof rawLines === 'string') {
    lines = rawLines.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '');
  } else if (Array.isArray(rawLines) && rawLines.every((l) => typeof l === 'string')) {
    lines = rawLines;
  } else {
    errors.push({
      field: linesKey,
      reason: 'must be an array of strings (the lines of the zone) or one string',
    });
  }
  if (lines.length > 3 || (rawLines !== undefined && Array.isArray(rawLines) && lines.length === 0)) {
    errors.push({ field: linesKey, reason: `a zone has 1 to 3 lines, not ${lines.length}` });
  }

  const readAt = input['readAt'];
  if (readAt === undefined || readAt === null || readAt === '') {
    errors.push({
      field: 'readAt',
      reason: 'is required: when the document was read (ISO 8601 with a time zone)',
    });
  } else if (typeof readAt !== 'string') {
    errors.push({ field: 'readAt', reason: `${JSON.stringify(readAt)} is not a timestamp string` });
  } else {
    const t = readTimestamp(readAt.trim());
    if ('reason' in t) errors.push({ field: 'readAt', reason: t.reason });
  }

  let location = '';
  const rawLocation = input['location'];
  if (rawLocation === undefined || rawLocation === null || rawLocation === '') {
    errors.push({ field: 'location', reason: 'is required: the port code or checkpoint id' });
  } else if (typeof rawLocation !== 'string') {
    errors.push({
      field: 'location',
      reason: `${JSON.stringify(rawLocation)} is not a port code or checkpoint id`,
    });
  } else {
    location = rawLocation.trim().toUpperCase();
    if (location === '')
      errors.push({ field: 'location', reason: 'is required: the port code or checkpoint id' });
    else if (location.length > MAX_LOCATION || !LOCATION.test(location))
      errors.push({
        field: 'location',
        reason: `"${rawLocation}" is not a port code or checkpoint id (letters, digits, . _ -; at most ${MAX_LOCATION})`,
      });
  }

  const direction = oneOf(input, 'direction', SCAN_DIRECTIONS, errors);
  const mode = oneOf(input, 'mode', SCAN_MODES, errors);

  let device: string | undefined;
  const rawDevice = input['device'];
  if (rawDevice !== undefined && rawDevice !== null) {
    if (typeof rawDevice !== 'string' || rawDevice.trim() === '' || rawDevice.trim().length > MAX_DEVICE)
      errors.push({
        field: 'device',
        reason: `${JSON.stringify(rawDevice)} is not a device id (a non-empty string of at most ${MAX_DEVICE})`,
      });
    else device = rawDevice.trim();
  }

  if (errors.length > 0 || direction === null || mode === null || typeof readAt !== 'string')
    return fail(errors);
  const scan: ScanRecord = {
    lines,
    readAt: readAt.trim(),
    location,
    direction,
    mode,
    ...(device === undefined ? {} : { device }),
  };
  return ok(scan);
}

/** The stable id of a scan: location, UTC instant and document number. The same reading sent twice has the same id. */
export function scanRecordId(location: string, instant: string, documentNumber: string): string {
  return `mrz:${location}:${instant}:${documentNumber}`;
}

function person(doc: MrzDocument): PersonDescriptor {
  return {
    givenNames: doc.givenNames,
    familyNames: doc.familyNames,
    birthDate: doc.birthDate,
    sex: doc.sex,
    nationality: doc.nationality,
    document: {
      number: doc.documentNumber,
      type: doc.documentType,
      issuingCountry: doc.issuingState,
      expiry: doc.expiry,
    },
  };
}

/**
 * What a scan becomes. An exit scan: a Departure flat record (flat-columns.ts) for parseFlatRecord and the
 * import, `channel` = the scan's mode, `port` = its location, `date` = the UTC day of `readAt`. An entry
 * scan: arrival evidence and no flat record (see {@link ENTRY_SCAN_NOTE}). The scan is validated again,
 * and `document` must have been read from the scan's lines.
 */
export function scanToFlatRecord(scan: ScanRecord, document: MrzDocument): Result<ScanOutcome> {
  const valid = validateScanRecord(scan);
  if (!valid.ok) return valid;
  const s = valid.value;
  const same = normaliseMrzLines(s.lines).join('\n') === document.lines.join('\n');
  if (!same) return fail([{ field: 'lines', reason: 'the document was not read from these lines' }]);
  const t = readTimestamp(s.readAt);
  if (!('instant' in t)) return fail([{ field: 'readAt', reason: t.reason }]);
  const date = t.instant.slice(0, 10);
  const recordId = scanRecordId(s.location, t.instant, document.documentNumber);

  if (s.direction === 'entry') {
    return ok({
      kind: 'arrival-evidence',
      record: null,
      note: ENTRY_SCAN_NOTE,
      evidence: {
        kind: 'ArrivalEvidence',
        recordId,
        date,
        readAt: t.instant,
        location: s.location,
        mode: s.mode,
        device: s.device ?? null,
        person: person(document),
      },
    });
  }

  const record = blankFlatRecord();
  record.record_id = recordId;
  record.kind = 'Departure';
  record.given_names = document.givenNames ?? undefined;
  record.family_names = document.familyNames ?? undefined;
  record.birth_date = document.birthDate ?? undefined;
  record.sex = document.sex;
  record.nationality = document.nationality;
  record.doc_number = document.documentNumber;
  record.doc_type = document.documentType;
  record.doc_country = document.issuingState;
  record.doc_expiry = document.expiry ?? undefined;
  record.date = date;
  record.port = s.location;
  record.channel = s.mode;
  return ok({ kind: 'departure', record });
}

/**
 * Validates a scan record, reads its zone (two-digit years resolved against the UTC day it was read) and
 * turns it into its outcome. Every problem of the record and of the zone is reported together.
 */
export function readScan(input: unknown, options: ValidateScanOptions = {}): Result<ScanReading> {
  const linesKey = options.linesKey ?? 'lines';
  const valid = validateScanRecord(input, options);
  const errors: FieldError[] = valid.ok ? [] : [...valid.errors];
  // Read the zone even when the record is at fault, so one fix-and-resend suffices.
  const rawLines = isObject(input) ? input[linesKey] : undefined;
  const zone = valid.ok ? valid.value.lines : rawLines;
  const zoneGiven =
    typeof zone === 'string' ||
    (Array.isArray(zone) && zone.length > 0 && zone.every((l) => typeof l === 'string'));
  let document: MrzDocument | null = null;
  if (zoneGiven && !errors.some((e) => e.field === linesKey)) {
    const readAt =
      isObject(input) && typeof input['readAt'] === 'string' ? readTimestamp(input['readAt'].trim()) : null;
    const referenceDate = readAt !== null && 'instant' in readAt ? readAt.instant.slice(0, 10) : undefined;
    const parsed = parseMrz(zone, referenceDate === undefined ? {} : { referenceDate });
    if (parsed.ok) document = parsed.value;
    else errors.push(...parsed.errors);
  }
  if (!valid.ok || document === null) return fail(errors);
  const outcome = scanToFlatRecord(valid.value, document);
  if (!outcome.ok) return outcome;
  return ok({ scan: valid.value, document, outcome: outcome.value });
}
