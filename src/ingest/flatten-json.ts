import { FLAT_COLUMNS, type FlatRecord } from '../core/observation/flat-columns.js';

const str = (v: unknown): string | undefined =>
  v === null || v === undefined
    ? undefined
    : typeof v === 'string'
      ? v
      : typeof v === 'number' || typeof v === 'boolean'
        ? String(v)
        : undefined;

/**
 * Accepts a JSON record in flat form (the CSV column names) or in canonical form (docs/formats.md:
 * `kind`, `person: {givenNames, …, document: {…}}`, camelCase fields) and returns the flat record.
 */
export function flattenJson(obj: Record<string, unknown>): FlatRecord {
  const flat: FlatRecord = {};
  for (const c of FLAT_COLUMNS) {
    const v = str(obj[c]);
    if (v !== undefined) flat[c] = v;
  }
  const person = obj['person'];
  if (person && typeof person === 'object') {
    const p = person as Record<string, unknown>;
    const set = (c: keyof FlatRecord, v: unknown) => {
      const s = str(v);
      if (s !== undefined) flat[c] = s;
    };
    set('given_names', p['givenNames']);
    set('family_names', p['familyNames']);
    set('birth_date', p['birthDate']);
    set('sex', p['sex']);
    set('nationality', p['nationality']);
    const d = p['document'];
    if (d && typeof d === 'object') {
      const doc = d as Record<string, unknown>;
      set('doc_number', doc['number']);
      set('doc_type', doc['type']);
      set('doc_country', doc['issuingCountry']);
      set('doc_expiry', doc['expiry']);
    }
    set(
      'record_id',
      obj['recordId'] ?? (obj['provenance'] as Record<string, unknown> | undefined)?.['sourceRecordId'],
    );
    set('admission_number', obj['admissionNumber']);
    set('class_of_admission', obj['classOfAdmission']);
    set('admit_until', obj['admitUntil']);
    set('duration_of_status', obj['durationOfStatus']);
    set('program_end_date', obj['programEndDate']);
    set('new_admit_until', obj['newAdmitUntil']);
    set('new_class_of_admission', obj['newClassOfAdmission']);
  }
  return flat;
}
