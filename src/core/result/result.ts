/** Errors are data in the core (like Zod's safeParse): a result is either a value or field errors. */
export interface FieldError {
  /** The field (column) at fault, e.g. `birth_date`; `*` when the whole record is at fault. */
  readonly field: string;
  readonly reason: string;
}

export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly FieldError[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T>(errors: readonly FieldError[]): Result<T> => ({ ok: false, errors });
