import { describe, expect, it } from 'vitest';
import { computeStays } from './compute-stays.js';
import { addDays } from './dates.js';
import {
  DEPARTURE_EVIDENCE_RULES,
  departureStrength,
  REPORT_LAPSE_DAYS,
  REPORT_WINDOW_DAYS,
} from './departure-evidence.js';
import type { StayInput } from './stay-input.js';
import { DEPARTURE_EVIDENCE_STATUSES } from './stay.js';
import {
  admission,
  departure,
  fuzzyDeparture,
  SCHENGEN,
  selfReport,
  statusChange,
  US,
} from './test-fixtures.js';

/** A B2 visitor admitted 2026-01-05, authorized until 2026-03-31 (the date on the record). */
const ADMITTED = admission('a1', '2026-01-05', { admitUntil: '2026-03-31' });
/** The date the person says they left. */
const REPORTED = '2026-03-02';

const only = (obs: StayInput[], asOf: string) => {
  const r = computeStays(obs, US, asOf);
  expect(r.stays).toHaveLength(1);
  return r.stays[0]!;
};

describe('departure evidence: one row of the product table each', () => {
  it('a boarded passenger on a departure manifest, matched exactly: confirmed, the stay ends', () => {
    const s = only([ADMITTED, departure('d1', '2026-03-02')], '2026-06-01');
    expect(s).toMatchObject({
      outcome: 'departed-on-time',
      departure: { observationId: 'd1', date: '2026-03-02', channel: 'air', inferred: false },
      departureEvidence: {
        status: 'confirmed',
        rule: 'departure.confirmed',
        observationIds: ['d1'],
        departureDate: '2026-03-02',
        reportedDate: null,
        contradictedBy: null,
      },
    });
  });

  it("a partner country's entry record (its entry is our exit), matched exactly: confirmed", () => {
    const s = only([ADMITTED, departure('d1', '2026-04-03', { channel: 'land' })], '2026-06-01');
    expect(s).toMatchObject({
      outcome: 'departed-late',
      daysOverstay: 3,
      departureEvidence: { status: 'confirmed', observationIds: ['d1'] },
    });
  });

  it('a removal is a confirmed departure', () => {
    const s = only([ADMITTED, departure('d1', '2026-05-01', { channel: 'removal' })], '2026-06-01');
    expect(s).toMatchObject({ outcome: 'departed-late', departureEvidence: { status: 'confirmed' } });
  });

  it('the same manifest matched only fuzzily: pending identity review, and the stay goes on as if it were absent', () => {
    const s = only([ADMITTED, fuzzyDeparture('d1', '2026-03-02')], '2026-05-01');
    expect(s).toMatchObject({
      outcome: 'suspected-in-country-overstay',
      daysOverstay: 31,
      authorizedUntil: '2026-03-31',
      rule: 'us.admit-until',
      departure: null,
      departureEvidence: {
        status: 'pending-identity-review',
        rule: 'departure.pending-identity-review',
        observationIds: ['d1'],
        departureDate: '2026-03-02',
        reportedDate: null,
        contradictedBy: null,
      },
      evidence: ['a1', 'd1'],
    });
    expect(s.explanation).toContain(
      'no confirmed departure as of 2026-05-01, 31 days after the period ended',
    );
    expect(s.explanation).toContain(
      'a departure record dated 2026-03-02 (d1) matches this person only by the linkage model, so it is not counted until a person confirms the identity',
    );
    expect(only([ADMITTED, fuzzyDeparture('d1', '2026-03-02')], '2026-03-10')).toMatchObject({
      outcome: 'within-period',
      departure: null,
      departureEvidence: { status: 'pending-identity-review' },
    });
  });

  it('a fuzzily matched partner-country entry record is pending too', () => {
    const s = only([ADMITTED, fuzzyDeparture('d1', '2026-03-02', { channel: 'land' })], '2026-05-01');
    expect(s).toMatchObject({
      outcome: 'suspected-in-country-overstay',
      departureEvidence: { status: 'pending-identity-review' },
    });
  });

  it('a later admission: inferred departure, citing the admission', () => {
    const r = computeStays([ADMITTED, admission('a2', '2026-03-20')], US, '2026-06-01');
    expect(r.stays[0]).toMatchObject({
      outcome: 'departed-on-time',
      departure: { observationId: 'a2', inferred: true },
      departureEvidence: {
        status: 'inferred',
        rule: 'us.inferred-departure',
        observationIds: ['a2'],
        departureDate: null,
        reportedDate: null,
      },
    });
    expect(r.stays[1]!.departureEvidence).toBeNull();
  });

  it('a self-report alone: departure reported, never confirmed by itself', () => {
    const s = only([ADMITTED, selfReport('r1', REPORTED)], '2026-03-20');
    expect(s).toMatchObject({
      outcome: 'within-period',
      departure: null,
      departureEvidence: {
        status: 'reported',
        rule: 'departure.reported',
        observationIds: ['r1'],
        departureDate: null,
        reportedDate: REPORTED,
        contradictedBy: null,
      },
      evidence: ['a1', 'r1'],
    });
    expect(s.explanation).toMatch(
      /^Admitted 2026-01-05 as B2, authorized until 2026-03-31, .*; no confirmed departure, and the period runs past 2026-03-20; a departure on 2026-03-02 \(r1\) was reported by the person; no carrier or border record confirms it yet, so it is not counted\.$/,
    );
  });

  it('a self-report after the period ended does not stop the overstay count', () => {
    const s = only([ADMITTED, selfReport('r1', '2026-04-10')], '2026-04-20');
    expect(s).toMatchObject({
      outcome: 'suspected-in-country-overstay',
      daysOverstay: 20,
      departure: null,
      departureEvidence: { status: 'reported', reportedDate: '2026-04-10' },
    });
  });

  it('a self-report and a manifest: confirmed, both cited; the stay ends on the manifest date', () => {
    const s = only([ADMITTED, selfReport('r1', REPORTED), departure('d1', '2026-03-03')], '2026-06-01');
    expect(s).toMatchObject({
      outcome: 'departed-on-time',
      departure: { observationId: 'd1', date: '2026-03-03', inferred: false },
      departureEvidence: {
        status: 'confirmed',
        rule: 'departure.confirmed',
        observationIds: ['d1', 'r1'],
        departureDate: '2026-03-03',
        reportedDate: REPORTED,
        contradictedBy: null,
      },
      evidence: ['a1', 'r1', 'd1'],
    });
    expect(s.explanation).toContain(
      'the departure the person reported for 2026-03-02 (r1) is confirmed by the departure record of 2026-03-03 (d1), within 7 days of it.',
    );
  });

  it("a self-report and a partner country's entry record: confirmed, both cited", () => {
    const s = only(
      [ADMITTED, selfReport('r1', REPORTED), departure('d1', REPORTED, { channel: 'land' })],
      '2026-06-01',
    );
    expect(s.departureEvidence).toMatchObject({ status: 'confirmed', observationIds: ['d1', 'r1'] });
  });

  it('a self-report and a fuzzy match confirm nothing: pending identity review, citing both', () => {
    const s = only([ADMITTED, selfReport('r1', REPORTED), fuzzyDeparture('d1', '2026-03-03')], '2026-05-01');
    expect(s).toMatchObject({
      outcome: 'suspected-in-country-overstay',
      departure: null,
      departureEvidence: {
        status: 'pending-identity-review',
        observationIds: ['d1', 'r1'],
        departureDate: '2026-03-03',
        reportedDate: REPORTED,
      },
    });
  });

  it('a self-report and a later admission: an inferred departure (the admission proves they were out)', () => {
    const r = computeStays(
      [ADMITTED, selfReport('r1', REPORTED), admission('a2', '2026-05-01')],
      US,
      '2026-06-01',
    );
    expect(r.stays[0]).toMatchObject({
      outcome: 'departed-date-unknown',
      departure: { observationId: 'a2', date: null, inferred: true },
      departureEvidence: { status: 'inferred', observationIds: ['a2'], reportedDate: null },
      evidence: ['a1', 'r1', 'a2'],
    });
    expect(r.stays[0]!.explanation).toContain(
      'the person reported a departure on 2026-03-02 (r1), which the admission on 2026-05-01 bears out but no departure record dates',
    );
  });

  it('in-country evidence after the reported date: the report is contradicted, and shown as such', () => {
    const s = only(
      [ADMITTED, selfReport('r1', REPORTED), statusChange('s1', 'extension', 'filed', '2026-03-20')],
      '2026-03-25',
    );
    expect(s).toMatchObject({
      outcome: 'within-period',
      departure: null,
      departureEvidence: {
        status: 'report-contradicted',
        rule: 'departure.report-contradicted',
        observationIds: ['r1', 's1'],
        departureDate: null,
        reportedDate: REPORTED,
        contradictedBy: 's1',
      },
    });
    expect(s.explanation).toContain(
      'the person reported a departure on 2026-03-02 (r1), but the extension of stay filed 2026-03-20 (s1) places them in the country more than 7 days after it, so the report is contradicted',
    );
  });

  it('a self-report with nothing else, 30 days after its date: still reported; 31 days: lapsed', () => {
    const obs = [ADMITTED, selfReport('r1', REPORTED)];
    expect(addDays(REPORTED, REPORT_LAPSE_DAYS)).toBe('2026-04-01');
    expect(only(obs, '2026-04-01')).toMatchObject({
      outcome: 'suspected-in-country-overstay',
      daysOverstay: 1,
      departureEvidence: { status: 'reported', reportedDate: REPORTED },
    });
    const lapsed = only(obs, '2026-04-02');
    expect(lapsed).toMatchObject({
      outcome: 'suspected-in-country-overstay',
      daysOverstay: 2,
      departure: null,
      departureEvidence: {
        status: 'report-lapsed',
        rule: 'departure.report-lapsed',
        observationIds: ['r1'],
        reportedDate: REPORTED,
        contradictedBy: null,
      },
    });
    expect(lapsed.explanation).toContain(
      'a departure on 2026-03-02 (r1) was reported by the person, but no carrier or border record has confirmed it in the 31 days since 2026-03-02, so the report has lapsed',
    );
  });
});

describe('departure evidence: corroboration window', () => {
  const withDepartureOn = (offset: number) =>
    only([ADMITTED, selfReport('r1', REPORTED), departure('d1', addDays(REPORTED, offset))], '2026-12-31');

  it(`a record ${REPORT_WINDOW_DAYS} days after or before the reported date corroborates the report`, () => {
    expect(REPORT_WINDOW_DAYS).toBe(7);
    for (const offset of [-7, -1, 0, 1, 7]) {
      expect(withDepartureOn(offset).departureEvidence, `offset ${offset}`).toMatchObject({
        status: 'confirmed',
        observationIds: ['d1', 'r1'],
        reportedDate: REPORTED,
      });
    }
  });

  it('a record 8 days after the reported date: the person was still here, the report is contradicted', () => {
    const s = withDepartureOn(8);
    expect(s).toMatchObject({
      outcome: 'departed-on-time',
      departure: { observationId: 'd1', date: '2026-03-10' },
      departureEvidence: {
        status: 'report-contradicted',
        observationIds: ['r1', 'd1'],
        departureDate: '2026-03-10',
        reportedDate: REPORTED,
        contradictedBy: 'd1',
      },
    });
    expect(s.explanation).toContain(
      'but a departure record dated 2026-03-10 (d1) places them in the country more than 7 days after it',
    );
  });

  it('a later departure contradicts the report but still decides the outcome: departed late', () => {
    const s = only([ADMITTED, selfReport('r1', REPORTED), departure('d1', '2026-04-20')], '2026-06-01');
    expect(s).toMatchObject({
      outcome: 'departed-late',
      daysOverstay: 20,
      departure: { observationId: 'd1', date: '2026-04-20' },
      departureEvidence: { status: 'report-contradicted', contradictedBy: 'd1' },
    });
  });

  it('a record 8 days before the reported date: confirmed by the record alone, the report changes nothing', () => {
    const s = withDepartureOn(-8);
    expect(s).toMatchObject({
      outcome: 'departed-on-time',
      departureEvidence: {
        status: 'confirmed',
        observationIds: ['d1'],
        departureDate: '2026-02-22',
        reportedDate: null,
      },
      evidence: ['a1', 'd1', 'r1'],
    });
    expect(s.explanation).toContain(
      'the person also reported a departure on 2026-03-02 (r1), more than 7 days after the departure record, which changes nothing',
    );
  });

  it('a self-report far from a confirmed departure never makes the stay unresolved (conflicting departures)', () => {
    const s = only([ADMITTED, departure('d1', '2026-02-01'), selfReport('r1', '2026-03-20')], '2026-06-01');
    expect(s).toMatchObject({ outcome: 'departed-on-time', rule: 'us.admit-until' });
  });
});

describe('departure evidence: contradiction', () => {
  it('a filing within the window after the report does not contradict it (filings are dated on receipt)', () => {
    const s = only(
      [ADMITTED, selfReport('r1', REPORTED), statusChange('s1', 'extension', 'filed', '2026-03-09')],
      '2026-03-25',
    );
    expect(s.departureEvidence).toMatchObject({ status: 'reported' });
  });

  it('a decision dated after the report does not contradict it: applications are decided after people leave', () => {
    const s = only(
      [
        ADMITTED,
        statusChange('s1', 'extension', 'filed', '2026-02-15'),
        selfReport('r1', REPORTED),
        statusChange('s2', 'extension', 'denied', '2026-03-20'),
        statusChange('s3', 'change-of-status', 'granted', '2026-03-21', { newAdmitUntil: '2026-09-30' }),
      ],
      '2026-03-25',
    );
    expect(s.departureEvidence).toMatchObject({ status: 'reported', contradictedBy: null });
  });

  it('a filing before the report does not contradict it', () => {
    const s = only(
      [ADMITTED, statusChange('s1', 'extension', 'filed', '2026-02-15'), selfReport('r1', REPORTED)],
      '2026-03-20',
    );
    expect(s.departureEvidence).toMatchObject({ status: 'reported' });
  });

  it('a contradicted report stays contradicted, never lapsed, and cites the earliest contradicting observation', () => {
    const s = only(
      [
        ADMITTED,
        selfReport('r1', REPORTED),
        statusChange('s1', 'extension', 'filed', '2026-03-25'),
        departure('d1', '2026-04-20'),
      ],
      '2026-12-31',
    );
    expect(s.departureEvidence).toMatchObject({
      status: 'report-contradicted',
      observationIds: ['r1', 's1'],
      contradictedBy: 's1',
      departureDate: null,
    });
  });

  it('a later admission is no contradiction; a filing before it, after the report, is', () => {
    const r = computeStays(
      [
        ADMITTED,
        selfReport('r1', REPORTED),
        statusChange('s1', 'extension', 'filed', '2026-03-20'),
        admission('a2', '2026-06-01'),
      ],
      US,
      '2026-07-01',
    );
    expect(r.stays[0]).toMatchObject({
      departure: { observationId: 'a2', inferred: true },
      departureEvidence: { status: 'report-contradicted', contradictedBy: 's1' },
    });
  });
});

describe('departure evidence: identity review', () => {
  it('a fuzzy departure that later gets an exact one: pending, then confirmed and the stay ends', () => {
    const before = [ADMITTED, fuzzyDeparture('d1', '2026-03-02')];
    expect(only(before, '2026-05-01')).toMatchObject({
      outcome: 'suspected-in-country-overstay',
      departureEvidence: { status: 'pending-identity-review' },
    });
    // A partner country's exact record of the same crossing arrives.
    const after = only([...before, departure('d2', '2026-03-02', { channel: 'land' })], '2026-05-01');
    expect(after).toMatchObject({
      outcome: 'departed-on-time',
      daysOverstay: null,
      departure: { observationId: 'd2', date: '2026-03-02', channel: 'land' },
      departureEvidence: { status: 'confirmed', observationIds: ['d2'] },
      evidence: ['a1', 'd1', 'd2'],
    });
    expect(after.explanation).toContain('a departure record dated 2026-03-02 (d1) matches this person only');
    // Or a reviewer confirms the match: the store passes the record as exact.
    const reviewed = only([ADMITTED, departure('d1', '2026-03-02')], '2026-05-01');
    expect(reviewed).toMatchObject({
      outcome: 'departed-on-time',
      departureEvidence: { status: 'confirmed' },
    });
  });

  it('a fuzzy departure next to a later admission: the inferred departure ends the stay, the match waits', () => {
    const r = computeStays(
      [ADMITTED, fuzzyDeparture('d1', '2026-04-10'), admission('a2', '2026-05-01')],
      US,
      '2026-06-01',
    );
    expect(r.stays[0]).toMatchObject({
      outcome: 'departed-date-unknown',
      daysOverstay: null,
      departureEvidence: { status: 'inferred', observationIds: ['a2'] },
      evidence: ['a1', 'd1', 'a2'],
    });
    expect(r.stays[0]!.explanation).toContain('matches this person only by the linkage model');
  });

  it('fuzzy departures never conflict with a confirmed one', () => {
    const s = only(
      [ADMITTED, departure('d1', '2026-03-02'), fuzzyDeparture('d2', '2026-05-20')],
      '2026-06-01',
    );
    expect(s).toMatchObject({
      outcome: 'departed-on-time',
      departureEvidence: { status: 'confirmed', observationIds: ['d1'] },
    });
  });
});

describe('departure evidence: placement', () => {
  it('a fuzzy or self-reported departure before any admission is kept as unmatched', () => {
    const r = computeStays(
      [fuzzyDeparture('d0', '2025-12-01'), selfReport('r0', '2025-12-02'), ADMITTED],
      US,
      '2026-03-01',
    );
    expect(r.unmatchedDepartureIds).toEqual(['d0', 'r0']);
    expect(r.stays[0]!.departureEvidence).toBeNull();
  });

  it('a self-report on the day of a re-admission belongs to the earlier stay (departure before admission)', () => {
    const r = computeStays(
      [ADMITTED, selfReport('r1', '2026-03-10'), admission('a2', '2026-03-10')],
      US,
      '2026-03-20',
    );
    expect(r.stays.map((s) => [s.admissionId, s.evidence])).toEqual([
      ['a1', ['a1', 'r1', 'a2']],
      ['a2', ['a2']],
    ]);
  });

  it('the admission number on a self-report decides which stay it belongs to', () => {
    const obs = [
      admission('a1', '2026-01-05', { admissionNumber: 'N1', admitUntil: '2026-03-31' }),
      admission('a2', '2026-03-10', { admissionNumber: 'N2', admitUntil: '2026-06-30' }),
    ];
    // By date, a departure on the day of a re-admission closes the earlier stay...
    const byDate = computeStays([...obs, selfReport('r1', '2026-03-10')], US, '2026-03-20');
    expect(byDate.stays.map((s) => s.departureEvidence?.status ?? null)).toEqual(['inferred', null]);
    expect(byDate.stays[0]!.evidence).toContain('r1');
    // ...but one carrying the new admission's number is an entry and exit on one day.
    const byNumber = computeStays(
      [...obs, selfReport('r1', '2026-03-10', { admissionNumber: 'N2' })],
      US,
      '2026-03-20',
    );
    expect(byNumber.stays.map((s) => [s.admissionId, s.evidence])).toEqual([
      ['a1', ['a1', 'a2']],
      ['a2', ['a2', 'r1']],
    ]);
    expect(byNumber.stays[1]).toMatchObject({
      outcome: 'within-period',
      departureEvidence: { status: 'reported' },
    });
  });

  it('Schengen: a self-report does not end an earlier trip for the 90/180 count (only its entry day counts)', () => {
    const withReport = computeStays(
      [admission('a1', '2025-01-01'), selfReport('r1', '2025-01-10'), admission('a2', '2025-02-01')],
      SCHENGEN,
      '2025-03-01',
    );
    const without = computeStays(
      [admission('a1', '2025-01-01'), admission('a2', '2025-02-01')],
      SCHENGEN,
      '2025-03-01',
    );
    expect(withReport.stays[1]!.authorizedUntil).toBe(without.stays[1]!.authorizedUntil);
    expect(withReport.stays[0]!.departureEvidence).toMatchObject({
      status: 'inferred',
      rule: 'schengen.inferred-departure',
    });
  });
});

describe('departure evidence: vocabulary', () => {
  it('classifies departures by channel and identity', () => {
    expect(departureStrength({ channel: 'air' })).toBe('confirming');
    expect(departureStrength({ channel: 'land', identity: 'exact' })).toBe('confirming');
    expect(departureStrength({ channel: 'sea', identity: 'fuzzy' })).toBe('fuzzy');
    expect(departureStrength({ channel: 'self-report' })).toBe('report');
    expect(departureStrength({ channel: 'self-report', identity: 'fuzzy' })).toBe('report');
  });

  it('has a rule id in the rule-pack style for every status but inferred (which is the pack’s)', () => {
    expect(DEPARTURE_EVIDENCE_STATUSES).toHaveLength(6);
    for (const rule of Object.values(DEPARTURE_EVIDENCE_RULES)) {
      expect(rule).toMatch(/^departure\.[a-z]+(?:-[a-z]+)*$/);
    }
  });
});
