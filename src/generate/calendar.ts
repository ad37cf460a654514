/**
 * Calendar arithmetic on day numbers (days since 1970-01-01, proleptic Gregorian, no time zone).
 * Border events are recorded by day, so the generator never needs a time of day or a Date object,
 * which also keeps it independent of the machine's TZ.
 */
import { civilFromDays, dayNumber, daysFromCivil, daysInMonth, isoDate } from '../core/stays/dates.js';

// The same day arithmetic as the stays engine: one implementation, in the pure core.
export { daysInMonth };
export const dayOf = daysFromCivil;
export const isoOf = isoDate;

export interface Civil {
  readonly y: number;
  readonly m: number;
  readonly d: number;
}

/** The civil date of a day number. */
export const civilOf = (day: number): Civil => civilFromDays(day);

/** The day number of a strict ISO date, or null when the text is not a real calendar date. */
export function dayOfIso(iso: string): number | null {
  const day = dayNumber(iso);
  return Number.isNaN(day) ? null : day;
}

/**
 * The same day of the month `months` later, clamped to the end of a shorter month
 * (2024-08-31 + 6 months = 2025-02-28): how an admit-until date "six months from admission" is written.
 */
export function addMonths(day: number, months: number): number {
  const { y, m, d } = civilOf(day);
  const index = y * 12 + (m - 1) + months;
  const ny = Math.floor(index / 12);
  const nm = (index % 12) + 1;
  return dayOf(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

/** January 1st of the same year. */
export function firstOfYear(day: number): number {
  return dayOf(civilOf(day).y, 1, 1);
}
