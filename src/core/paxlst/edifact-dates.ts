/**
 * EDIFACT dates (DTM C507 2380 with format code 2379, and the UNB/UNG date and time) read into ISO
 * dates, with two-digit years given a century by what the date is.
 */
import type { IsoDate } from '../observation/observation.js';
import { daysIn, digits, pad2 } from '../observation/parse-date.js';

/**
 * How a two-digit year gets its century, relative to a reference date (the flight date):
 * - `past`: birth and issue dates: the latest century that does not put the date after the reference.
 * - `expiry`: within 80 years before and 20 years after the reference (as for MRZ expiry dates).
 * - `near`: flight and preparation dates: 20YY, unless that is more than 50 years after the reference.
 */
export type CenturyRule = 'past' | 'expiry' | 'near';

export type DtmRead =
  | { readonly kind: 'date'; readonly date: IsoDate; readonly time: string | null }
  /** Empty, or month/day `00` (unknown): no date. */
  | { readonly kind: 'none' }
  | { readonly kind: 'invalid'; readonly reason: string };

/** Length of the value for each format code (2379) this reader knows, and whether it has a century. */
const FORMATS: Readonly<Record<string, { readonly length: number; readonly century: boolean }>> = {
  '101': { length: 6, century: false }, // YYMMDD
  '102': { length: 8, century: true }, // CCYYMMDD
  '201': { length: 10, century: false }, // YYMMDDHHMM
  '203': { length: 12, century: true }, // CCYYMMDDHHMM
  '204': { length: 14, century: true }, // CCYYMMDDHHMMSS
};

const BY_LENGTH: Readonly<Record<number, string>> = { 6: '101', 8: '102', 10: '201', 12: '203', 14: '204' };

function century(yy: number, month: number, day: number, rule: CenturyRule, ref: IsoDate | null): number {
  const y = 2000 + yy;
  if (ref === null) return y;
  const refYear = digits(ref, 0, 4);
  if (rule === 'past') {
    // Not after the reference date.
    const refDay = refYear * 10000 + digits(ref, 5, 2) * 100 + digits(ref, 8, 2);
    return y * 10000 + month * 100 + day > refDay ? y - 100 : y;
  }
  if (rule === 'expiry') {
    if (y > refYear + 20) return y - 100;
    if (y <= refYear - 80) return y + 100;
    return y;
  }
  return y > refYear + 50 ? y - 100 : y;
}

/**
 * Reads a DTM value. `format` is the 2379 code when sent (`101`, `102`, `201`, `203`, `204`); without
 * one the length decides. Surrounding spaces are ignored (the guide's own examples have some).
 */
export function readDtm(
  raw: string | undefined,
  format: string | undefined,
  rule: CenturyRule,
  ref: IsoDate | null,
): DtmRead {
  let v = raw ?? '';
  if (v.length > 0 && (v.charCodeAt(0) === 32 || v.charCodeAt(v.length - 1) === 32)) v = v.trim();
  if (v === '') return { kind: 'none' };
  const code = format !== undefined && format !== '' ? format : BY_LENGTH[v.length];
  const f = code === undefined ? undefined : FORMATS[code];
  if (f === undefined) {
    return format !== undefined && format !== ''
      ? {
          kind: 'invalid',
          reason: `date format code ${JSON.stringify(format)} is not one of 101, 102, 201, 203, 204`,
        }
      : {
          kind: 'invalid',
          reason: `${JSON.stringify(v)} is not a date (YYMMDD, CCYYMMDD, YYMMDDHHMM or CCYYMMDDHHMM)`,
        };
  }
  if (v.length !== f.length || digits(v, 0, v.length) < 0) {
    return {
      kind: 'invalid',
      reason: `${JSON.stringify(v)} does not fit date format ${code} (${f.length} digits)`,
    };
  }
  const yLen = f.century ? 4 : 2;
  const yRaw = digits(v, 0, yLen);
  const m = digits(v, yLen, 2);
  const d = digits(v, yLen + 2, 2);
  if (m === 0 || d === 0) return { kind: 'none' };
  if (m > 12) return { kind: 'invalid', reason: `month ${m} out of range in ${JSON.stringify(v)}` };
  const y = f.century ? yRaw : century(yRaw, m, d, rule, ref);
  if (y < 1900 || y > 2100)
    return { kind: 'invalid', reason: `year ${y} out of range in ${JSON.stringify(v)}` };
  if (d > daysIn(y, m))
    return { kind: 'invalid', reason: `day ${d} out of range for ${y}-${pad2(m)} in ${JSON.stringify(v)}` };
  let time: string | null = null;
  const at = yLen + 4;
  if (v.length > at) {
    const hh = digits(v, at, 2);
    const mm = digits(v, at + 2, 2);
    if (hh > 23 || mm > 59)
      return { kind: 'invalid', reason: `time ${v.slice(at, at + 4)} out of range in ${JSON.stringify(v)}` };
    time = `${pad2(hh)}:${pad2(mm)}`;
  }
  return { kind: 'date', date: `${y}-${pad2(m)}-${pad2(d)}`, time };
}

/** Reads a UNB/UNG date (YYMMDD or CCYYMMDD) and time (HHMM) into `YYYY-MM-DDTHH:MM`; null when invalid. */
export function readEnvelopeDate(date: string | undefined, time: string | undefined): string | null {
  const d = readDtm(date, undefined, 'near', null);
  if (d.kind !== 'date' || d.time !== null) return null;
  const t = time ?? '';
  if (t.length !== 4) return null;
  const hh = digits(t, 0, 2);
  const mm = digits(t, 2, 2);
  if (hh < 0 || mm < 0 || hh > 23 || mm > 59) return null;
  return `${d.date}T${t.slice(0, 2)}:${t.slice(2)}`;
}

/** Writes an ISO date (and optional `HH:MM`) as an EDIFACT value with its format code. */
export function writeDtm(date: IsoDate, time: string | null, fourDigitYear: boolean): [string, string] {
  const y = fourDigitYear ? date.slice(0, 4) : date.slice(2, 4);
  const base = `${y}${date.slice(5, 7)}${date.slice(8, 10)}`;
  if (time === null) return [base, fourDigitYear ? '102' : '101'];
  return [`${base}${time.slice(0, 2)}${time.slice(3, 5)}`, fourDigitYear ? '203' : '201'];
}
