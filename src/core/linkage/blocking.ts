import { metaphone } from './compare-fields.js';
import type { FieldSpec, LinkRecord } from './link-record.js';
import type { PairList } from './train-model.js';

/**
 * A blocking rule: records with the same key are compared; a record without a key (a value missing)
 * is not blocked by this rule. Several rules together find the pairs any one of them would miss.
 */
export interface BlockingRule {
  readonly name: string;
  readonly key: (r: LinkRecord) => string | null;
  /**
   * Whether the model trains on this rule's pairs: rules whose key holds a birth date or an identifier.
   * Pairs that share only names or an address are namesakes and households as often as one person;
   * trained on, they teach EM that a match may have another birth date and document.
   */
  readonly trains: boolean;
}

const initial = (v: string | null | undefined) => (v ? v[0]! : null);
const firstToken = (v: string | null | undefined) => (v ? v.split(' ')[0]! : null);
const sound = (v: string | null | undefined) => {
  const t = firstToken(v);
  return t ? metaphone(t)[0] || null : null;
};
const join = (...parts: (string | null)[]) => (parts.includes(null) ? null : parts.join('|'));

/** The default rules for the fields a linkage has: each uses fields present in the mapping only. */
export function defaultBlockingRules(fields: readonly FieldSpec[]): BlockingRule[] {
  const at = (name: string) => fields.findIndex((f) => f.name === name);
  const given = at('given_name');
  const family = at('family_name');
  const full = at('full_name');
  const dob = at('birth_date');
  const doc = at('document_number');
  const postcode = at('postcode');
  const v = (r: LinkRecord, i: number) => (i < 0 ? null : (r.values[i] ?? null));
  const rules: BlockingRule[] = [];
  const admission = at('admission_number');
  if (doc >= 0) rules.push({ name: 'document number', trains: true, key: (r) => v(r, doc) });
  if (admission >= 0) rules.push({ name: 'admission number', trains: true, key: (r) => v(r, admission) });
  if (dob >= 0 && family >= 0)
    rules.push({
      name: 'birth date + family-name initial',
      trains: true,
      key: (r) => join(v(r, dob), initial(v(r, family))),
    });
  if (dob >= 0 && given >= 0)
    rules.push({
      name: 'birth date + given-name initial',
      trains: true,
      key: (r) => join(v(r, dob), initial(v(r, given))),
    });
  if (dob >= 0 && given >= 0 && family >= 0)
    // Given and family names swapped: the initials in either order.
    rules.push({
      name: 'birth date + name initials in any order',
      trains: true,
      key: (r) => {
        const a = initial(v(r, given));
        const b = initial(v(r, family));
        return a === null || b === null ? null : join(v(r, dob), a < b ? a + b : b + a);
      },
    });
  if (dob >= 0 && postcode >= 0)
    rules.push({ name: 'birth date + postcode', trains: true, key: (r) => join(v(r, dob), v(r, postcode)) });
  if (dob >= 0 && family >= 0)
    rules.push({
      name: 'family-name sound + birth year',
      trains: true,
      key: (r) => join(sound(v(r, family)), v(r, dob)?.slice(0, 4) ?? null),
    });
  const nationality = at('nationality');
  if (given >= 0 && family >= 0)
    // With the nationality where there is one: common names otherwise make blocks of thousands.
    rules.push({
      name:
        nationality >= 0
          ? 'given- and family-name sounds + nationality'
          : 'given-name sound + family-name sound',
      trains: false,
      key: (r) =>
        join(sound(v(r, given)), sound(v(r, family)), nationality >= 0 ? (v(r, nationality) ?? '') : ''),
    });
  if (postcode >= 0 && given >= 0)
    rules.push({
      name: 'postcode + given-name sound',
      trains: false,
      key: (r) => join(v(r, postcode), sound(v(r, given))),
    });
  const address = at('address');
  const city = at('city');
  const compact = (x: string | null) => (x === null ? null : x.replace(/ /g, '').slice(0, 8) || null);
  if (address >= 0 && postcode >= 0)
    rules.push({
      name: 'address + postcode',
      trains: false,
      key: (r) => join(compact(v(r, address)), v(r, postcode)),
    });
  if (address >= 0 && city >= 0)
    rules.push({
      name: 'address + city sound',
      trains: false,
      key: (r) => join(compact(v(r, address)), sound(v(r, city))),
    });
  if (family >= 0 && city >= 0)
    rules.push({
      name: 'family-name sound + city sound',
      trains: false,
      key: (r) => join(sound(v(r, family)), sound(v(r, city))),
    });
  if (full >= 0)
    rules.push({
      name: 'full-name sound',
      trains: false,
      key: (r) => join(sound(v(r, full)), v(r, dob) ?? ''),
    });
  return rules;
}

export interface RuleCount {
  readonly rule: string;
  /** Pairs this rule alone creates (before pairs found by several rules are counted once). */
  readonly pairs: number;
  /** The largest block: where one key collects too many records, the rule explodes. */
  readonly largestBlock: number;
}

/** Groups record positions by key. */
function blocksOf(rule: BlockingRule, records: readonly LinkRecord[]): Map<string, number[]> {
  const blocks = new Map<string, number[]>();
  for (let i = 0; i < records.length; i++) {
    const key = rule.key(records[i]!);
    if (key === null) continue;
    const block = blocks.get(key);
    if (block) block.push(i);
    else blocks.set(key, [i]);
  }
  return blocks;
}

/** The pairs each rule would create, counted before any pair is made (to warn before a rule explodes). */
export function countCandidatePairs(
  rules: readonly BlockingRule[],
  records: readonly LinkRecord[],
  sideOf?: (i: number) => number,
): RuleCount[] {
  return rules.map((rule) => {
    let pairs = 0;
    let largestBlock = 0;
    for (const block of blocksOf(rule, records).values()) {
      largestBlock = Math.max(largestBlock, block.length);
      if (sideOf) {
        const left = block.filter((i) => sideOf(i) === 0).length;
        pairs += left * (block.length - left);
      } else pairs += (block.length * (block.length - 1)) / 2;
    }
    return { rule: rule.name, pairs, largestBlock };
  });
}

/**
 * Every pair at least one rule puts in the same block, once, as (smaller, larger) positions in
 * ascending order. In link mode (`sideOf`), only pairs of one record from each file.
 */
export function candidatePairs(
  rules: readonly BlockingRule[],
  records: readonly LinkRecord[],
  sideOf?: (i: number) => number,
): PairList {
  const n = records.length;
  let codes = new Float64Array(1024);
  let size = 0;
  const push = (i: number, j: number) => {
    if (size === codes.length) {
      const bigger = new Float64Array(codes.length * 2);
      bigger.set(codes);
      codes = bigger;
    }
    codes[size++] = i < j ? i * n + j : j * n + i;
  };
  for (const rule of rules) {
    for (const block of blocksOf(rule, records).values()) {
      for (let x = 0; x < block.length; x++)
        for (let y = x + 1; y < block.length; y++) {
          const i = block[x]!;
          const j = block[y]!;
          if (!sideOf || sideOf(i) !== sideOf(j)) push(i, j);
        }
    }
  }
  const sorted = codes.subarray(0, size).sort();
  const left: number[] = [];
  const right: number[] = [];
  for (let k = 0; k < sorted.length; k++) {
    if (k > 0 && sorted[k] === sorted[k - 1]) continue;
    const code = sorted[k]!;
    left.push(Math.floor(code / n));
    right.push(code % n);
  }
  return { left: Int32Array.from(left), right: Int32Array.from(right) };
}
