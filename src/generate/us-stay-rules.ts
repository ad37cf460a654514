import { addMonths } from './calendar.js';

/**
 * The US stay rules the generator writes its data and its truth by. The stays engine implements the
 * same semantics from the rule pack; these constants are the generator's own copy, so the truth is
 * computed independently of the engine it checks.
 */

/** Visa Waiver Program: 90 days from admission, added to the admission date (8 U.S.C. 1187(a)(1)). */
export const VISA_WAIVER_DAYS = 90;

/** Grace period after the programme end date for D/S admissions (8 CFR 214.2(f)(5)(i): F-1 60 days; 214.2(j)(1)(ii): J-1 30 days). */
export const DS_GRACE_DAYS: Readonly<Record<string, number>> = { F1: 60, J1: 30 };

export const CLASSES = ['B2', 'B1', 'WT', 'WB', 'F1', 'J1', 'H1B', 'L1', 'TN'] as const;
export type ClassOfAdmission = (typeof CLASSES)[number];

export const VISA_WAIVER_CLASSES: ReadonlySet<string> = new Set(['WT', 'WB']);
export const DURATION_OF_STATUS_CLASSES: ReadonlySet<string> = new Set(['F1', 'J1']);
/** Classes that may apply to extend their stay (Form I-539 / I-129); Visa Waiver entrants cannot (8 CFR 214.1(c)(3)). */
export const EXTENDABLE_CLASSES: ReadonlySet<string> = new Set(['B1', 'B2', 'H1B', 'L1', 'TN']);
/** Visa Waiver entrants cannot change status (8 U.S.C. 1258(a)(4)). */
export const STATUS_CHANGEABLE_CLASSES: ReadonlySet<string> = new Set([
  'B1',
  'B2',
  'F1',
  'J1',
  'H1B',
  'L1',
  'TN',
]);

/**
 * The admit-until date printed on the admission record: B2 six months, B1 three months, H1B/L1 one to
 * three years (`years`), TN three years; none for Visa Waiver (the rule pack adds 90 days) or D/S.
 */
export function printedAdmitUntil(cls: ClassOfAdmission, admittedOn: number, years: number): number | null {
  switch (cls) {
    case 'B2':
      return addMonths(admittedOn, 6);
    case 'B1':
      return addMonths(admittedOn, 3);
    case 'H1B':
    case 'L1':
      return addMonths(admittedOn, 12 * years);
    case 'TN':
      return addMonths(admittedOn, 36);
    default:
      return null;
  }
}

/** The last authorized day before any status event; null for D/S without a programme end. */
export function baseAuthorizedUntil(
  cls: string,
  admittedOn: number,
  admitUntil: number | null,
  programEnd: number | null,
): number | null {
  if (admitUntil !== null) return admitUntil;
  if (VISA_WAIVER_CLASSES.has(cls)) return admittedOn + VISA_WAIVER_DAYS;
  if (programEnd !== null) return programEnd + (DS_GRACE_DAYS[cls] ?? 0);
  return null;
}
