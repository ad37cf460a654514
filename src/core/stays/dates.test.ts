import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, dayNumber, daysBetween, daysInMonth, isoDate } from './dates.js';

const utcDay = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y!, m! - 1, d) / 86_400_000;
};

describe('dates', () => {
  it('counts days from 1970-01-01 like Date.UTC', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(dayNumber('1969-12-31')).toBe(-1);
    expect(dayNumber('2000-02-29')).toBe(utcDay('2000-02-29'));
    expect(dayNumber('2025-04-01') - dayNumber('2025-01-01')).toBe(90);
  });

  it('refuses what is not a calendar date', () => {
    for (const bad of [
      '2025-02-29',
      '2025-13-01',
      '2025-00-10',
      '2025-01-00',
      '2025-1-01',
      '20250101',
      '',
      'abcd-ef-gh',
    ]) {
      expect(dayNumber(bad), bad).toBeNaN();
    }
    expect(dayNumber('2024-02-29')).not.toBeNaN();
    expect(dayNumber('1900-02-29')).toBeNaN();
  });

  it('formats day numbers back to ISO dates', () => {
    expect(isoDate(0)).toBe('1970-01-01');
    expect(isoDate(dayNumber('2024-02-29'))).toBe('2024-02-29');
    expect(addDays('2025-01-01', 90)).toBe('2025-04-01');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(daysBetween('2025-07-20', '2025-08-01')).toBe(12);
    expect(daysInMonth(2024, 2)).toBe(29);
  });

  it('agrees with Date.UTC and round-trips over four centuries (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1800-01-01'), max: new Date('2200-12-31'), noInvalidDate: true }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          const n = dayNumber(iso);
          expect(n).toBe(utcDay(iso));
          expect(isoDate(n)).toBe(iso);
        },
      ),
    );
  });
});
