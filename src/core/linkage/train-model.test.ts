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
});
