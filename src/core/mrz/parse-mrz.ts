/**
 * ICAO Doc 9303 machine-readable zones (TD1 cards, TD2 cards, TD3 passports) read with the `mrz`
 * library, checked again here and turned into the fields of our canonical observations.
 *
 * Every check digit is verified (document number, birth date, expiry, optional data where it has one,
 * composite); a wrong one rejects the zone, naming the field. Nothing throws: malformed input gives
 * field errors. See docs/mrz.md.
 */
import { parse, states, type Details, type FieldName, type ParseResult } from 'mrz';
import { DOCUMENT_TYPES, type DocumentType, type IsoDate, type Sex } from '../observation/observation.js';
import { fail, ok, type FieldError, type Result } from '../result/result.js';

export const MRZ_FORMATS = ['TD1', 'TD2', 'TD3'] as const;
export type MrzFormat = (typeof MRZ_FORMATS)[number];

/** Lines and characters per line of each format (ICAO 9303 parts 4, 5 and 6). */
export const MRZ_SHAPES: Readonly<Record<MrzFormat, { readonly lines: number; readonly length: number }>> = {
  TD1: { lines: 3, length: 30 },
  TD2: { lines: 2, length: 36 },
  TD3: { lines: 2, length: 44 },
};

/** The document a machine-readable zone describes, in our terms. */
export interface MrzDocument {
  readonly format: MrzFormat;
  /** The document code as printed: `P`, `PD`, `I`, `ID`, `AC`, ... */
  readonly documentCode: string;
  /** Its first letter, the ICAO document type. */
  readonly documentType: DocumentType;
  /** Issuing state or organisation: ICAO code, `D` normalised to `DEU`; `UTO` (the specimen state) kept. */
  readonly issuingState: string;
  /** As printed, fillers removed; a TD1/TD2 number longer than 9 characters is joined with its tail. */
  readonly documentNumber: string;
  /** The primary identifier (before `<<`), fillers turned into spaces; null when empty. */
  readonly familyNames: string | null;
  /** The secondary identifier (after `<<`); null when the zone has none. */
  readonly givenNames: string | null;
  /** ICAO code, `D` normalised to `DEU`; `XXA`/`XXB`/`XXC`/`XXX` kept. */
  readonly nationality: string;
  /** Null when the zone marks the date unknown (`<` in place of digits). */
  readonly birthDate: IsoDate | null;
  /** `<` (unspecified) is read as `X`. */
  readonly sex: Sex;
  /** Null when the zone marks the date unknown. An expired document is still read. */
  readonly expiry: IsoDate | null;
  /** TD3 personal number, TD2 optional data, TD1 line 1 optional data (after a long number's tail). */
  readonly optionalData: string | null;
  /** TD1 line 2 optional data; always null for TD2 and TD3. */
  readonly optionalData2: string | null;
  /** The zone as checked: trimmed, blank lines dropped, one-line input split. */
  readonly lines: readonly string[];
}

export interface ParseMrzOptions {
  /**
   * The day the document was read (YYYY-MM-DD), used to give two-digit years their century: a birth
   * date is never after it, an expiry is at most 20 years after it. Defaults to today (UTC); scans pass
   * the day they were read.
   */
  readonly referenceDate?: IsoDate;
}

const MRZ_CHARS = /^[A-Z0-9<]+$/;

/**
 * Normalises what a reader returned into MRZ lines: a string is split at line breaks, each line is
 * trimmed, blank lines are dropped, and one line of exactly 90, 72 or 88 characters (a reader that
 * drops the line breaks) is cut into its 3 or 2 lines.
 */
export function normaliseMrzLines(input: string | readonly string[]): string[] {
  const raw = typeof input === 'string' ? input.split(/\r\n|\r|\n/) : input;
  const lines = raw.map((l) => l.trim()).filter((l) => l.length > 0);
  if (lines.length === 1) {
    const only = lines[0]!;
    for (const format of MRZ_FORMATS) {
      const { lines: n, length } = MRZ_SHAPES[format];
      if (only.length === n * length) {
        return Array.from({ length: n }, (_, i) => only.slice(i * length, (i + 1) * length));
      }
    }
  }
  return lines;
}

function describeShape(lines: readonly string[]): string {
  const lengths = lines.map((l) => l.length);
  const counted = lines.length === 1 ? '1 line' : `${lines.length} lines`;
  const last = lengths.pop();
  const list = lengths.length > 0 ? `${lengths.join(', ')} and ${last}` : String(last);
  return `${counted} of ${list} characters`;
}

function detectFormat(lines: readonly string[]): MrzFormat | null {
  for (const format of MRZ_FORMATS) {
    const { lines: n, length } = MRZ_SHAPES[format];
    if (lines.length === n && lines.every((l) => l.length === length)) return format;
  }
  return null;
}

/** Where each format keeps its sex character, and the optional data a long document number continues in. */
const LAYOUT: Record<
  MrzFormat,
  { readonly sex: [number, number]; readonly longNumber: [number, number, number, number] | null }
> = {
  // [line, column] of the sex; [line, check digit column, optional data start, end] for long numbers.
  TD1: { sex: [1, 7], longNumber: [0, 14, 15, 30] },
  TD2: { sex: [1, 20], longNumber: [1, 9, 28, 35] },
  TD3: { sex: [1, 20], longNumber: null },
};

/** Our field names (the flat-record columns where there is one) for the library's fields. */
const FIELD: Partial<Record<FieldName, string>> = {
  documentCode: 'doc_type',
  issuingState: 'doc_country',
  documentNumber: 'doc_number',
  documentNumberCheckDigit: 'doc_number',
  nationality: 'nationality',
  birthDate: 'birth_date',
  birthDateCheckDigit: 'birth_date',
  sex: 'sex',
  expirationDate: 'doc_expiry',
  expirationDateCheckDigit: 'doc_expiry',
  optional: 'optional_data',
  optional1: 'optional_data',
  personalNumber: 'optional_data',
  personalNumberCheckDigit: 'optional_data',
  optional2: 'optional_data_2',
  compositeCheckDigit: 'composite_check_digit',
  lastName: 'family_names',
  firstName: 'given_names',
};

const CHECK_DIGIT_FIELDS = new Set<FieldName>([
  'documentNumberCheckDigit',
  'birthDateCheckDigit',
  'expirationDateCheckDigit',
  'personalNumberCheckDigit',
  'compositeCheckDigit',
]);

/** Fields whose value we read and check ourselves from the raw characters (the library's check is weaker). */
const OWN_CHECK_FIELDS = new Set<FieldName>([
  'issuingState',
  'nationality',
  'birthDate',
  'expirationDate',
  'sex',
  'lastName',
  'firstName',
  'documentCode',
]);

/** ICAO codes that are not in the library's list of states but are valid to us. */
const EXTRA_STATES = new Set(['UTO']);

const clean = (s: string): string => s.replace(/<+$/, '').replace(/</g, ' ').trim();
const orNull = (s: string): string | null => (s === '' ? null : s);
const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

function rawOf(d: Details): string {
  const r = d.ranges[0] as { raw?: unknown } | undefined;
  return typeof r?.raw === 'string' ? r.raw : '';
}

function checkDigitReason(d: Details): string {
  const m = /^invalid check digit: (.*)\. Must be (\d)$/.exec(d.error ?? '');
  if (m) return `check digit ${m[1] === '' ? '(none)' : m[1]} does not match ${m[2]}`;
  const empty = /^invalid check digit (.): must be 0 or <$/.exec(d.error ?? '');
  if (empty) return `check digit ${empty[1]} should be 0 or < when the optional data is empty`;
  return d.error ?? 'is not valid';
}

function state(code: string, field: string, errors: FieldError[]): string {
  const c = code.replace(/<+$/, '');
  if (c === 'D') return 'DEU';
  if (/^[A-Z]{1,3}$/.test(c) && (EXTRA_STATES.has(c) || Object.hasOwn(states, c))) return c;
  errors.push({ field, reason: `"${code}" is not an ICAO 9303 country code` });
  return c;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysIn = (y: number, m: number): number =>
  m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : MONTH_DAYS[m - 1]!;

/** A YYMMDD date with its century chosen against the reference day; null when marked unknown. */
function mrzDate(
  raw: string,
  kind: 'birth' | 'expiry',
  ref: IsoDate,
  field: string,
  errors: FieldError[],
): IsoDate | null {
  if (!/^(\d\d|<<)(\d\d|<<)(\d\d|<<)$/.test(raw)) {
    errors.push({ field, reason: `"${raw}" is not a date (YYMMDD, < for unknown parts)` });
    return null;
  }
  if (raw.includes('<')) return null;
  const yy = Number(raw.slice(0, 2));
  const m = Number(raw.slice(2, 4));
  const d = Number(raw.slice(4, 6));
  if (m < 1 || m > 12) {
    errors.push({ field, reason: `month ${pad2(m)} out of range in "${raw}"` });
    return null;
  }
  const refYear = Number(ref.slice(0, 4));
  const century = refYear - (refYear % 100);
  let y = century + yy;
  if (kind === 'birth') {
    // Not after the reference day: someone born in "30" is born in 1930 when read in 2025.
    if (`${y}-${pad2(m)}-${pad2(d)}` > ref) y -= 100;
  } else if (y > refYear + 20) {
    y -= 100;
  } else if (y <= refYear - 80) {
    y += 100;
  }
  if (d < 1 || d > daysIn(y, m)) {
    errors.push({ field, reason: `day ${pad2(d)} out of range for ${y}-${pad2(m)} in "${raw}"` });
    return null;
  }
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

function todayUtc(): IsoDate {
  return new Date().toISOString().slice(0, 10);
}

function validReferenceDate(ref: unknown): ref is IsoDate {
  if (typeof ref !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(ref)) return false;
  const y = Number(ref.slice(0, 4));
  const m = Number(ref.slice(5, 7));
  const d = Number(ref.slice(8, 10));
  return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m);
}

/** Checks the characters and the shape; returns the lines and their format, or the errors. */
function readShape(input: unknown): Result<{ lines: string[]; format: MrzFormat }> {
  if (typeof input !== 'string' && !(Array.isArray(input) && input.every((l) => typeof l === 'string'))) {
    return fail([{ field: 'mrz', reason: 'must be the zone: a string, or an array of its lines' }]);
  }
  const lines = normaliseMrzLines(input);
  if (lines.length === 0) return fail([{ field: 'mrz', reason: 'is empty' }]);
  const errors: FieldError[] = [];
  lines.forEach((line, i) => {
    if (MRZ_CHARS.test(line)) return;
    const at = [...line].findIndex((c) => !/[A-Z0-9<]/.test(c));
    const bad = [...line][at] ?? '';
    const lower = /[a-z]/.test(bad) ? ' (lowercase is not an MRZ character)' : '';
    errors.push({
      field: 'mrz',
      reason: `line ${i + 1} has ${JSON.stringify(bad)} at position ${at + 1}${lower}: only A-Z, 0-9 and < are allowed`,
    });
  });
  if (lines.length > 3) {
    errors.push({
      field: 'mrz',
      reason: `expected 3 lines of 30 characters (TD1), 2 of 36 (TD2) or 2 of 44 (TD3); got ${lines.length} lines`,
    });
    return fail(errors);
  }
  const format = detectFormat(lines);
  if (format === null) {
    errors.push({
      field: 'mrz',
      reason: `expected 3 lines of 30 characters (TD1), 2 of 36 (TD2) or 2 of 44 (TD3); got ${describeShape(lines)}`,
    });
  }
  if (errors.length > 0 || format === null) return fail(errors);
  return ok({ lines, format });
}

/**
 * Reads a machine-readable zone (TD1, TD2 or TD3) and checks every field and check digit.
 * Returns the document, or every problem found as field errors, e.g.
 * `{ field: 'birth_date', reason: 'check digit 3 does not match 2' }` (printed digit, then the computed one).
 * Never throws.
 */
export function parseMrz(
  input: string | readonly string[],
  options: ParseMrzOptions = {},
): Result<MrzDocument> {
  const ref = options.referenceDate ?? todayUtc();
  if (!validReferenceDate(ref)) {
    return fail([{ field: 'reference_date', reason: `"${String(ref)}" is not a day (YYYY-MM-DD)` }]);
  }
  const shape = readShape(input);
  if (!shape.ok) return shape;
  const { format } = shape.value;
  const lines = shape.value.lines;

  if (lines[0]!.startsWith('V')) {
    return fail([
      {
        field: 'doc_type',
        reason:
          'machine-readable visas (MRV-A, MRV-B) are not supported: the mrz library reads TD1, TD2 and TD3 only',
      },
    ]);
  }

  const errors: FieldError[] = [];
  const layout = LAYOUT[format];

  // Sex X: newer documents may print X where ICAO 9303 has <. No check digit covers the sex, so the
  // library (which knows only M, F and <) is given < and we read X.
  const [sexLine, sexCol] = layout.sex;
  const forLibrary = lines.slice();
  const sexChar = lines[sexLine]![sexCol]!;
  if (sexChar === 'X') {
    const l = forLibrary[sexLine]!;
    forLibrary[sexLine] = `${l.slice(0, sexCol)}<${l.slice(sexCol + 1)}`;
  }

  // A TD1/TD2 number longer than 9 characters: < in the check digit position, the rest of the number and
  // its check digit at the start of the optional data. The library misreads a < there without that tail.
  let longNumberOptionalStart = 0;
  if (layout.longNumber !== null) {
    const [line, checkCol, from, to] = layout.longNumber;
    if (lines[line]![checkCol] === '<') {
      const optional = lines[line]!.slice(from, to);
      const m = /^([A-Z0-9]+)[0-9]</.exec(optional);
      if (!m) {
        errors.push({
          field: 'doc_number',
          reason:
            'the check digit position holds <, but the optional data does not continue the number with its check digit',
        });
        return fail(errors);
      }
      longNumberOptionalStart = m[0].length;
    }
  }

  let result: ParseResult;
  try {
    result = parse(forLibrary);
  } catch (e) {
    return fail([{ field: 'mrz', reason: `not readable: ${e instanceof Error ? e.message : String(e)}` }]);
  }
  if (result.format !== format) {
    return fail([
      { field: 'mrz', reason: `read as ${result.format}, which is not an ICAO 9303 ${format} zone` },
    ]);
  }

  const byField = new Map<FieldName, Details>();
  for (const d of result.details) if (d.field !== null) byField.set(d.field, d);
  const detail = (f: FieldName): Details | undefined => byField.get(f);

  // The library's verdicts: check digits, document number, optional data.
  for (const d of result.details) {
    if (d.valid || d.field === null || OWN_CHECK_FIELDS.has(d.field)) continue;
    const field = FIELD[d.field] ?? d.field;
    if (CHECK_DIGIT_FIELDS.has(d.field)) errors.push({ field, reason: checkDigitReason(d) });
    else errors.push({ field, reason: `"${rawOf(d)}" ${d.error ?? 'is not valid'}` });
  }

  // Document code.
  const codeRaw = lines[0]!.slice(0, 2);
  const codeDetail = detail('documentCode');
  const documentCode = codeRaw.replace(/<+$/, '');
  const documentType = documentCode[0] ?? '';
  const typeOk = codeDetail?.valid === true && (DOCUMENT_TYPES as readonly string[]).includes(documentType);
  if (!typeOk) {
    errors.push({
      field: 'doc_type',
      reason:
        format === 'TD3'
          ? `"${codeRaw}" is not a passport document code (P, then a letter or <)`
          : `"${codeRaw}" is not a ${format} card document code (A, C or I, then a letter other than V, or <)`,
    });
  }

  const issuingState = state(rawOf(detail('issuingState')!), 'doc_country', errors);
  const nationality = state(rawOf(detail('nationality')!), 'nationality', errors);
  const birthDate = mrzDate(rawOf(detail('birthDate')!), 'birth', ref, 'birth_date', errors);
  const expiry = mrzDate(rawOf(detail('expirationDate')!), 'expiry', ref, 'doc_expiry', errors);

  let sex: Sex = 'X';
  if (sexChar === 'F' || sexChar === 'M') sex = sexChar;
  else if (sexChar !== '<' && sexChar !== 'X')
    errors.push({ field: 'sex', reason: `"${sexChar}" is not F, M, X or < (unspecified)` });

  // Names: primary identifier, <<, secondary identifier.
  const nameRaw = format === 'TD1' ? lines[2]! : lines[0]!.slice(5);
  let familyNames: string | null = null;
  let givenNames: string | null = null;
  if (!/^[A-Z<]+$/.test(nameRaw)) {
    errors.push({
      field: 'family_names',
      reason: `"${nameRaw}" has characters a name cannot have (A-Z and <)`,
    });
  } else {
    const split = nameRaw.indexOf('<<');
    familyNames = orNull(clean(split === -1 ? nameRaw : nameRaw.slice(0, split)));
    givenNames = split === -1 ? null : orNull(clean(nameRaw.slice(split + 2)));
    if (familyNames === null && givenNames === null)
      errors.push({ field: 'family_names', reason: 'the name field is empty' });
  }

  const documentNumber = (result.documentNumber ?? '').replace(/</g, '');
  if (documentNumber === '' && detail('documentNumber')?.valid !== false)
    errors.push({ field: 'doc_number', reason: 'is empty' });

  let optionalData: string | null;
  let optionalData2: string | null = null;
  if (format === 'TD3') {
    optionalData = orNull(clean(lines[1]!.slice(28, 42)));
  } else if (format === 'TD2') {
    optionalData = orNull(clean(lines[1]!.slice(28 + longNumberOptionalStart, 35)));
  } else {
    optionalData = orNull(clean(lines[0]!.slice(15 + longNumberOptionalStart, 30)));
    optionalData2 = orNull(clean(lines[1]!.slice(18, 29)));
  }

  if (errors.length > 0) return fail(dedupe(errors));
  return ok({
    format,
    documentCode,
    documentType: documentType as DocumentType,
    issuingState,
    documentNumber,
    familyNames,
    givenNames,
    nationality,
    birthDate,
    sex,
    expiry,
    optionalData,
    optionalData2,
    lines,
  });
}

function dedupe(errors: readonly FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.field}\u0000${e.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
