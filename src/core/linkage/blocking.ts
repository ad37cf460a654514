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
    // Day and month typos and swaps; with the given name's initial where there is one, because a common
    // family name born in a given year makes blocks that grow with the square of the population.
    rules.push({
      name:
        given >= 0 ? 'family-name sound + given-name initial + birth year' : 'family-name sound + birth year',
      trains: true,
      key: (r) =>
        join(sound(v(r, family)), given >= 0 ? initial(v(r, given)) : '', v(r, dob)?.slice(0, 4) ?? null),
    });
  const nationality = at('nationality');
  const sex = at('sex');
  if (given >= 0 && family >= 0)
    // Birth-year typos: the names' sounds with the day and month of birth. Without a birth date, the
    // names with nationality and sex where there are (names alone make blocks of thousands).
    rules.push(
      dob >= 0
        ? {
            name: 'given- and family-name sounds + birth day and month',
            trains: false,
            key: (r) => join(sound(v(r, given)), sound(v(r, family)), v(r, dob)?.slice(4) ?? null),
          }
        : {
            name: `given- and family-name sounds${nationality >= 0 ? ' + nationality' : ''}${sex >= 0 ? ' + sex' : ''}`,
            trains: false,
            key: (r) =>
              join(
                sound(v(r, given)),
                sound(v(r, family)),
                nationality >= 0 ? (v(r, nationality) ?? '') : '',
                sex >= 0 ? (v(r, sex) ?? '') : '',
              ),
          },
    );
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

/** A rule's blocks of two or more records (positions ascending): computed once, used for counts and pairs. */
export interface RuleBlocks {
  readonly rule: BlockingRule;
  readonly blocks: readonly Int32Array[];
}

/** Groups record positions by each rule's key, keeping the blocks that make pairs. */
export function blocksOfRules(rules: readonly BlockingRule[], records: readonly LinkRecord[]): RuleBlocks[] {
  return rules.map((rule) => {
    const byKey = new Map<string, number[]>();
    for (let i = 0; i < records.length; i++) {
      const key = rule.key(records[i]!);
      if (key === null) continue;
      const block = byKey.get(key);
      if (block) block.push(i);
      else byKey.set(key, [i]);
    }
    const blocks: Int32Array[] = [];
    for (const block of byKey.values()) if (block.length > 1) blocks.push(Int32Array.from(block));
    return { rule, blocks };
  });
}

/** The pairs each rule would create, counted before any pair is made (to warn before a rule explodes). */
export function countCandidatePairs(
  ruleBlocks: readonly RuleBlocks[],
  sideOf?: (i: number) => number,
): RuleCount[] {
  return ruleBlocks.map(({ rule, blocks }) => {
    let pairs = 0;
    let largestBlock = 0;
    for (const block of blocks) {
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
  ruleBlocks: readonly RuleBlocks[],
  n: number,
  sideOf?: (i: number) => number,
): PairList {
  let codes = new Float64Array(1024);
  let size = 0;
  for (const { blocks } of ruleBlocks) {
    for (const block of blocks) {
      const m = block.length;
      if (size + (m * (m - 1)) / 2 > codes.length) {
        const bigger = new Float64Array(Math.max(codes.length * 2, size + (m * (m - 1)) / 2));
        bigger.set(codes.subarray(0, size));
        codes = bigger;
      }
      for (let x = 0; x < m; x++)
        for (let y = x + 1; y < m; y++) {
          const i = block[x]!;
          const j = block[y]!; // positions ascend within a block: i < j
          if (!sideOf || sideOf(i) !== sideOf(j)) codes[size++] = i * n + j;
        }
    }
  }
  const sorted = codes.subarray(0, size).sort();
  let unique = 0;
  for (let k = 0; k < sorted.length; k++)
    if (k === 0 || sorted[k] !== sorted[k - 1]) sorted[unique++] = sorted[k]!;
  const left = new Int32Array(unique);
  const right = new Int32Array(unique);
  for (let k = 0; k < unique; k++) {
    const code = sorted[k]!;
    left[k] = Math.floor(code / n);
    right[k] = code - left[k]! * n;
  }
  return { left, right };
}
