import { describe, expect, it } from 'vitest';
import type { StoredObservation } from '../observation/observation.js';
import { computeStays } from './compute-stays.js';
import { addDays } from './dates.js';
import type { ArrivalInput } from './stay-input.js';
import { admission, arrival, departure, statusChange, US } from './test-fixtures.js';

const run = (obs: StoredObservation[], asOf: string) => computeStays(obs, US, asOf);
const only = (obs: StoredObservation[], asOf: string) => {
  const r = run(obs, asOf);
  expect(r.stays).toHaveLength(1);
  return r.stays[0]!;
};

describe('computeStays, US: period of admission', () => {
  it('Visa Waiver: admitted 2025-01-01, authorized until 2025-04-01 (admission + 90 days), left 3 days late', () => {
    const s = only(
      [admission('a1', '2025-01-01', { classOfAdmission: 'WT' }), departure('d1', '2025-04-04')],
      '2025-06-01',
    );
    expect(s).toMatchObject({
      outcome: 'departed-late',
      authorizedUntil: '2025-04-01',
      daysOverstay: 3,
      rule: 'us.visa-waiver-90',
      departure: { observationId: 'd1', date: '2025-04-04', channel: 'air', inferred: false },
      evidence: ['a1', 'd1'],
    });
    expect(s.explanation).toContain('2025-04-01');
    expect(s.explanation).toContain('8 CFR 217.2');
    expect(s.explanation).toContain('3 days after the period ended');
  });

  it('Visa Waiver: leaving on the admit-until day is on time; the date on the record wins over the 90 days', () => {
    expect(
      only(
        [admission('a1', '2025-01-01', { classOfAdmission: 'WB' }), departure('d1', '2025-04-01')],
        '2025-06-01',
      ),
    ).toMatchObject({ outcome: 'departed-on-time', authorizedUntil: '2025-04-01', daysOverstay: null });
    expect(
      only(
        [
          admission('a1', '2025-01-01', { classOfAdmission: 'WT', admitUntil: '2025-02-15' }),
          departure('d1', '2025-02-20'),
        ],
        '2025-06-01',
      ),
    ).toMatchObject({ outcome: 'departed-late', authorizedUntil: '2025-02-15', daysOverstay: 5 });
  });

  it('B2 visitor who left before the admit-until date departed on time', () => {
    const s = only(
      [
        admission('a1', '2025-03-01', { admitUntil: '2025-08-31', port: 'MIA' }),
        departure('d1', '2025-08-31', { channel: 'sea' }),
      ],
      '2025-12-31',
    );
    expect(s).toMatchObject({
      outcome: 'departed-on-time',
      authorizedUntil: '2025-08-31',
      daysOverstay: null,
      rule: 'us.admit-until',
      port: 'MIA',
      nationality: 'GBR',
      classOfAdmission: 'B2',
    });
    expect(s.explanation).toMatch(
      /^Admitted 2025-03-01 as B2, authorized until 2025-08-31.*departed 2025-08-31 by sea, within the period\.$/,
    );
  });

  it('no departure: within the period until the admit-until date, a suspected in-country overstay after', () => {
    const obs = [admission('a1', '2025-03-01', { admitUntil: '2025-08-31' })];
    expect(only(obs, '2025-08-31')).toMatchObject({
      outcome: 'within-period',
      daysOverstay: null,
      departure: null,
    });
    const s = only(obs, '2025-09-10');
    expect(s).toMatchObject({
      outcome: 'suspected-in-country-overstay',
      authorizedUntil: '2025-08-31',
      daysOverstay: 10,
    });
    expect(s.explanation).toContain('no departure recorded as of 2025-09-10, 10 days after the period ended');
  });

  it('matches class codes without case or punctuation, and uses the default rule for unknown classes', () => {
    expect(
      only(
        [admission('a1', '2025-01-01', { classOfAdmission: 'h-1b', admitUntil: '2027-12-31' })],
        '2025-06-01',
      ),
    ).toMatchObject({
      outcome: 'within-period',
      authorizedUntil: '2027-12-31',
      rule: 'us.admit-until',
      classOfAdmission: 'h-1b',
    });
    expect(
      only(
        [admission('a1', '2025-01-01', { classOfAdmission: 'P1', admitUntil: '2025-03-01' })],
        '2025-06-01',
      ),
    ).toMatchObject({
      outcome: 'suspected-in-country-overstay',
      daysOverstay: 92,
    });
  });

  it('an admit-until class with no date on the record is unresolved, never guessed', () => {
    const s = only([admission('a1', '2025-01-01', { classOfAdmission: 'B1' })], '2025-06-01');
    expect(s).toMatchObject({
      outcome: 'unresolved',
      rule: 'unresolved.no-authorized-period',
      daysOverstay: null,
    });
  });
});

describe('computeStays, US: duration of status', () => {
  const f1 = (end: string | null) =>
    admission('a1', '2024-08-20', { classOfAdmission: 'F1', durationOfStatus: true, programEndDate: end });

  it('F-1 with a programme end: authorized until the end + 60 days grace', () => {
    const s = only([f1('2025-05-15')], '2025-07-20');
    expect(s).toMatchObject({
      outcome: 'suspected-in-country-overstay',
      authorizedUntil: '2025-07-14',
      daysOverstay: 6,
      rule: 'us.duration-of-status',
    });
    expect(s.explanation).toContain('8 CFR 214.2(f)(5)');
    expect(only([f1('2025-05-15')], '2025-07-14').outcome).toBe('within-period');
  });

  it('J-1 and M-1 have 30 days of grace', () => {
    for (const cls of ['J1', 'M1']) {
      const s = only(
        [
          admission('a1', '2024-08-20', {
            classOfAdmission: cls,
            durationOfStatus: true,
            programEndDate: '2025-05-31',
          }),
        ],
        '2025-12-01',
      );
      expect(s.authorizedUntil, cls).toBe('2025-06-30');
    }
  });

  it('F-1 without a programme end: the period is open; a departure is on time', () => {
    expect(only([f1(null)], '2030-01-01')).toMatchObject({
      outcome: 'duration-of-status-open',
      authorizedUntil: null,
      daysOverstay: null,
    });
    expect(only([f1(null), departure('d1', '2026-06-01')], '2030-01-01')).toMatchObject({
      outcome: 'departed-on-time',
      authorizedUntil: null,
      departure: { date: '2026-06-01' },
    });
  });

  it('a record marked D/S in a class without a D/S rule is duration of status, not unresolved', () => {
    expect(
      only([admission('a1', '2024-01-01', { classOfAdmission: 'A1', durationOfStatus: true })], '2030-01-01'),
    ).toMatchObject({
      outcome: 'duration-of-status-open',
      rule: 'us.duration-of-status',
    });
  });
});

describe('computeStays, US: extension and change of status (8 CFR 214.1(c)(4), 248.1(b))', () => {
  const b2 = admission('a1', '2025-01-01', { admitUntil: '2025-06-30' });
  const filed = statusChange('s1', 'extension', 'filed', '2025-06-15');

  it('a timely extension pending past the period stops the clock', () => {
    const s = only([b2, filed], '2025-08-01');
    expect(s).toMatchObject({
      outcome: 'extension-pending',
      authorizedUntil: null,
      daysOverstay: null,
      rule: 'us.extension-pending',
      evidence: ['a1', 's1'],
    });
    expect(s.explanation).toContain('8 CFR 214.1(c)(4)');
    expect(only([b2, filed], '2025-06-20')).toMatchObject({
      outcome: 'within-period',
      authorizedUntil: '2025-06-30',
    });
  });

  it('denied after a timely filing: the overstay counts from the day after the denial', () => {
    const denied = statusChange('s2', 'extension', 'denied', '2025-07-20');
    const s = only([b2, filed, denied], '2025-08-01');
    expect(s).toMatchObject({
      outcome: 'suspected-in-country-overstay',
      authorizedUntil: '2025-07-20',
      daysOverstay: 12,
      rule: 'us.extension-denied',
    });
    expect(s.explanation).toContain('denied 2025-07-20');
    expect(only([b2, filed, denied, departure('d1', '2025-07-25')], '2025-08-01')).toMatchObject({
      outcome: 'departed-late',
      daysOverstay: 5,
    });
    // Denied before the period ended: the period is not shortened.
    const early = statusChange('s2', 'extension', 'denied', '2025-06-20');
    expect(only([b2, filed, early], '2025-07-05')).toMatchObject({
      authorizedUntil: '2025-06-30',
      daysOverstay: 5,
    });
  });

  it('granted: the new admit-until date', () => {
    const granted = statusChange('s2', 'extension', 'granted', '2025-07-10', { newAdmitUntil: '2025-12-31' });
    expect(only([b2, filed, granted], '2025-08-01')).toMatchObject({
      outcome: 'within-period',
      authorizedUntil: '2025-12-31',
      rule: 'us.extension-granted',
    });
    expect(only([b2, filed, granted], '2026-01-05')).toMatchObject({
      outcome: 'suspected-in-country-overstay',
      daysOverstay: 5,
    });
  });

  it('a late filing stops nothing; if it is granted anyway, the new date is taken and said so', () => {
    const late = statusChange('s1', 'extension', 'filed', '2025-07-05');
    const s = only([b2, late], '2025-08-01');
    expect(s).toMatchObject({
      outcome: 'suspected-in-country-overstay',
      daysOverstay: 32,
      rule: 'us.late-filing',
    });
    expect(s.explanation).toContain('after the period ended on 2025-06-30');
    const denied = statusChange('s2', 'extension', 'denied', '2025-07-20');
    expect(only([b2, late, denied], '2025-08-01')).toMatchObject({
      daysOverstay: 32,
      rule: 'us.late-filing',
    });
    const granted = statusChange('s2', 'extension', 'granted', '2025-07-20', { newAdmitUntil: '2025-12-31' });
    const g = only([b2, late, granted], '2025-08-01');
    expect(g).toMatchObject({
      outcome: 'within-period',
      authorizedUntil: '2025-12-31',
      rule: 'us.extension-granted',
    });
    expect(g.explanation).toContain('despite the late filing');
  });

  it('a person who left while a timely filing was pending left on time', () => {
    expect(only([b2, filed, departure('d1', '2025-07-15')], '2025-08-01')).toMatchObject({
      outcome: 'departed-on-time',
      rule: 'us.extension-pending',
      authorizedUntil: null,
    });
  });

  it('change of status granted: the new date; the stay keeps the class it was admitted in', () => {
    const cos = [
      statusChange('s1', 'change-of-status', 'filed', '2025-05-01'),
      statusChange('s2', 'change-of-status', 'granted', '2025-06-10', {
        newAdmitUntil: '2028-09-30',
        newClassOfAdmission: 'H1B',
      }),
    ];
    const s = only([b2, ...cos], '2026-01-01');
    expect(s).toMatchObject({
      classOfAdmission: 'B2',
      outcome: 'within-period',
      authorizedUntil: '2028-09-30',
      rule: 'us.change-of-status-granted',
    });
    expect(s.explanation).toContain('class now H1B');
  });

  it('change of status to F-1 without a date: duration of status', () => {
    const s = only(
      [
        b2,
        statusChange('s1', 'change-of-status', 'filed', '2025-05-01'),
        statusChange('s2', 'change-of-status', 'granted', '2025-06-10', { newClassOfAdmission: 'F1' }),
      ],
      '2026-01-01',
    );
    expect(s).toMatchObject({ outcome: 'duration-of-status-open', authorizedUntil: null });
  });

  it('adjustment of status granted: status changed, no departure expected', () => {
    const s = only(
      [
        b2,
        statusChange('s1', 'adjustment-to-permanent-residence', 'filed', '2025-06-01'),
        statusChange('s2', 'adjustment-to-permanent-residence', 'granted', '2026-02-01'),
      ],
      '2027-01-01',
    );
    expect(s).toMatchObject({
      outcome: 'status-changed',
      authorizedUntil: null,
      daysOverstay: null,
      rule: 'us.adjustment',
    });
    expect(s.explanation).toContain('no departure is expected');
  });

  it('a pending adjustment application is a period of stay authorized, even filed after the period', () => {
    const s = only(
      [b2, statusChange('s1', 'adjustment-to-permanent-residence', 'filed', '2025-07-10')],
      '2025-08-01',
    );
    expect(s).toMatchObject({
      outcome: 'extension-pending',
      rule: 'us.adjustment-pending',
      authorizedUntil: null,
    });
  });

  it('naturalization granted: status changed', () => {
    const s = only([b2, statusChange('s1', 'naturalization', 'granted', '2025-05-01')], '2027-01-01');
    expect(s).toMatchObject({ outcome: 'status-changed', rule: 'us.naturalization' });
  });

  it('a status change applies to the stay open on its date, preferring the same admission number', () => {
    const r = run(
      [
        admission('a1', '2024-01-01', { admitUntil: '2024-06-30', admissionNumber: 'N1' }),
        departure('d1', '2024-03-01'),
        admission('a2', '2025-01-01', { admitUntil: '2025-06-30', admissionNumber: 'N2' }),
        statusChange('s1', 'extension', 'filed', '2025-06-01', { admissionNumber: 'N2' }),
      ],
      '2025-08-01',
    );
    expect(r.stays.map((s) => [s.admissionId, s.outcome])).toEqual([
      ['a1', 'departed-on-time'],
      ['a2', 'extension-pending'],
    ]);
  });
});

describe('computeStays, US: departures', () => {
  it('inferred departure, re-admitted within the period (+1 day): departed on time', () => {
    const r = run(
      [
        admission('a1', '2025-01-01', { admitUntil: '2025-06-30' }),
        admission('a2', '2025-07-01', { admitUntil: '2025-12-31' }),
      ],
      '2025-08-01',
    );
    expect(r.stays[0]).toMatchObject({
      outcome: 'departed-on-time',
      authorizedUntil: '2025-06-30',
      departure: { observationId: 'a2', date: null, channel: null, inferred: true },
      rule: 'us.inferred-departure',
      evidence: ['a1', 'a2'],
    });
    expect(r.stays[1]).toMatchObject({ outcome: 'within-period', departure: null });
  });

  it('inferred departure, re-admitted later: departure date unknown, never an overstay without a date', () => {
    const r = run(
      [
        admission('a1', '2025-01-01', { admitUntil: '2025-06-30' }),
        admission('a2', '2025-07-02', { admitUntil: '2025-12-31' }),
      ],
      '2025-08-01',
    );
    expect(r.stays[0]).toMatchObject({
      outcome: 'departed-date-unknown',
      daysOverstay: null,
      authorizedUntil: '2025-06-30',
      rule: 'us.inferred-departure',
    });
    expect(r.stays[0]!.explanation).toContain('no overstay is counted');
  });

  it('a departure with no admission on or before it is unmatched, kept and shown', () => {
    const r = run(
      [departure('d0', '2024-12-01'), admission('a1', '2025-01-01', { admitUntil: '2025-06-30' })],
      '2025-03-01',
    );
    expect(r.unmatchedDepartureIds).toEqual(['d0']);
    expect(r.stays[0]).toMatchObject({ outcome: 'within-period', departure: null, evidence: ['a1'] });
  });

  it('a departure dated before the admission whose number it carries: unresolved, saying which', () => {
    const r = run(
      [
        departure('d1', '2025-01-03', { admissionNumber: 'N9' }),
        admission('a1', '2025-02-01', { admitUntil: '2025-07-31', admissionNumber: 'N9' }),
      ],
      '2025-03-01',
    );
    expect(r.unmatchedDepartureIds).toEqual([]);
    expect(r.stays[0]).toMatchObject({
      outcome: 'unresolved',
      rule: 'unresolved.departure-before-admission',
      evidence: ['a1', 'd1'],
      daysOverstay: null,
      departure: null,
    });
    expect(r.stays[0]!.explanation).toContain(
      'departure dated 2025-01-03 is before its admission on 2025-02-01',
    );
  });

  it('two departure dates more than a day apart for one stay: unresolved, naming both', () => {
    const s = only(
      [
        admission('a1', '2025-01-01', { admitUntil: '2025-06-30' }),
        departure('d1', '2025-02-01'),
        departure('d2', '2025-08-01'),
      ],
      '2025-09-01',
    );
    expect(s).toMatchObject({
      outcome: 'unresolved',
      rule: 'unresolved.conflicting-departures',
      evidence: ['a1', 'd1', 'd2'],
    });
    expect(s.explanation).toContain('2025-02-01');
    expect(s.explanation).toContain('2025-08-01');
  });

  it('duplicate departures (same date, one stay) are both evidence but count once', () => {
    const r = run(
      [
        admission('a1', '2025-01-01', { admitUntil: '2025-06-30' }),
        departure('d2', '2025-07-03'),
        departure('d1', '2025-07-03', { channel: 'land' }),
      ],
      '2025-09-01',
    );
    expect(r.unmatchedDepartureIds).toEqual([]);
    expect(r.stays[0]).toMatchObject({
      outcome: 'departed-late',
      daysOverstay: 3,
      departure: { observationId: 'd1', channel: 'land' },
      evidence: ['a1', 'd1', 'd2'],
    });
  });

  it('departures one day apart (a manifest and a partner entry record) count once, from the earlier', () => {
    const s = only(
      [
        admission('a1', '2025-01-01', { admitUntil: '2025-06-30' }),
        departure('d1', '2025-06-30'),
        departure('d2', '2025-07-01', { channel: 'land' }),
      ],
      '2025-09-01',
    );
    expect(s).toMatchObject({
      outcome: 'departed-on-time',
      departure: { observationId: 'd1' },
      evidence: ['a1', 'd1', 'd2'],
    });
  });

  it('same day: a departure closes the earlier stay, then the re-admission opens a new one', () => {
    const r = run(
      [
        admission('a1', '2025-01-01', { admitUntil: '2025-06-30' }),
        departure('d1', '2025-02-01'),
        admission('a2', '2025-02-01', { admitUntil: '2025-07-31' }),
      ],
      '2025-03-01',
    );
    expect(r.stays.map((s) => [s.admissionId, s.outcome, s.departure?.observationId ?? null])).toEqual([
      ['a1', 'departed-on-time', 'd1'],
      ['a2', 'within-period', null],
    ]);
  });

  it("same day: an entry and exit on one day close that day's admission", () => {
    expect(
      only(
        [admission('a1', '2025-02-01', { admitUntil: '2025-07-31' }), departure('d1', '2025-02-01')],
        '2025-03-01',
      ),
    ).toMatchObject({
      outcome: 'departed-on-time',
      departure: { observationId: 'd1' },
    });
    // The earlier stay already closed: the same-day departure belongs to the same-day admission.
    const r = run(
      [
        admission('a1', '2025-01-01', { admitUntil: '2025-06-30' }),
        departure('d0', '2025-01-10'),
        admission('a2', '2025-02-01', { admitUntil: '2025-07-31' }),
        departure('d1', '2025-02-01'),
      ],
      '2025-03-01',
    );
    expect(r.stays.map((s) => s.departure?.observationId)).toEqual(['d0', 'd1']);
  });

  it('same day: the admission number decides which stay a departure closes', () => {
    const r = run(
      [
        admission('a1', '2025-01-01', { admitUntil: '2025-06-30', admissionNumber: 'N1' }),
        departure('d1', '2025-02-01', { admissionNumber: 'N2' }),
        admission('a2', '2025-02-01', { admitUntil: '2025-07-31', admissionNumber: 'N2' }),
      ],
      '2025-03-01',
    );
    expect(r.stays[0]).toMatchObject({
      outcome: 'departed-on-time',
      departure: { inferred: true, observationId: 'a2' },
    });
    expect(r.stays[1]).toMatchObject({ outcome: 'departed-on-time', departure: { observationId: 'd1' } });
  });

  it("a departure carrying an ended stay's number closes the stay open on its date, and says so", () => {
    const r = run(
      [
        admission('a1', '2025-01-01', { admitUntil: '2025-01-31', admissionNumber: 'N1' }),
        admission('a2', '2025-03-01', { admitUntil: '2025-08-31', admissionNumber: 'N2' }),
        departure('d1', '2025-04-01', { admissionNumber: 'N1' }),
      ],
      '2025-05-01',
    );
    expect(r.stays[0]).toMatchObject({ outcome: 'departed-date-unknown', departure: { inferred: true } });
    expect(r.stays[1]).toMatchObject({ outcome: 'departed-on-time', departure: { observationId: 'd1' } });
    expect(r.stays[1]!.explanation).toContain('carries admission number N1');
  });

  it('a frequent crosser: many stays matched by admission number, in any order', () => {
    const obs: StoredObservation[] = [];
    for (let k = 0; k < 40; k++) {
      const date = addDays('2025-01-01', k * 3);
      obs.push(admission(`a${k}`, date, { admitUntil: addDays(date, 30), admissionNumber: `N${k}` }));
      // Every stay but the last leaves the next day; the record carries the stay's number.
      if (k < 39)
        obs.push(departure(`d${k}`, addDays(date, 1), { admissionNumber: `N${k}`, channel: 'land' }));
    }
    // Filed on the day of the next admission, but carrying this stay's number: the number decides.
    obs.push(statusChange('s1', 'extension', 'filed', '2025-03-05', { admissionNumber: 'N20' }));
    const r = run([...obs].reverse(), '2025-05-15');
    expect(r.stays).toHaveLength(40);
    expect(r.unmatchedDepartureIds).toEqual([]);
    r.stays.slice(0, 39).forEach((s, k) => {
      expect(s).toMatchObject({
        admissionId: `a${k}`,
        outcome: 'departed-on-time',
        departure: { observationId: `d${k}` },
      });
    });
    expect(r.stays[20]!.evidence).toEqual(['a20', 'd20', 's1']);
    expect(r.stays[39]).toMatchObject({ outcome: 'within-period', departure: null });
  });

  it('same day: departure, then admission, then status change', () => {
    const r = run(
      [
        statusChange('s1', 'extension', 'filed', '2025-02-01'),
        admission('a2', '2025-02-01', { admitUntil: '2025-03-01' }),
        departure('d1', '2025-02-01'),
        admission('a1', '2025-01-01', { admitUntil: '2025-01-31' }),
      ],
      '2025-04-01',
    );
    expect(r.stays.map((s) => [s.admissionId, s.outcome, s.evidence])).toEqual([
      ['a1', 'departed-late', ['a1', 'd1']],
      ['a2', 'extension-pending', ['a2', 's1']],
    ]);
  });

  it('observations dated after asOf are not yet known', () => {
    const obs = [
      admission('a1', '2025-01-01', { admitUntil: '2025-06-30' }),
      departure('d1', '2025-07-10'),
      admission('a2', '2025-08-01'),
    ];
    const r = run(obs, '2025-07-05');
    expect(r.stays).toHaveLength(1);
    expect(r.stays[0]).toMatchObject({
      outcome: 'suspected-in-country-overstay',
      daysOverstay: 5,
      evidence: ['a1'],
    });
  });

  it('an admission whose date is not a calendar date is unresolved, and a bad asOf is refused', () => {
    const r = run([admission('a1', '2025-02-30')], '2025-03-01');
    expect(r.stays[0]).toMatchObject({ outcome: 'unresolved', rule: 'unresolved.invalid-date' });
    expect(() => run([], '2025-3-1')).toThrow(RangeError);
  });
});

describe('duplicate deliveries', () => {
  it('the same admission delivered twice under two record ids is one stay citing both', () => {
    const a = admission('a1', '2025-01-01', {
      admissionNumber: '90000000001',
      classOfAdmission: 'B2',
      admitUntil: '2025-06-30',
    });
    const b = admission('a2', '2025-01-01', {
      admissionNumber: '90000000001',
      classOfAdmission: 'B2',
      admitUntil: '2025-06-30',
    });
    const r = computeStays([a, b], US, '2026-01-01');
    expect(r.stays).toHaveLength(1);
    expect(r.stays[0]!.evidence).toEqual(['a1', 'a2']);
  });

  it('two admissions on one day with different admission numbers stay two', () => {
    const a = admission('a1', '2025-01-01', { admissionNumber: '90000000001', admitUntil: '2025-06-30' });
    const b = admission('a2', '2025-01-01', { admissionNumber: '90000000002', admitUntil: '2025-06-30' });
    expect(computeStays([a, b], US, '2026-01-01').stays).toHaveLength(2);
  });
});

describe('computeStays: arrival records corroborate admissions', () => {
  it('an arrival on the admission day corroborates it: cited in the evidence and said in the explanation', () => {
    const r = run(
      [
        admission('a1', '2025-01-10', { admitUntil: '2025-07-09' }),
        arrival('ar1', '2025-01-10', { flight: 'XY100' }),
        departure('d1', '2025-03-01'),
      ],
      '2025-06-01',
    );
    expect(r.unmatchedArrivalIds).toEqual([]);
    expect(r.unmatchedDepartureIds).toEqual([]);
    expect(r.stays).toHaveLength(1);
    expect(r.stays[0]).toMatchObject({
      outcome: 'departed-on-time',
      departure: { observationId: 'd1', date: '2025-03-01', inferred: false },
      evidence: ['a1', 'ar1', 'd1'],
    });
    expect(r.stays[0]!.explanation).toMatch(
      /; the admission is corroborated by the arrival record ar1 \(air XY100 at JFK on 2025-01-10\)\.$/,
    );
  });

  it('a day before or after will do; the same port is preferred, and one arrival corroborates one admission', () => {
    const r = run(
      [
        admission('a1', '2025-01-10', { admitUntil: '2025-01-10', port: 'MIA' }),
        admission('a2', '2025-01-11', { admitUntil: '2025-07-09', port: 'JFK' }),
        arrival('ar1', '2025-01-10', { port: 'jfk' }),
        arrival('ar2', '2025-01-09', { port: 'SEA', channel: 'sea', carrier: null, flight: null }),
      ],
      '2025-06-01',
    );
    expect(r.stays.map((s) => s.evidence)).toEqual([
      ['a1', 'ar2', 'a2'],
      ['a2', 'ar1'],
    ]);
    expect(r.stays[0]!.explanation).toContain(
      'corroborated by the arrival record ar2 (sea at SEA on 2025-01-09)',
    );
    expect(r.unmatchedArrivalIds).toEqual([]);
  });

  it('an arrival never ends nor proves a departure, and changes no outcome', () => {
    const admitted = admission('a1', '2025-01-10', { admitUntil: '2025-02-09' });
    const without = run([admitted], '2025-06-01').stays[0]!;
    const r = run([admitted, arrival('ar1', '2025-01-11'), arrival('ar2', '2025-04-01')], '2025-06-01');
    const s = r.stays[0]!;
    expect(s).toMatchObject({
      outcome: 'suspected-in-country-overstay',
      departure: null,
      departureEvidence: null,
      daysOverstay: without.daysOverstay,
      rule: without.rule,
      evidence: ['a1', 'ar1'],
    });
    // The later arrival matches no admission: kept on the timeline, no stay, no inferred departure.
    expect(r.stays).toHaveLength(1);
    expect(r.unmatchedArrivalIds).toEqual(['ar2']);
    expect(r.unmatchedDepartureIds).toEqual([]);
  });

  it('an arrival that matches no admission is unmatched; so is one placed by the linkage model or of another admission number', () => {
    const fuzzy: ArrivalInput = { ...(arrival('ar2', '2025-01-10') as ArrivalInput), identity: 'fuzzy' };
    const r = computeStays(
      [
        admission('a1', '2025-01-10', { admitUntil: '2025-07-09', admissionNumber: 'N1' }),
        arrival('ar0', '2024-12-01'),
        arrival('ar1', '2025-01-10', { admissionNumber: 'N2' }),
        fuzzy,
        arrival('ar3', '2025-01-12'),
        arrival('ar4', '2025-01-09', { admissionNumber: 'N1' }),
      ],
      US,
      '2025-06-01',
    );
    expect(r.unmatchedArrivalIds).toEqual(['ar0', 'ar1', 'ar2', 'ar3']);
    expect(r.stays[0]!.evidence).toEqual(['a1', 'ar4']);
    expect(r.stays[0]!.explanation).toContain('corroborated by the arrival record ar4');
  });

  it('an arrival after asOf is not yet known', () => {
    const r = run(
      [admission('a1', '2025-01-10', { admitUntil: '2025-07-09' }), arrival('ar1', '2025-01-11')],
      '2025-01-10',
    );
    expect(r.stays[0]!.evidence).toEqual(['a1']);
    expect(r.unmatchedArrivalIds).toEqual([]);
  });
});
