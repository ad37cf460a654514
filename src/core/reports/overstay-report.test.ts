import { describe, expect, it } from 'vitest';
import { classifyForReport, overstayReport, type ReportStay } from './overstay-report.js';

const FY = { from: '2024-10-01', to: '2025-09-30', asOf: '2026-01-01' };
const stay = (s: Partial<ReportStay>): ReportStay => ({
  nationality: 'FRA',
  classOfAdmission: 'B2',
  authorizedUntil: '2025-05-01',
  departedOn: '2025-04-20',
  departureInferred: false,
  outcome: 'departed-on-time',
  ...s,
});

describe('classifyForReport', () => {
  it('counts only authorized periods that ended inside the period and before the as-of day', () => {
    expect(classifyForReport(stay({ authorizedUntil: '2024-09-30' }), FY)).toBeNull();
    expect(classifyForReport(stay({ authorizedUntil: '2025-10-01' }), FY)).toBeNull();
    expect(
      classifyForReport(stay({ authorizedUntil: null, outcome: 'duration-of-status-open' }), FY),
    ).toBeNull();
    expect(
      classifyForReport(stay({ authorizedUntil: '2025-09-30' }), { ...FY, asOf: '2025-09-30' }),
    ).toBeNull();
  });

  it('tells on-time, out-of-country and in-country overstays apart, as of the report day', () => {
    expect(classifyForReport(stay({ departedOn: '2025-05-01' }), FY)).toBe('departed-on-time');
    expect(classifyForReport(stay({ departedOn: '2025-05-02', outcome: 'departed-late' }), FY)).toBe(
      'out-of-country-overstay',
    );
    expect(classifyForReport(stay({ departedOn: null, outcome: 'suspected-in-country-overstay' }), FY)).toBe(
      'suspected-in-country-overstay',
    );
    // A departure recorded after the as-of day was not yet known then.
    expect(classifyForReport(stay({ departedOn: '2026-02-01', outcome: 'departed-late' }), FY)).toBe(
      'suspected-in-country-overstay',
    );
  });

  it('never counts an inferred departure without a date as an overstay', () => {
    expect(
      classifyForReport(
        stay({ departedOn: null, departureInferred: true, outcome: 'departed-date-unknown' }),
        FY,
      ),
    ).toBe('departed-date-unknown');
    expect(
      classifyForReport(stay({ departedOn: null, departureInferred: true, outcome: 'departed-on-time' }), FY),
    ).toBe('departed-on-time');
    expect(classifyForReport(stay({ outcome: 'unresolved' }), FY)).toBe('unresolved');
  });
});

describe('overstayReport', () => {
  it('totals rows by nationality with rates in percent', () => {
    const r = overstayReport(
      [
        stay({}),
        stay({ departedOn: '2025-06-01', outcome: 'departed-late' }),
        stay({ departedOn: null, outcome: 'suspected-in-country-overstay' }),
        stay({ nationality: 'JPN' }),
        stay({ nationality: 'JPN', authorizedUntil: '2023-01-01' }),
      ],
      { ...FY, by: 'nationality' },
    );
    expect(
      r.rows.map((x) => [
        x.group,
        x.expectedDepartures,
        x.outOfCountryOverstays,
        x.suspectedInCountryOverstays,
        x.totalOverstayRate,
      ]),
    ).toEqual([
      ['FRA', 3, 1, 1, 66.67],
      ['JPN', 1, 0, 0, 0],
    ]);
    expect(r.total).toMatchObject({
      group: 'Total',
      expectedDepartures: 4,
      totalOverstays: 2,
      totalOverstayRate: 50,
      suspectedInCountryOverstayRate: 25,
    });
  });

  it('groups by class of admission', () => {
    const r = overstayReport([stay({ classOfAdmission: 'WT' }), stay({ classOfAdmission: 'F1' })], {
      ...FY,
      by: 'class',
    });
    expect(r.rows.map((x) => x.group)).toEqual(['F1', 'WT']);
  });
});
