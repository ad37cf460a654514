/**
 * Calendar arithmetic on day numbers (days since 1970-01-01, proleptic Gregorian, no time zone).
 * Border events are recorded by day, so the generator never needs a time of day or a Date object,
 * which also keeps it independent of the machine's TZ.
 */

/** Days since 1970-01-01 for a civil date (H. Hinnant's days_from_civil). */
export function dayOf(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export interface Civil {
  readonly y: number;
  readonly m: number;
  readonly d: number;
}

/** The civil date of a day number (H. Hinnant's civil_from_days). */
export function civilOf(day: number): Civil {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** YYYY-MM-DD for a day number (years 1000-9999). */
export function isoOf(day: number): string {
  const { y, m, d } = civilOf(day);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day number of a strict ISO date, or null when the text is not a real calendar date. */
export function dayOfIso(iso: string): number | null {
  const match = ISO.exec(iso);
  if (!match) return null;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return dayOf(y, m, d);
}

export function daysInMonth(y: number, m: number): number {
  return dayOf(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - dayOf(y, m, 1);
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
