import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FlatRecord } from './flat-columns.js';
import { parseFlatRecord } from './parse-flat-record.js';

const admission: FlatRecord = {
  record_id: 'A1',
  kind: 'Admission',
  given_names: 'Ana',
  family_names: 'Exampleton',
  birth_date: '1990-04-01',
  sex: 'f',
  nationality: 'mex',
  doc_number: 'x1234 5678',
  doc_country: 'MEX',
  admission_number: '90000000001',
  date: '20250110',
  port: 'JFK',
  class_of_admission: 'B-2',
  admit_until: '2025-07-09',
};

describe('parseFlatRecord', () => {
  it('normalises an admission into the canonical observation', () => {
    const r = parseFlatRecord(admission);
    expect(r).toEqual({
      ok: true,
      value: {
        kind: 'Admission',
        person: {
          givenNames: 'Ana',
          familyNames: 'Exampleton',
          birthDate: '1990-04-01',
          sex: 'F',
          nationality: 'MEX',
          document: { number: 'X12345678', type: 'P', issuingCountry: 'MEX', expiry: null },
        },
        admissionNumber: '90000000001',
        date: '2025-01-10',
        port: 'JFK',
        classOfAdmission: 'B2',
        admitUntil: '2025-07-09',
        durationOfStatus: false,
        programEndDate: null,
      },
    });
  });

  it('reads placeholders (FNU, LNU, day 00) as missing, not as values', () => {
    const r = parseFlatRecord({
      ...admission,
      given_names: 'FNU',
      family_names: 'lnu',
      birth_date: '1990-04-00',
    });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.person).toMatchObject({ givenNames: null, familyNames: null, birthDate: null });
  });

  it('names every field at fault, not just the first', () => {
    const r = parseFlatRecord({
      ...admission,
      kind: 'Departure',
      channel: 'bus',
      date: '2025-02-30',
      nationality: 'Mexico',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toEqual([
        { field: 'nationality', reason: '"MEXICO" is not an ISO 3166-1 alpha-3 country code' },
        { field: 'date', reason: 'day 30 out of range for 2025-02 in "2025-02-30"' },
        { field: 'channel', reason: '"bus" is not one of air, sea, land, self-report, removal' },
      ]);
    }
  });

  it('refuses a record that does not say who it is about', () => {
    const r = parseFlatRecord({ kind: 'Departure', date: '2025-01-01', channel: 'air' });
    expect(r).toEqual({
      ok: false,
      errors: [
        {
          field: 'doc_number',
          reason: expect.stringMatching(/travel document number or an admission number/) as string,
        },
      ],
    });
  });

  it('requires the new date of a granted extension and the admission it changes', () => {
    const r = parseFlatRecord({
      kind: 'StatusChange',
      doc_number: 'X1',
      doc_country: 'FRA',
      change: 'extension',
      event: 'granted',
      date: '2025-01-01',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.field)).toEqual(['new_admit_until', 'admission_number']);
  });

  it('reads an arrival: port and channel required, and only the channels a carrier or checkpoint observes', () => {
    const r = parseFlatRecord({
      kind: 'Arrival',
      doc_number: 'X1',
      doc_country: 'FRA',
      date: '2025-01-10',
      port: 'JFK',
      channel: 'Sea',
    });
    expect(r).toMatchObject({
      ok: true,
      value: {
        kind: 'Arrival',
        date: '2025-01-10',
        port: 'JFK',
        channel: 'sea',
        carrier: null,
        flight: null,
      },
    });
    const bad = parseFlatRecord({
      kind: 'Arrival',
      doc_number: 'X1',
      doc_country: 'FRA',
      date: '2025-01-10',
      channel: 'self-report',
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.errors).toEqual([
        { field: 'port', reason: 'is required' },
        { field: 'channel', reason: '"self-report" is not one of air, sea, land' },
      ]);
  });

  it('maps ICAO issuing codes such as D to ISO alpha-3', () => {
    const r = parseFlatRecord({ ...admission, doc_country: 'D' });
    expect(r.ok && r.value.person.document?.issuingCountry).toBe('DEU');
  });

  it('never throws, whatever the cells hold', () => {
    const cell = fc.oneof(
      fc.string(),
      fc.constantFrom(
        'Admission',
        'Departure',
        'StatusChange',
        'Arrival',
        '2025-01-01',
        'air',
        'extension',
        'granted',
      ),
    );
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom(...Object.keys(admission), 'channel', 'change', 'event', 'new_admit_until'),
          cell,
        ),
        (rec) => {
          const r = parseFlatRecord(rec);
          expect(typeof r.ok).toBe('boolean');
          if (!r.ok) expect(r.errors.length).toBeGreaterThan(0);
        },
      ),
    );
  });
});
