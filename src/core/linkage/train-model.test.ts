import { describe, expect, it } from 'vitest';
import { comparisonsOf } from './comparison-vector.js';
import { estimateM, seededRandom } from './train-model.js';

describe('expectation maximisation', () => {
  it('recovers the share of matches and the m-probabilities from unlabelled comparison vectors', () => {
    // Three code fields (levels: missing, exact, else). Matches agree 95 % of the time, non-matches 10 %.
    const c = comparisonsOf([
      { name: 'a', kind: 'code' },
      { name: 'b', kind: 'code' },
      { name: 'c', kind: 'code' },
    ]);
    const random = seededRandom(7);
    const patterns = new Map<string, { vector: Uint8Array; count: number }>();
    const trueLambda = 0.3;
    for (let k = 0; k < 100_000; k++) {
      const match = random() < trueLambda;
      const v = Uint8Array.from([0, 0, 0], () => (random() < (match ? 0.95 : 0.1) ? 1 : 2));
      const key = v.join();
      const p = patterns.get(key);
      if (p) p.count++;
      else patterns.set(key, { vector: v, count: 1 });
    }
    const u = [0, 1, 2].map(() => [0, 0.1, 0.9]);
    const em = estimateM(c, patterns.values(), u);
    expect(em.lambda).toBeGreaterThan(0.28);
    expect(em.lambda).toBeLessThan(0.32);
    for (const m of em.m) expect(m[1]).toBeGreaterThan(0.93);
    for (const m of em.m) expect(m[1]).toBeLessThan(0.97);
  });

  it('counts a reviewer\'s "same" as a match in every iteration', () => {
    const c = comparisonsOf([
      { name: 'a', kind: 'code' },
      { name: 'b', kind: 'code' },
    ]);
    // Unlabelled, matches agree on both fields; reviewers decided that 50 pairs agreeing on a only were one person.
    const patterns = [
      { vector: Uint8Array.from([1, 1]), count: 1_000 },
      { vector: Uint8Array.from([2, 2]), count: 100_000 },
      { vector: Uint8Array.from([2, 1]), count: 1_000 },
    ];
    const u = [
      [0, 0.01, 0.99],
      [0, 0.01, 0.99],
    ];
    const without = estimateM(c, patterns, u);
    const labelled = Array.from({ length: 50 }, () => ({ vector: Uint8Array.from([1, 2]), same: true }));
    const withLabels = estimateM(c, patterns, u, { labelled });
    expect(withLabels.m[1]![2]!).toBeGreaterThan(without.m[1]![2]! + 0.02);
  });
});
