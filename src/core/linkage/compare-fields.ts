import { doubleMetaphone } from 'double-metaphone';
import jaroWinkler from 'talisman/metrics/jaro-winkler.js';
import type { FieldKind } from './link-record.js';

/**
 * The agreement levels of each kind of field, best first. Level 0 of every comparison is "missing"
 * (either side has no value): it weighs nothing either way. The last level is "else": disagreement.
 */
export const LEVELS: Record<FieldKind, readonly string[]> = {
  name: [
    'missing',
    'exact',
    'same names in another order',
    'Jaro-Winkler >= 0.94',
    'Jaro-Winkler >= 0.85',
    'same sound (double metaphone)',
    'swapped with the other name field',
    'else',
  ],
  date: ['missing', 'exact', 'one digit differs', 'day and month swapped', 'within a year', 'else'],
  document: ['missing', 'exact', 'one OCR confusion', 'one character differs', 'else'],
  code: ['missing', 'exact', 'else'],
  postcode: ['missing', 'exact', 'one character differs', 'else'],
  text: ['missing', 'exact', 'Jaro-Winkler >= 0.92', 'Jaro-Winkler >= 0.75', 'else'],
};

/** The level index of "exact" in every kind: where term frequencies adjust the weight. */
export const EXACT = 1;

/** The level of two values of a field; `otherA`/`otherB` are the other name field (given vs family). */
export function compareValues(
  kind: FieldKind,
  a: string | null,
  b: string | null,
  otherA: string | null = null,
  otherB: string | null = null,
): number {
  if (a === null || b === null) return 0;
  if (a === b) return EXACT;
  switch (kind) {
    case 'name':
      return compareNames(a, b, otherA, otherB);
    case 'date':
      return compareDates(a, b);
    case 'document':
      if (oneOcrConfusion(a, b)) return 2;
      return oneCharacterApart(a, b) ? 3 : 4;
    case 'code':
      return 2;
    case 'postcode':
      return oneCharacterApart(a, b) ? 2 : 3;
    case 'text': {
      const s = jaroWinkler(a, b);
      return s >= 0.92 ? 2 : s >= 0.75 ? 3 : 4;
    }
  }
}

function compareNames(a: string, b: string, otherA: string | null, otherB: string | null): number {
  // Several family names in another order, or one of them left out: MALDONADO KAPLAN ~ KAPLAN.
  if (a.includes(' ') || b.includes(' ')) {
    const ta = a.split(' ');
    const tb = b.split(' ');
    const [small, large] = ta.length <= tb.length ? [ta, new Set(tb)] : [tb, new Set(ta)];
    if (small.every((t) => large.has(t))) return 2;
  }
  const s = jaroWinkler(a, b);
  if (s >= 0.94) return 3;
  if (s >= 0.85) return 4;
  if (soundsAlike(a, b)) return 5;
  if ((otherB !== null && a === otherB) || (otherA !== null && b === otherA)) return 6;
  return 7;
}

const metaphoneCache = new Map<string, readonly [string, string]>();

/** Double metaphone codes, cached: the same names recur across millions of pairs. */
export function metaphone(name: string): readonly [string, string] {
  let codes = metaphoneCache.get(name);
  if (codes === undefined) {
    codes = doubleMetaphone(name);
    // Bounded, and large enough for a daily import's names: at 200,000 the 320,000 distinct names of
    // the bench's second million rows emptied it again and again (2.3 s of lookups and recomputes).
    if (metaphoneCache.size >= 500_000) metaphoneCache.clear();
    metaphoneCache.set(name, codes);
  }
  return codes;
}

function soundsAlike(a: string, b: string): boolean {
  const [a1, a2] = metaphone(a);
  const [b1, b2] = metaphone(b);
  return a1 !== '' && (a1 === b1 || a1 === b2 || (a2 !== '' && (a2 === b1 || a2 === b2)));
}

function compareDates(a: string, b: string): number {
  let differing = 0;
  for (let i = 0; i < 8; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) differing++;
  if (differing === 1) return 2;
  if (a.slice(0, 4) === b.slice(0, 4) && a.slice(4, 6) === b.slice(6, 8) && a.slice(6, 8) === b.slice(4, 6))
    return 3;
  const days = Math.abs(dayNumber(a) - dayNumber(b));
  return Number.isFinite(days) && days <= 365 ? 4 : 5;
}

const dayNumber = (d: string) =>
  Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8))) / 86_400_000;

/** Characters a document reader (or a clerk) confuses with a digit. */
const OCR: Record<string, string> = { O: '0', I: '1', S: '5', B: '8' };

/** Equal but for one position where one side has a letter the other side's digit is confused with. */
export function oneOcrConfusion(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (at >= 0) return false;
    at = i;
  }
  return at >= 0 && (OCR[a[at]!] === b[at] || OCR[b[at]!] === a[at]);
}

/** One substitution, insertion or deletion apart. */
function oneCharacterApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
