import { describe, expect, it } from 'vitest';
import { parseFlatRecord } from '../core/observation/parse-flat-record.js';
import { asPartnerErrors, partnerEntryToDeparture, type PartnerEntry } from './partner-entry.js';

const entry: PartnerEntry = {
  partner: 'can',
  record_id: ' E-0001 ',
  family_names: 'PRYKLADNA',
  given_names: 'OLENA',
  birth_date: '1988-03-14',
  sex: 'F',
  nationality: 'UKR',
  doc_number: 'FK123456',
  doc_type: 'P',
  doc_country: 'UKR',
  doc_expiry: '2032-01-01',
  entry_port: '0427',
  entry_date: '2025-07-15',
  entry_time: '14:32',
};

describe('partnerEntryToDeparture', () => {
  it("makes the partner's entry our land departure, under ids and ports prefixed by the partner", () => {
    const { record, errors } = partnerEntryToDeparture(entry);
    expect(errors).toEqual([]);
    const parsed = parseFlatRecord(record);
    expect(parsed).toEqual({
      ok: true,
      value: {
        kind: 'Departure',
        person: {
          givenNames: 'OLENA',
          familyNames: 'PRYKLADNA',
          birthDate: '1988-03-14',
          sex: 'F',
          nationality: 'UKR',
          document: { number: 'FK123456', type: 'P', issuingCountry: 'UKR', expiry: '2032-01-01' },
        },
        admissionNumber: null,
        date: '2025-07-15',
        port: 'CAN:0427',
        channel: 'land',
        carrier: null,
        flight: null,
      },
    });
    expect(record.record_id).toBe('CAN:E-0001');
  });

  it('accepts an entry without a time, and a time with seconds', () => {
    expect(partnerEntryToDeparture({ ...entry, entry_time: '' }).errors).toEqual([]);
    expect(partnerEntryToDeparture({ ...entry, entry_time: '23:59:59' }).errors).toEqual([]);
  });

  it('names every partner column at fault', () => {
    const { errors } = partnerEntryToDeparture({
      ...entry,
      partner: 'CA',
      record_id: '',
      entry_port: 'Lacolle QC',
      entry_time: '25:10',
    });
    expect(errors).toEqual([
      { field: 'partner', reason: '"CA" is not an ISO 3166-1 alpha-3 country code' },
      {
        field: 'record_id',
        reason: "is required: the partner's id of the entry record (a correction is resent under it)",
      },
      {
        field: 'entry_port',
        reason: '"LACOLLE QC" is not a port code (letters, digits, . _ -; at most 32)',
      },
      {
        field: 'entry_time',
        reason: '"25:10" is not a time of day (HH:MM or HH:MM:SS, 24-hour, local time at the port)',
      },
    ]);
  });

  it('refuses a record id with control characters or longer than 64', () => {
    for (const id of ['E-\u0001', 'E'.repeat(65)])
      expect(partnerEntryToDeparture({ ...entry, record_id: id }).errors).toEqual([
        { field: 'record_id', reason: 'is not a record id (printable characters, at most 64)' },
      ]);
  });

  it('requires the partner code and the port of entry', () => {
    const { errors } = partnerEntryToDeparture({ ...entry, partner: undefined, entry_port: ' ' });
    expect(errors.map((e) => e.field)).toEqual(['partner', 'entry_port']);
  });

  it('leaves the biographic and date checks to the canonical validation, named by the partner columns', () => {
    const { record, errors } = partnerEntryToDeparture({
      ...entry,
      birth_date: '1988-02-30',
      entry_date: '2025-06-31',
    });
    expect(errors).toEqual([]);
    const parsed = parseFlatRecord(record);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(asPartnerErrors(parsed.errors)).toEqual([
      { field: 'birth_date', reason: 'day 30 out of range for 1988-02 in "1988-02-30"' },
      { field: 'entry_date', reason: 'day 31 out of range for 2025-06 in "2025-06-31"' },
    ]);
  });
});
