import { fail, ok, type FieldError, type Result } from '../result/result.js';
import type { FlatColumn, FlatRecord } from './flat-columns.js';
import {
  ARRIVAL_CHANNELS,
  DEPARTURE_CHANNELS,
  DOCUMENT_TYPES,
  OBSERVATION_KINDS,
  SEXES,
  STATUS_CHANGE_EVENTS,
  STATUS_CHANGE_TYPES,
  type IsoDate,
  type Observation,
  type PersonDescriptor,
  type TravelDocument,
} from './observation.js';
import { parseDate } from './parse-date.js';

/** An observation before it is stored: everything but its provenance. */
export type ObservationBody = Observation extends infer O
  ? O extends Observation
    ? Omit<O, 'provenance'>
    : never
  : never;

/** Name placeholders clerks type when a name is unknown: they mean "missing", never a name. */
const NAME_PLACEHOLDERS = new Set(['FNU', 'LNU', 'XXX', 'UNKNOWN', 'NFN', 'NLN']);

/** ICAO 9303 issuing-state codes that are not ISO 3166-1 alpha-3. */
const ICAO_TO_ISO: Record<string, string> = {
  D: 'DEU',
  GBD: 'GBR',
  GBN: 'GBR',
  GBO: 'GBR',
  GBS: 'GBR',
  GBP: 'GBR',
};

const includes = <T extends string>(list: readonly T[], v: string): v is T =>
  (list as readonly string[]).includes(v);

class Reader {
  readonly errors: FieldError[] = [];
  constructor(private readonly rec: FlatRecord) {}

  text(field: FlatColumn): string | null {
    const v = this.rec[field]?.trim();
    return v ? v : null;
  }

  required(field: FlatColumn): string | null {
    const v = this.text(field);
    if (v === null) this.errors.push({ field, reason: 'is required' });
    return v;
  }

  name(field: FlatColumn): string | null {
    const v = this.text(field);
    return v === null || NAME_PLACEHOLDERS.has(v.toUpperCase()) ? null : v.replace(/\s+/g, ' ');
  }

  date(field: FlatColumn, required = false): IsoDate | null {
    const v = this.text(field);
    if (v === null) {
      if (required) this.errors.push({ field, reason: 'is required' });
      return null;
    }
    const d = parseDate(v);
    if (d.kind === 'date') return d.value;
    if (d.kind === 'placeholder') {
      if (required) this.errors.push({ field, reason: `"${v}" is a placeholder, not a date` });
      return null;
    }
    this.errors.push({ field, reason: d.reason });
    return null;
  }

  oneOf<T extends string>(
    field: FlatColumn,
    list: readonly T[],
    required: boolean,
    normalise = (s: string) => s,
  ): T | null {
    const v = this.text(field);
    if (v === null) {
      if (required) this.errors.push({ field, reason: `is required (one of ${list.join(', ')})` });
      return null;
    }
    const n = normalise(v);
    if (includes(list, n)) return n;
    this.errors.push({ field, reason: `"${v}" is not one of ${list.join(', ')}` });
    return null;
  }

  country(field: FlatColumn): string | null {
    const v = this.text(field)?.toUpperCase() ?? null;
    if (v === null) return null;
    const iso = ICAO_TO_ISO[v] ?? v;
    if (!/^[A-Z]{3}$/.test(iso)) {
      this.errors.push({ field, reason: `"${v}" is not an ISO 3166-1 alpha-3 country code` });
      return null;
    }
    return iso;
  }

  flag(field: FlatColumn): boolean {
    const v = this.text(field)?.toLowerCase();
    if (v === undefined || v === 'false' || v === '0' || v === 'no') return false;
    if (v === 'true' || v === '1' || v === 'yes' || v === 'd/s') return true;
    this.errors.push({ field, reason: `"${v}" is not true or false` });
    return false;
  }
}

function readPerson(r: Reader): PersonDescriptor {
  const number = r.text('doc_number')?.toUpperCase().replace(/[\s-]/g, '') ?? null;
  let document: TravelDocument | null = null;
  if (number !== null) {
    if (!/^[A-Z0-9<]{1,20}$/.test(number))
      r.errors.push({
        field: 'doc_number',
        reason: `"${number}" has characters a travel document number cannot have`,
      });
    const issuingCountry = r.country('doc_country');
    if (issuingCountry === null)
      r.errors.push({ field: 'doc_country', reason: 'is required when doc_number is given' });
    document = {
      number,
      type: r.oneOf('doc_type', DOCUMENT_TYPES, false, (s) => s.toUpperCase()) ?? 'P',
      issuingCountry: issuingCountry ?? '',
      expiry: r.date('doc_expiry'),
    };
  }
  return {
    givenNames: r.name('given_names'),
    familyNames: r.name('family_names'),
    birthDate: r.date('birth_date'),
    sex: r.oneOf('sex', SEXES, false, (s) => s.toUpperCase()),
    nationality: r.country('nationality'),
    document,
  };
}

/**
 * Validates one flat record (a CSV row or flat NDJSON line) into an observation body.
 * Every problem is reported with the field it concerns, not just the first, so one fix-and-resubmit suffices.
 */
export function parseFlatRecord(rec: FlatRecord): Result<ObservationBody> {
  const r = new Reader(rec);
  const kind = r.oneOf('kind', OBSERVATION_KINDS, true);
  const person = readPerson(r);
  const admissionNumber = r.text('admission_number');
  if (person.document === null && admissionNumber === null) {
    r.errors.push({
      field: 'doc_number',
      reason: 'a record needs a travel document number or an admission number to say who it is about',
    });
  }
  // Properties written out, not spread from a shared base: V8 defines each property after a spread
  // through a slow path, which cost more than the rest of the validation together.
  let body: ObservationBody | null = null;
  if (kind === 'Admission') {
    const durationOfStatus = r.flag('duration_of_status');
    body = {
      person,
      admissionNumber,
      kind,
      date: r.date('date', true) ?? '',
      port: r.required('port') ?? '',
      classOfAdmission: r.required('class_of_admission')?.toUpperCase().replace(/[-\s]/g, '') ?? '',
      admitUntil: r.date('admit_until'),
      durationOfStatus,
      programEndDate: r.date('program_end_date'),
    };
  } else if (kind === 'Departure') {
    body = {
      person,
      admissionNumber,
      kind,
      date: r.date('date', true) ?? '',
      port: r.text('port'),
      channel: r.oneOf('channel', DEPARTURE_CHANNELS, true, (s) => s.toLowerCase()) ?? 'air',
      carrier: r.text('carrier'),
      flight: r.text('flight'),
    };
  } else if (kind === 'Arrival') {
    body = {
      person,
      admissionNumber,
      kind,
      date: r.date('date', true) ?? '',
      port: r.required('port') ?? '',
      channel: r.oneOf('channel', ARRIVAL_CHANNELS, true, (s) => s.toLowerCase()) ?? 'air',
      carrier: r.text('carrier'),
      flight: r.text('flight'),
    };
  } else if (kind === 'StatusChange') {
    const change = r.oneOf('change', STATUS_CHANGE_TYPES, true, (s) => s.toLowerCase());
    const event = r.oneOf('event', STATUS_CHANGE_EVENTS, true, (s) => s.toLowerCase());
    const newAdmitUntil = r.date('new_admit_until');
    if (
      event === 'granted' &&
      (change === 'extension' || change === 'change-of-status') &&
      newAdmitUntil === null
    ) {
      r.errors.push({ field: 'new_admit_until', reason: `is required when a ${change} is granted` });
    }
    if (change === 'change-of-status' && event === 'granted' && r.text('new_class_of_admission') === null) {
      r.errors.push({
        field: 'new_class_of_admission',
        reason: 'is required when a change of status is granted',
      });
    }
    if (admissionNumber === null)
      r.errors.push({
        field: 'admission_number',
        reason: 'a status change must name the admission it changes',
      });
    body = {
      person,
      admissionNumber,
      kind,
      change: change ?? 'extension',
      event: event ?? 'filed',
      date: r.date('date', true) ?? '',
      newAdmitUntil,
      newClassOfAdmission: r.text('new_class_of_admission')?.toUpperCase() ?? null,
    };
  }
  if (r.errors.length > 0 || body === null) return fail(r.errors);
  return ok(body);
}
