/**
 * Clusters of records that are one person. Plain connected components chain strangers together: one
 * weak link between two people's records joins everything each of them was linked to. Here links are
 * taken strongest first, and two clusters merge only when, on average over every pair across them, their
 * records are a match (average linkage) and no pair across them must not link (a reviewer's "different",
 * two passengers on one manifest, two conflicting documents).
 */
export interface ClusterInput {
  readonly size: number;
  /** Candidate links: positions and match probability. */
  readonly links: readonly { readonly a: number; readonly b: number; readonly probability: number }[];
  /** Match probability of any two records (for pairs across clusters that were never candidates). */
  readonly probability: (a: number, b: number) => number;
  /** True when a and b must not be in one cluster. */
  readonly cannotLink?: (a: number, b: number) => boolean;
  /** Links at or above this probability are taken; clusters merge at this average. */
  readonly threshold: number;
  /** Clusters are not grown past this many records (a guard against runaway merges). */
  readonly maxClusterSize?: number;
}

/** The cluster of each record, as the smallest record position in it. */
export function clusterLinks(input: ClusterInput): Int32Array {
  const n = input.size;
  const parent = new Int32Array(n);
  const members: number[][] = [];
  for (let i = 0; i < n; i++) {
    parent[i] = i;
    members.push([i]);
  }
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const maxSize = input.maxClusterSize ?? 1000;

  const links = input.links.filter((l) => l.probability >= input.threshold);
  links.sort((x, y) => y.probability - x.probability || x.a - y.a || x.b - y.b);
  for (const { a, b } of links) {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) continue;
    const A = members[ra]!;
    const B = members[rb]!;
    if (A.length + B.length > maxSize) continue;
    if (A.length + B.length === 2) {
      // Two single records: the link itself is the average.
      if (input.cannotLink?.(a, b)) continue;
    } else if (!mayMerge(A, B, input.probability, input.cannotLink, input.threshold)) continue;
    const [big, small] = A.length >= B.length ? [ra, rb] : [rb, ra];
    parent[small] = big;
    members[big]!.push(...members[small]!);
    members[small] = [];
  }
  const cluster = new Int32Array(n);
  const smallest = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    if (!smallest.has(r)) smallest.set(r, i); // positions ascend, so the first seen is the smallest
    cluster[i] = smallest.get(r)!;
  }
  return cluster;
}

function mayMerge(
  A: readonly number[],
  B: readonly number[],
  probability: (a: number, b: number) => number,
  cannotLink: ((a: number, b: number) => boolean) | undefined,
  threshold: number,
): boolean {
  let sum = 0;
  for (const a of A)
    for (const b of B) {
      if (cannotLink?.(a, b)) return false;
      sum += probability(a, b);
    }
  return sum / (A.length * B.length) >= threshold;
}
