import type { IsoDate } from './observation.js';

const MONTHS: Record<string, number> = {
  JAN: 1,
  FEB: 2,
  MAR: 3,
  APR: 4,
  MAY: 5,
  JUN: 6,
  JUL: 7,
  AUG: 8,
  SEP: 9,
  OCT: 10,
  NOV: 11,
  DEC: 12,
};

export type DateParse =
  | { readonly kind: 'date'; readonly value: IsoDate }
  /** A recognised "unknown" placeholder such as day 00 (1980-03-00): counts as missing, never as a date. */
  | { readonly kind: 'placeholder' }
  | { readonly kind: 'invalid'; readonly reason: string };

export const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** The number in s[at, at+len) if every character is a digit, else -1. */
export function digits(s: string, at: number, len: number): number {
  let n = 0;
  for (let i = at; i < at + len; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Days in month m (1-12) of year y, leap years included. */
export const daysIn = (y: number, m: number) =>
  m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : MONTH_DAYS[m - 1]!;

function build(y: number, m: number, d: number, raw: string): DateParse {
  if (m === 0 || d === 0) return { kind: 'placeholder' };
  if (m > 12) return { kind: 'invalid', reason: `month ${m} out of range in "${raw}"` };
  if (d > daysIn(y, m))
    return { kind: 'invalid', reason: `day ${d} out of range for ${y}-${pad2(m)} in "${raw}"` };
  if (y < 1900 || y > 2100) return { kind: 'invalid', reason: `year ${y} out of range in "${raw}"` };
  return { kind: 'date', value: `${y}-${pad2(m)}-${pad2(d)}` };
}

/**
 * Reads a calendar date in the unambiguous forms feeds really send: ISO 8601 (2025-03-04), its basic
 * form (20250304), slashes in ISO order (2025/03/04) and the day-month-name form (04 MAR 2025).
 * Ambiguous forms such as 03/04/2025 are refused rather than guessed: a wrong date is a wrong overstay.
 */
export function parseDate(raw: string): DateParse {
  // Fast path: plain ISO, the form nearly every record uses.
  if (raw.length === 10 && raw.charCodeAt(4) === 45 && raw.charCodeAt(7) === 45) {
    const y = digits(raw, 0, 4);
    const m = digits(raw, 5, 2);
    const d = digits(raw, 8, 2);
    if (y >= 0 && m >= 0 && d >= 0) {
      if (m === 0 || d === 0) return { kind: 'placeholder' };
      if (m <= 12 && d <= daysIn(y, m) && y >= 1900 && y <= 2100) return { kind: 'date', value: raw };
      return build(y, m, d, raw);
    }
  }
  const s = raw.trim();
  let m = /^(\d{4})[-/](\d{2})[-/](\d{2})$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return build(Number(m[1]), Number(m[2]), Number(m[3]), s);
  m = /^(\d{1,2})[ -]([A-Za-z]{3})[ -](\d{4})$/.exec(s);
  if (m) {
    const month = MONTHS[m[2]!.toUpperCase()];
    if (month === undefined) return { kind: 'invalid', reason: `unknown month "${m[2]}" in "${s}"` };
    return build(Number(m[3]), month, Number(m[1]), s);
  }
  return { kind: 'invalid', reason: `"${s}" is not a date in a recognised unambiguous form (YYYY-MM-DD)` };
}
