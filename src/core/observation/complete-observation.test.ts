import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FlatRecord } from './flat-columns.js';
import { compactObservationJson, completeObservation } from './complete-observation.js';
import { parseFlatRecord } from './parse-flat-record.js';

describe('compact storage of observations', () => {
  it('round-trips every valid observation exactly', () => {
    const opt = (arb: fc.Arbitrary<string>) => fc.option(arb, { nil: undefined });
    const date = fc.constantFrom('2025-01-02', '1980-07-31', '');
    const rec = fc.record({
      kind: fc.constantFrom('Admission', 'Departure', 'StatusChange'),
      given_names: opt(fc.constantFrom('Ana', 'FNU', '')),
      family_names: opt(fc.constantFrom('Ruiz', '')),
      birth_date: opt(date),
      sex: opt(fc.constantFrom('F', 'M', '')),
      nationality: opt(fc.constantFrom('MEX', '')),
      doc_number: opt(fc.constantFrom('X1234', '')),
      doc_country: fc.constant('MEX'),
      doc_expiry: opt(date),
      admission_number: fc.constant('90000000001'),
      date: fc.constant('2025-03-03'),
      port: fc.constant('JFK'),
      class_of_admission: fc.constant('B2'),
      admit_until: opt(date),
      duration_of_status: opt(fc.constantFrom('true', 'false')),
      program_end_date: opt(date),
      channel: fc.constantFrom('air', 'land'),
      carrier: opt(fc.constantFrom('AA', '')),
      change: fc.constantFrom('extension', 'adjustment-to-permanent-residence'),
      event: fc.constantFrom('filed', 'denied'),
    });
    fc.assert(
      fc.property(rec, (r) => {
        const parsed = parseFlatRecord(r as FlatRecord);
        if (!parsed.ok) return;
        const o = { ...parsed.value, provenance: { source: 's', sourceRecordId: 'r', rawRecordId: '1' } };
        const stored = JSON.parse(compactObservationJson(o)) as Record<string, unknown>;
        expect(completeObservation(stored)).toEqual(o);
      }),
    );
  });
});
