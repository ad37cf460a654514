import anyAscii from 'any-ascii';

/**
 * The person fields the linkage model compares. A file's columns are mapped onto these (docs/linkage.md);
 * columns that are none of them are compared as `other` fields, exactly or fuzzily.
 */
export const LINK_FIELDS = [
  'given_name',
  'family_name',
  'full_name',
  'birth_date',
  'sex',
  'nationality',
  'birthplace',
  'address',
  'postcode',
  'city',
  'email',
  'document_number',
  'document_country',
  'admission_number',
] as const;
export type LinkField = (typeof LINK_FIELDS)[number];

/** How a compared field is read and compared (compare-fields.ts). */
export type FieldKind = 'name' | 'date' | 'document' | 'code' | 'postcode' | 'text';

export const KIND_OF_FIELD: Record<LinkField, FieldKind> = {
  given_name: 'name',
  family_name: 'name',
  full_name: 'name',
  birth_date: 'date',
  sex: 'code',
  nationality: 'code',
  birthplace: 'text',
  address: 'text',
  postcode: 'postcode',
  city: 'text',
  email: 'code',
  document_number: 'document',
  document_country: 'code',
  admission_number: 'document',
};

/** One compared column: a person field, or another column with the kind it is compared as. */
export interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
}

/** A record ready to compare: one normalised value (or null: missing) per field spec, by position. */
export interface LinkRecord {
  readonly id: string;
  readonly values: readonly (string | null)[];
}

/** Values clerks type for "unknown": missing, never agreement (two FNUs are not the same person). */
const PLACEHOLDERS = new Set(['FNU', 'LNU', 'XXX', 'UNKNOWN', 'NFN', 'NLN', 'NA', 'N/A', 'NONE', '-', '?']);

/**
 * The comparable form of a value: upper case, transliterated to ASCII (Łódź and LODZ agree), runs of
 * space and punctuation folded to one space. Placeholders and empty values are null.
 */
export function normaliseValue(kind: FieldKind, raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const trimmed = raw.trim();
  if (trimmed === '' || PLACEHOLDERS.has(trimmed.toUpperCase())) return null;
  switch (kind) {
    case 'date':
      return normaliseDate(trimmed);
    case 'document':
    case 'postcode': {
      const v = asciiUpper(trimmed).replace(/[^A-Z0-9]/g, '');
      return v === '' ? null : v;
    }
    case 'code':
      return asciiUpper(trimmed);
    default: {
      const v = asciiUpper(trimmed)
        .replace(/[^A-Z0-9]+/g, ' ')
        .trim();
      return v === '' ? null : v;
    }
  }
}

const asciiUpper = (s: string) => (/^[\x20-\x7e]*$/.test(s) ? s : anyAscii(s)).toUpperCase();

/**
 * A date as YYYYMMDD, from YYYYMMDD or YYYY-MM-DD (or with slashes). Day or month 00 is a placeholder
 * ("unknown"): the date counts as missing. Anything else unreadable is missing too: a linkage run never
 * stops for one bad cell, and a wrong date must not look like an agreement.
 */
function normaliseDate(s: string): string | null {
  const digits = s.replace(/[-/.\s]/g, '');
  if (!/^\d{8}$/.test(digits)) return null;
  const month = Number(digits.slice(4, 6));
  const day = Number(digits.slice(6, 8));
  // A month above 12 is kept when the day could be one: the comparison recognises day and month swapped.
  if (month === 0 || day === 0 || month > 31 || day > 31 || (month > 12 && day > 12)) return null;
  return digits;
}
