import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StoredObservation } from '../observation/observation.js';
import { computeStays } from './compute-stays.js';
import { addDays, dayNumber, isoDate } from './dates.js';
import { admission, departure, SCHENGEN, statusChange } from './test-fixtures.js';

/** Trips as [entry, exit] (exit null: still present). */
function trips(list: readonly (readonly [string, string | null])[]): StoredObservation[] {
  const out: StoredObservation[] = [];
  list.forEach(([entry, exit], i) => {
    out.push(admission(`a${i}`, entry, { classOfAdmission: 'C', port: 'FRA' }));
    if (exit !== null) out.push(departure(`d${i}`, exit));
  });
  return out;
}
const run = (list: readonly (readonly [string, string | null])[], asOf = '2026-12-31') =>
  computeStays(trips(list), SCHENGEN, asOf).stays;

describe('computeStays, Schengen: 90 days in any 180 (Regulation (EU) 2016/399 Art. 6)', () => {
  it('a first stay may last 90 days, entry day included: 2025-01-01 to 2025-03-31', () => {
    const [s] = run([['2025-01-01', '2025-03-31']]);
    expect(s).toMatchObject({
      outcome: 'departed-on-time',
      authorizedUntil: '2025-03-31',
      rule: 'schengen.90-in-180',
    });
    expect(s!.explanation).toContain('Regulation (EU) 2016/399 Art. 6(1)');
    expect(run([['2025-01-01', '2025-04-01']])[0]).toMatchObject({
      outcome: 'departed-late',
      daysOverstay: 1,
    });
  });

  it('entry and exit days both count: a 10-day trip then a second entry leaves 80 days', () => {
    const s = run([
      ['2025-01-01', '2025-01-10'],
      ['2025-02-01', null],
    ]);
    expect(s[1]).toMatchObject({ authorizedUntil: '2025-04-21' });
    expect(s[1]!.explanation).toContain('10 days of earlier stays');
    // A day trip counts as one day.
    const d = run([
      ['2025-01-05', '2025-01-05'],
      ['2025-01-06', '2025-01-06'],
      ['2025-02-01', null],
    ]);
    expect(d[2]!.authorizedUntil).toBe(addDays('2025-02-01', 87));
  });

  it('a 90-day stay, then re-entry too early: every day of the new stay is beyond the limit', () => {
    const s = run([
      ['2025-01-01', '2025-03-31'],
      ['2025-04-10', '2025-04-12'],
    ]);
    expect(s[1]).toMatchObject({ outcome: 'departed-late', authorizedUntil: '2025-04-09', daysOverstay: 3 });
    expect(s[1]!.explanation).toContain('no day of this stay was authorized');
  });

  it('after a 90-day stay the first day back is day 180 after the first entry, and days then roll off one by one', () => {
    const tooEarly = run([
      ['2025-01-01', '2025-03-31'],
      ['2025-06-29', null],
    ]);
    expect(tooEarly[1]).toMatchObject({ authorizedUntil: '2025-06-28' });
    const ok = run(
      [
        ['2025-01-01', '2025-03-31'],
        ['2025-06-30', null],
      ],
      '2025-07-01',
    );
    // Each day one old day leaves the window while a new one is added: the stay can run 90 days.
    expect(ok[1]).toMatchObject({ outcome: 'within-period', authorizedUntil: '2025-09-27' });
  });

  it('a long-gone stay does not count; partial overlap counts only the days in the window', () => {
    expect(
      run([
        ['2024-01-01', '2024-03-30'],
        ['2025-01-01', null],
      ])[1]!.authorizedUntil,
    ).toBe('2025-03-31');
    // 2024-09-01..2024-10-30 (60 days); entry 2025-02-01: the window ending 2025-02-01 starts 2024-08-06.
    const s = run([
      ['2024-09-01', '2024-10-30'],
      ['2025-02-01', null],
    ]);
    const until = s[1]!.authorizedUntil!;
    expect(until).toBe(brute([['2024-09-01', '2024-10-30']], '2025-02-01'));
  });

  it('an earlier stay with no exit date counts its entry day only, and says so', () => {
    const s = run([
      ['2025-01-01', null],
      ['2025-02-01', null],
    ]);
    expect(s[0]).toMatchObject({ outcome: 'departed-on-time', departure: { inferred: true } });
    expect(s[1]).toMatchObject({ authorizedUntil: addDays('2025-02-01', 88) });
    expect(s[1]!.explanation).toContain('no exit date counted as the entry day only');
  });

  it('a visa ending before the 90 days ends the stay', () => {
    const [s] = computeStays(
      [
        admission('a1', '2025-01-01', { classOfAdmission: 'C', admitUntil: '2025-01-15' }),
        departure('d1', '2025-01-20'),
      ],
      SCHENGEN,
      '2025-06-01',
    ).stays;
    expect(s).toMatchObject({
      outcome: 'departed-late',
      authorizedUntil: '2025-01-15',
      daysOverstay: 5,
      rule: 'schengen.visa-validity',
    });
  });

  it('a visa extension sets a new end (Visa Code Art. 33); a residence permit ends the short stay', () => {
    const obs = trips([['2025-01-01', null]]);
    const ext = computeStays(
      [...obs, statusChange('s1', 'extension', 'granted', '2025-03-20', { newAdmitUntil: '2025-04-30' })],
      SCHENGEN,
      '2025-04-15',
    ).stays[0];
    expect(ext).toMatchObject({
      outcome: 'within-period',
      authorizedUntil: '2025-04-30',
      rule: 'schengen.extension-granted',
    });
    // Filing does not stop the clock in the Schengen pack.
    const pending = computeStays(
      [...obs, statusChange('s1', 'extension', 'filed', '2025-03-20')],
      SCHENGEN,
      '2025-04-15',
    ).stays[0];
    expect(pending).toMatchObject({ outcome: 'suspected-in-country-overstay', daysOverstay: 15 });
    const permit = computeStays(
      [...obs, statusChange('s1', 'change-of-status', 'granted', '2025-03-01')],
      SCHENGEN,
      '2025-08-01',
    ).stays[0];
    expect(permit).toMatchObject({ outcome: 'status-changed', rule: 'schengen.residence-permit' });
  });

  it('agrees with a day-by-day count of the 180-day window (property)', () => {
    const tripsArb = fc
      .array(fc.tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 120 })), {
        minLength: 1,
        maxLength: 6,
      })
      .map((gaps) => {
        let day = dayNumber('2024-01-01');
        return gaps.map(([gap, len]) => {
          const entry = day + gap;
          day = entry + len;
          return [isoDate(entry), isoDate(day)] as const;
        });
      });
    fc.assert(
      fc.property(tripsArb, fc.boolean(), (list, lastOpen) => {
        const input = list.map(([e, x], i) => [e, lastOpen && i === list.length - 1 ? null : x] as const);
        const stays = run(input, '2030-01-01');
        stays.forEach((s, i) => {
          expect(s.authorizedUntil).toBe(brute(list.slice(0, i), list[i]![0]));
        });
      }),
    );
  });
});

/** Reference: walk day by day, counting presence in the 180 days ending on each day. */
function brute(earlier: readonly (readonly [string, string])[], entry: string): string {
  const E = dayNumber(entry);
  const present = new Set<number>();
  for (const [a, b] of earlier)
    for (let d = dayNumber(a); d <= Math.min(dayNumber(b), E - 1); d++) present.add(d);
  let last = E - 1;
  for (let d = E; d < E + 400; d++) {
    let n = 0;
    for (let x = d - 179; x <= d; x++) if (x >= E || present.has(x)) n++;
    if (n <= 90) last = d;
    else break;
  }
  return isoDate(last);
}
