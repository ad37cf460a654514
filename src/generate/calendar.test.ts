import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths, civilOf, dayOf, dayOfIso, firstOfYear, isoOf } from './calendar.js';

describe('calendar', () => {
  it('numbers days from 1970-01-01 like the Unix epoch', () => {
    expect(dayOf(1970, 1, 1)).toBe(0);
    expect(isoOf(0)).toBe('1970-01-01');
    expect(dayOfIso('2024-02-29')! - dayOfIso('2024-02-28')!).toBe(1);
    expect(dayOfIso('2024-03-01')! - dayOfIso('2024-02-28')!).toBe(2);
    expect(dayOfIso('2025-03-01')! - dayOfIso('2025-02-28')!).toBe(1);
  });

  it('agrees with Date.UTC over the years the generator uses', () => {
    fc.assert(
      fc.property(fc.integer({ min: dayOf(1900, 1, 1), max: dayOf(2100, 12, 31) }), (day) => {
        expect(isoOf(day)).toBe(new Date(day * 86_400_000).toISOString().slice(0, 10));
        expect(dayOfIso(isoOf(day))).toBe(day);
      }),
    );
  });

  it('refuses dates that are not on the calendar', () => {
    expect(dayOfIso('2025-02-29')).toBeNull();
    expect(dayOfIso('2025-13-01')).toBeNull();
    expect(dayOfIso('2025-00-10')).toBeNull();
    expect(dayOfIso('20250301')).toBeNull();
  });

  it('adds months on the same day, clamped to the end of a shorter month', () => {
    expect(isoOf(addMonths(dayOfIso('2024-01-15')!, 6))).toBe('2024-07-15');
    expect(isoOf(addMonths(dayOfIso('2024-08-31')!, 6))).toBe('2025-02-28');
    expect(isoOf(addMonths(dayOfIso('2023-08-31')!, 6))).toBe('2024-02-29');
    expect(isoOf(addMonths(dayOfIso('2025-11-30')!, 3))).toBe('2026-02-28');
    expect(isoOf(addMonths(dayOfIso('2025-03-31')!, -1))).toBe('2025-02-28');
    expect(isoOf(addMonths(dayOfIso('2024-05-10')!, 36))).toBe('2027-05-10');
  });

  it('finds the first of January', () => {
    expect(isoOf(firstOfYear(dayOfIso('1987-09-14')!))).toBe('1987-01-01');
    expect(civilOf(firstOfYear(dayOfIso('2000-12-31')!))).toEqual({ y: 2000, m: 1, d: 1 });
  });
});
