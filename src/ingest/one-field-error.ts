import type { FieldError } from '../core/result/result.js';

/**
 * Several field errors as the one error an unreadable record carries (IncomingRecord.readError): the
 * first field, and a reason that lists every error, so `field: reason` reads as the whole list, e.g.
 * `doc_number: check digit 4 does not match 6; composite_check_digit: check digit 0 does not match 3`.
 * Nothing is dropped: one fix-and-resend suffices.
 */
export function oneFieldError(errors: readonly FieldError[]): FieldError {
  const [first, ...rest] = errors;
  if (first === undefined) return { field: '*', reason: 'unreadable' };
  return {
    field: first.field,
    reason: [first.reason, ...rest.map((e) => `${e.field}: ${e.reason}`)].join('; '),
  };
}
