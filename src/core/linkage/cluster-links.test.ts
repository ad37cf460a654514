import { describe, expect, it } from 'vitest';
import { clusterLinks } from './cluster-links.js';

/** Records 0, 1 are one person and 2, 3 another; `p` gives every pair's probability. */
function probabilities(pairs: Record<string, number>) {
  return (a: number, b: number) => pairs[`${Math.min(a, b)}-${Math.max(a, b)}`] ?? 0.01;
}

describe('clustering links', () => {
  it('does not chain two people together through one weak link', () => {
    const p = probabilities({ '0-1': 0.99, '2-3': 0.99, '1-2': 0.6 });
    const links = [
      { a: 0, b: 1, probability: 0.99 },
      { a: 2, b: 3, probability: 0.99 },
      { a: 1, b: 2, probability: 0.6 },
    ];
    const cluster = clusterLinks({ size: 4, links, probability: p, threshold: 0.5 });
    expect([...cluster]).toEqual([0, 0, 2, 2]);
    // Connected components would have made one person of all four.
  });

  it('merges clusters whose records agree on average', () => {
    const p = probabilities({ '0-1': 0.99, '2-3': 0.99, '1-2': 0.9, '0-2': 0.8, '0-3': 0.7, '1-3': 0.8 });
    const links = [
      { a: 0, b: 1, probability: 0.99 },
      { a: 2, b: 3, probability: 0.99 },
      { a: 1, b: 2, probability: 0.9 },
    ];
    expect([...clusterLinks({ size: 4, links, probability: p, threshold: 0.5 })]).toEqual([0, 0, 0, 0]);
  });

  it('never puts two records that must not link in one cluster', () => {
    const links = [
      { a: 0, b: 1, probability: 0.99 },
      { a: 1, b: 2, probability: 0.99 },
    ];
    const cluster = clusterLinks({
      size: 3,
      links,
      probability: () => 0.99,
      cannotLink: (a, b) => (a === 0 && b === 2) || (a === 2 && b === 0),
      threshold: 0.5,
    });
    expect(cluster[0]).not.toBe(cluster[2]);
    expect(cluster[0]).toBe(cluster[1]);
  });
});
