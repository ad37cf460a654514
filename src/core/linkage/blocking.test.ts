import { describe, expect, it } from 'vitest';
import { blocksOfRules, candidatePairs, countCandidatePairs, type BlockingRule } from './blocking.js';
import type { LinkRecord } from './link-record.js';

const records: LinkRecord[] = [
  { id: 'a', values: ['SMITH', '19800101'] },
  { id: 'b', values: ['SMITH', '19800101'] },
  { id: 'c', values: ['SMITH', '19900202'] },
  { id: 'd', values: [null, '19900202'] },
];
const rules: BlockingRule[] = [
  { name: 'name', trains: false, key: (r) => r.values[0] ?? null },
  { name: 'birth date', trains: true, key: (r) => r.values[1] ?? null },
];

describe('blocking', () => {
  it('counts each rule before pairing, and makes each pair once however many rules find it', () => {
    const blocks = blocksOfRules(rules, records);
    expect(countCandidatePairs(blocks)).toEqual([
      { rule: 'name', pairs: 3, largestBlock: 3 },
      { rule: 'birth date', pairs: 2, largestBlock: 2 },
    ]);
    const pairs = candidatePairs(blocks, records.length);
    const listed = Array.from(pairs.left, (l, k) => `${records[l]!.id}-${records[pairs.right[k]!]!.id}`);
    expect(listed).toEqual(['a-b', 'a-c', 'b-c', 'c-d']); // a-b found by both rules, listed once
  });

  it('in link mode, pairs only records of different files', () => {
    const side = [0, 1, 0, 1];
    const blocks = blocksOfRules(rules, records);
    expect(countCandidatePairs(blocks, (i) => side[i]!).map((c) => c.pairs)).toEqual([2, 2]);
    const pairs = candidatePairs(blocks, records.length, (i) => side[i]!);
    expect(Array.from(pairs.left, (l, k) => side[l] !== side[pairs.right[k]!])).toEqual([true, true, true]);
  });
});
