import { describe, expect, it } from 'vitest';
import { parseFlatRecord } from '../observation/parse-flat-record.js';
import type { Result } from '../result/result.js';
import { parseMrz, type MrzDocument } from './parse-mrz.js';
import {
  ENTRY_SCAN_NOTE,
  readScan,
  readTimestamp,
  scanRecordId,
  scanToFlatRecord,
  validateScanRecord,
  type ScanOutcome,
  type ScanRecord,
} from './scan-record.js';
import { TD1_SPECIMEN, TD3_SPECIMEN, td3, withChar } from './test-fixtures.js';

const exitScan: ScanRecord = {
  lines: [...TD3_SPECIMEN],
  readAt: '2025-07-01T14:05:09Z',
  location: 'JFK',
  direction: 'exit',
  mode: 'air',
  device: 'GATE-B12',
};

function doc(lines: readonly string[], referenceDate = '2025-07-01'): MrzDocument {
  const r = parseMrz(lines, { referenceDate });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}
function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected a value, got ${JSON.stringify(r.errors)}`);
  return r.value;
}

describe('validateScanRecord', () => {
  it('accepts a complete scan, trimming and upper-casing the location', () => {
    expect(value(validateScanRecord({ ...exitScan, location: ' jfk ', direction: 'EXIT' }))).toEqual(
      exitScan,
    );
    const { device: _d, ...noDevice } = exitScan;
    expect(value(validateScanRecord(noDevice))).toEqual(noDevice);
    expect(value(validateScanRecord({ ...exitScan, lines: TD3_SPECIMEN.join('\n') })).lines).toEqual([
      ...TD3_SPECIMEN,
    ]);
  });

  it('names every field at fault', () => {
    const r = validateScanRecord({
      lines: [],
      readAt: '2025-07-01 14:05',
      direction: 'out',
      mode: 'bus',
      extra: 1,
    });
    expect(r).toEqual({
      ok: false,
      errors: [
        {
          field: 'extra',
          reason: 'is not a scan record field (lines, readAt, location, direction, mode, device)',
        },
        { field: 'lines', reason: 'a zone has 1 to 3 lines, not 0' },
        {
          field: 'readAt',
          reason:
            '"2025-07-01 14:05" is not an ISO 8601 timestamp with a time zone (e.g. 2025-07-01T14:05:09Z)',
        },
        { field: 'location', reason: 'is required: the port code or checkpoint id' },
        { field: 'direction', reason: '"out" is not one of entry, exit' },
        { field: 'mode', reason: '"bus" is not one of air, sea, land' },
      ],
    });
  });

  it('refuses missing and invalid locations', () => {
    const fields = (input: object) => {
      const r = validateScanRecord({ ...exitScan, ...input });
      return r.ok ? [] : r.errors;
    };
    expect(fields({ location: undefined })).toEqual([
      { field: 'location', reason: 'is required: the port code or checkpoint id' },
    ]);
    expect(fields({ location: '   ' })).toEqual([
      { field: 'location', reason: 'is required: the port code or checkpoint id' },
    ]);
    expect(fields({ location: 'J FK' })).toEqual([
      {
        field: 'location',
        reason: '"J FK" is not a port code or checkpoint id (letters, digits, . _ -; at most 32)',
      },
    ]);
    expect(fields({ location: 'X'.repeat(33) })[0]?.field).toBe('location');
    expect(fields({ location: 42 })).toEqual([
      { field: 'location', reason: '42 is not a port code or checkpoint id' },
    ]);
    expect(fields({ location: 'SYS-PED_07.A' })).toEqual([]);
  });

  it('refuses missing and invalid directions, modes, timestamps and devices', () => {
    const fields = (input: object) => {
      const r = validateScanRecord({ ...exitScan, ...input });
      return r.ok ? [] : r.errors;
    };
    expect(fields({ direction: undefined })).toEqual([
      { field: 'direction', reason: 'is required (one of entry, exit)' },
    ]);
    expect(fields({ mode: 'self-report' })).toEqual([
      { field: 'mode', reason: '"self-report" is not one of air, sea, land' },
    ]);
    expect(fields({ readAt: undefined })).toEqual([
      { field: 'readAt', reason: 'is required: when the document was read (ISO 8601 with a time zone)' },
    ]);
    expect(fields({ readAt: '2025-07-01T14:05:09' })[0]?.field).toBe('readAt'); // no time zone
    expect(fields({ readAt: '2025-02-30T14:05:09Z' })).toEqual([
      { field: 'readAt', reason: 'day 30 out of range in "2025-02-30T14:05:09Z"' },
    ]);
    expect(fields({ readAt: '2025-07-01T24:00:00Z' })).toEqual([
      { field: 'readAt', reason: 'time out of range in "2025-07-01T24:00:00Z"' },
    ]);
    expect(fields({ readAt: 1751378709000 })).toEqual([
      { field: 'readAt', reason: '1751378709000 is not a timestamp string' },
    ]);
    expect(fields({ device: '' })[0]?.field).toBe('device');
    expect(fields({ device: null })).toEqual([]);
  });

  it('refuses what is not an object', () => {
    for (const junk of [null, 'scan', [exitScan], 3])
      expect(validateScanRecord(junk)).toEqual({
        ok: false,
        errors: [{ field: '*', reason: 'a scan record must be an object' }],
      });
  });
});

describe('readTimestamp', () => {
  it('reads offsets and fractions into a UTC instant', () => {
    expect(readTimestamp('2025-07-01T14:05:09Z')).toEqual({ instant: '2025-07-01T14:05:09.000Z' });
    expect(readTimestamp('2025-07-01T22:30-04:00')).toEqual({ instant: '2025-07-02T02:30:00.000Z' });
    expect(readTimestamp('2025-07-01T01:00:00.123456+05:30')).toEqual({
      instant: '2025-06-30T19:30:00.123Z',
    });
  });
});

describe('scanToFlatRecord', () => {
  it('turns an exit scan into a Departure flat record that parseFlatRecord accepts', () => {
    const out = value(scanToFlatRecord(exitScan, doc(TD3_SPECIMEN)));
    expect(out.kind).toBe('departure');
    const record = (out as Extract<ScanOutcome, { kind: 'departure' }>).record;
    expect(Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined))).toEqual({
      record_id: 'mrz:JFK:2025-07-01T14:05:09.000Z:L898902C3',
      kind: 'Departure',
      given_names: 'ANNA MARIA',
      family_names: 'ERIKSSON',
      birth_date: '1974-08-12',
      sex: 'F',
      nationality: 'UTO',
      doc_number: 'L898902C3',
      doc_type: 'P',
      doc_country: 'UTO',
      doc_expiry: '2012-04-15',
      date: '2025-07-01',
      port: 'JFK',
      channel: 'air',
    });
    expect(parseFlatRecord(record)).toEqual({
      ok: true,
      value: {
        kind: 'Departure',
        person: {
          givenNames: 'ANNA MARIA',
          familyNames: 'ERIKSSON',
          birthDate: '1974-08-12',
          sex: 'F',
          nationality: 'UTO',
          document: { number: 'L898902C3', type: 'P', issuingCountry: 'UTO', expiry: '2012-04-15' },
        },
        admissionNumber: null,
        date: '2025-07-01',
        port: 'JFK',
        channel: 'air',
        carrier: null,
        flight: null,
      },
    });
  });

  it('gives parseFlatRecord a TD1 card read at a land border, unknown birth date and X sex included', () => {
    const zone = withChar(TD1_SPECIMEN, 1, 7, '<');
    const scan: ScanRecord = { ...exitScan, lines: zone, location: '2402', mode: 'land' };
    const out = value(scanToFlatRecord(scan, doc(zone)));
    const parsed = parseFlatRecord((out as Extract<ScanOutcome, { kind: 'departure' }>).record);
    expect(parsed).toMatchObject({
      ok: true,
      value: { kind: 'Departure', port: '2402', channel: 'land', person: { sex: 'X' } },
    });
    const unknownBirth = td3({ birth: '<<<<<<', state: 'D<<', nationality: 'D<<' });
    const out2 = value(scanToFlatRecord({ ...exitScan, lines: unknownBirth }, doc(unknownBirth)));
    const parsed2 = parseFlatRecord((out2 as Extract<ScanOutcome, { kind: 'departure' }>).record);
    expect(parsed2).toMatchObject({
      ok: true,
      value: { person: { birthDate: null, nationality: 'DEU', document: { issuingCountry: 'DEU' } } },
    });
  });

  it('dates the departure by the UTC day of readAt and keeps the id stable across offsets', () => {
    const late = { ...exitScan, readAt: '2025-07-01T22:30:00-04:00' };
    const sameInstant = { ...exitScan, readAt: '2025-07-02T02:30:00Z' };
    const a = value(scanToFlatRecord(late, doc(TD3_SPECIMEN)));
    const b = value(scanToFlatRecord(sameInstant, doc(TD3_SPECIMEN)));
    expect(a).toEqual(b);
    expect(a.record?.date).toBe('2025-07-02');
    expect(a.record?.record_id).toBe(scanRecordId('JFK', '2025-07-02T02:30:00.000Z', 'L898902C3'));
    const elsewhere = value(scanToFlatRecord({ ...late, location: 'EWR' }, doc(TD3_SPECIMEN)));
    expect(elsewhere.record?.record_id).not.toBe(a.record?.record_id);
  });

  it('turns an entry scan into arrival evidence and no flat record, and says so', () => {
    const out = value(scanToFlatRecord({ ...exitScan, direction: 'entry' }, doc(TD3_SPECIMEN)));
    expect(out).toEqual({
      kind: 'arrival-evidence',
      record: null,
      note: ENTRY_SCAN_NOTE,
      evidence: {
        kind: 'ArrivalEvidence',
        recordId: 'mrz:JFK:2025-07-01T14:05:09.000Z:L898902C3',
        date: '2025-07-01',
        readAt: '2025-07-01T14:05:09.000Z',
        location: 'JFK',
        mode: 'air',
        device: 'GATE-B12',
        person: {
          givenNames: 'ANNA MARIA',
          familyNames: 'ERIKSSON',
          birthDate: '1974-08-12',
          sex: 'F',
          nationality: 'UTO',
          document: { number: 'L898902C3', type: 'P', issuingCountry: 'UTO', expiry: '2012-04-15' },
        },
      },
    });
    expect(ENTRY_SCAN_NOTE).toMatch(/no flat record/);
  });

  it('refuses a document not read from the scan lines, and an invalid scan', () => {
    expect(scanToFlatRecord({ ...exitScan, lines: [...TD1_SPECIMEN] }, doc(TD3_SPECIMEN))).toEqual({
      ok: false,
      errors: [{ field: 'lines', reason: 'the document was not read from these lines' }],
    });
    expect(scanToFlatRecord({ ...exitScan, readAt: 'yesterday' }, doc(TD3_SPECIMEN)).ok).toBe(false);
  });
});

describe('readScan', () => {
  it('validates, reads the zone against the day read, and builds the outcome', () => {
    const r = value(readScan(exitScan));
    expect(r.document.documentNumber).toBe('L898902C3');
    expect(r.outcome.kind).toBe('departure');
    // Two-digit years resolve against the day of the scan: born "30" read in 2029 is 1930, in 2031 2030.
    const zone = td3({ birth: '300101' });
    expect(
      value(readScan({ ...exitScan, lines: zone, readAt: '2029-01-01T00:00:00Z' })).document.birthDate,
    ).toBe('1930-01-01');
    expect(
      value(readScan({ ...exitScan, lines: zone, readAt: '2031-01-01T00:00:00Z' })).document.birthDate,
    ).toBe('2030-01-01');
  });

  it('reports the errors of the record and of the zone together', () => {
    const r = readScan({ ...exitScan, location: '', lines: withChar(TD3_SPECIMEN, 1, 19, '3') });
    expect(r).toEqual({
      ok: false,
      errors: [
        { field: 'location', reason: 'is required: the port code or checkpoint id' },
        { field: 'birth_date', reason: 'check digit 3 does not match 2' },
        { field: 'composite_check_digit', reason: 'check digit 0 does not match 3' },
      ],
    });
  });
});
