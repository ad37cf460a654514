import type { FlatColumn } from '../core/observation/flat-columns.js';
import { scaledRate, type NoiseKind } from './noise-rates.js';
import type { Rng } from './prng.js';
import { transliterationVariants, type Romanisation } from './transliteration.js';

/** A record under construction: every cell a string, empty cells absent. */
export type MutableRecord = Partial<Record<FlatColumn, string>>;

export interface NoiseEvent {
  readonly noise: NoiseKind;
  readonly detail: string;
}

export interface NoiseContext {
  readonly level: number;
  readonly romanisation: Romanisation;
  /** The person's family names when they have two (Spanish/Portuguese custom), else null. */
  readonly familyParts: readonly string[] | null;
}

/** The date cells a date-format slip can hit. */
export const DATE_COLUMNS = [
  'birth_date',
  'doc_expiry',
  'date',
  'admit_until',
  'program_end_date',
  'new_admit_until',
] as const satisfies readonly FlatColumn[];

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const OCR_CONFUSIONS: Readonly<Record<string, string>> = {
  O: '0',
  '0': 'O',
  I: '1',
  '1': 'I',
  S: '5',
  '5': 'S',
  B: '8',
  '8': 'B',
};
const PLACEHOLDERS = new Set(['FNU', 'LNU']);
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Sets (or empties) one cell and notes what changed. */
function set(
  events: NoiseEvent[],
  record: MutableRecord,
  noise: NoiseKind,
  column: FlatColumn,
  value: string | undefined,
): void {
  const before = record[column];
  if (value === undefined || value === '') delete record[column];
  else record[column] = value;
  events.push({
    noise,
    detail: `${column}: ${before ?? '(empty)'} -> ${value === undefined || value === '' ? '(empty)' : value}`,
  });
}

/** One keying error somewhere after the first letter; never returns the name unchanged. */
export function typo(rng: Rng, name: string): string {
  const chars = [...name];
  const letterPositions = chars.map((c, i) => (i > 0 && /\p{L}/u.test(c) ? i : -1)).filter((i) => i >= 0);
  if (letterPositions.length === 0) return name + 'e';
  const i = rng.pick(letterPositions);
  const c = chars[i]!;
  switch (rng.int(0, 3)) {
    case 0: {
      let r = LETTERS[rng.int(0, 25)]!;
      if (r === c.toLowerCase()) r = r === 'z' ? 'a' : LETTERS[LETTERS.indexOf(r) + 1]!;
      chars[i] = c === c.toUpperCase() ? r.toUpperCase() : r;
      break;
    }
    case 1:
      if (chars.length > 2) chars.splice(i, 1);
      else chars.splice(i, 0, c);
      break;
    case 2:
      chars.splice(i, 0, c);
      break;
    default: {
      const j = i + 1 < chars.length ? i + 1 : i - 1;
      if (j > 0 && chars[j] !== c) [chars[i], chars[j]] = [chars[j]!, c];
      else chars.splice(i, 0, c);
    }
  }
  return chars.join('');
}

/** 2025-03-04 in one of the other unambiguous forms feeds send. */
export function reformatDate(rng: Rng, iso: string): string {
  const m = ISO.exec(iso);
  if (!m) return iso;
  switch (rng.int(0, 2)) {
    case 0:
      return `${m[1]}${m[2]}${m[3]}`;
    case 1:
      return `${m[1]}/${m[2]}/${m[3]}`;
    default:
      return `${m[3]} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
  }
}

/**
 * Applies the per-record noise (everything but duplicates and passport renewals, which the generator
 * handles because they need new ids and documents). Mutates the record; returns what it did.
 */
export function applyRecordNoise(rng: Rng, record: MutableRecord, ctx: NoiseContext): NoiseEvent[] {
  const events: NoiseEvent[] = [];
  const level = ctx.level;

  // Two family names in another order, or only one of them.
  if (
    ctx.familyParts &&
    ctx.familyParts.length === 2 &&
    record.family_names &&
    rng.chance(scaledRate('family-name-order', level))
  ) {
    const [a, b] = ctx.familyParts as [string, string];
    const form = rng.int(0, 3);
    const value = form === 0 || form === 3 ? `${b} ${a}` : form === 1 ? a : `${a}-${b}`;
    if (value !== record.family_names) set(events, record, 'family-name-order', 'family_names', value);
  }

  if (rng.chance(scaledRate('transliteration', level))) {
    const column: FlatColumn = rng.chance(0.5) ? 'given_names' : 'family_names';
    const tryColumns: FlatColumn[] =
      column === 'given_names' ? ['given_names', 'family_names'] : ['family_names', 'given_names'];
    for (const c of tryColumns) {
      const value = record[c];
      const variants = value ? transliterationVariants(value, ctx.romanisation) : [];
      if (variants.length > 0) {
        set(events, record, 'transliteration', c, rng.pick(variants));
        break;
      }
    }
  }

  if (rng.chance(scaledRate('name-typo', level))) {
    const column: FlatColumn = rng.chance(0.5) ? 'given_names' : 'family_names';
    const value = record[column];
    if (value && !PLACEHOLDERS.has(value)) set(events, record, 'name-typo', column, typo(rng, value));
  }

  if (rng.chance(scaledRate('name-swap', level)) && record.given_names && record.family_names) {
    const given = record.given_names;
    const family = record.family_names;
    record.given_names = family;
    record.family_names = given;
    events.push({ noise: 'name-swap', detail: `given_names <-> family_names: ${given} / ${family}` });
  }

  if (rng.chance(scaledRate('name-placeholder', level))) {
    if (rng.chance(0.5)) set(events, record, 'name-placeholder', 'given_names', 'FNU');
    else set(events, record, 'name-placeholder', 'family_names', 'LNU');
  }

  let birthPlaceholder = false;
  if (
    rng.chance(scaledRate('birth-date-day-00', level)) &&
    record.birth_date &&
    ISO.test(record.birth_date)
  ) {
    set(events, record, 'birth-date-day-00', 'birth_date', `${record.birth_date.slice(0, 8)}00`);
    birthPlaceholder = true;
  }

  const formatRate = scaledRate('date-format', level);
  for (const column of DATE_COLUMNS) {
    const value = record[column];
    if (value === undefined || (column === 'birth_date' && birthPlaceholder)) continue;
    if (rng.chance(formatRate)) set(events, record, 'date-format', column, reformatDate(rng, value));
  }

  if (rng.chance(scaledRate('doc-number-ocr', level)) && record.doc_number) {
    const chars = [...record.doc_number];
    // The first character is the synthetic prefix: never touched, so the number stays visibly fake.
    const positions = chars
      .map((c, i) => (i > 0 && OCR_CONFUSIONS[c] !== undefined ? i : -1))
      .filter((i) => i >= 0);
    if (positions.length > 0) {
      const i = rng.pick(positions);
      chars[i] = OCR_CONFUSIONS[chars[i]!]!;
      set(events, record, 'doc-number-ocr', 'doc_number', chars.join(''));
    }
  }

  if (rng.chance(scaledRate('doc-number-missing', level)) && record.doc_number) {
    set(events, record, 'doc-number-missing', 'doc_number', undefined);
  }

  if (rng.chance(scaledRate('field-missing', level))) {
    const candidates: FlatColumn[] = ['sex', 'doc_expiry'];
    if (record.kind === 'Departure') candidates.push('port');
    const present = candidates.filter((c) => record[c] !== undefined);
    if (present.length > 0) set(events, record, 'field-missing', rng.pick(present), undefined);
  }

  return events;
}
