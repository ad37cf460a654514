import { compareRecords, type Comparisons } from './comparison-vector.js';
import type { LinkageModel } from './fellegi-sunter.js';
import type { LinkRecord } from './link-record.js';
import { seededRandom } from '../seeded-random.js';

/** Pairs as two parallel arrays of record positions. */
export interface PairList {
  readonly left: Int32Array;
  readonly right: Int32Array;
}

/** The seeded generator training draws its random pairs from (core/seeded-random.ts). */
export { seededRandom };

/** Comparison vectors counted by pattern: EM then runs over thousands of patterns, not millions of pairs. */
export function vectorPatterns(
  c: Comparisons,
  records: readonly LinkRecord[],
  pairs: PairList,
): Map<string, { vector: Uint8Array; count: number }> {
  const out = new Map<string, { vector: Uint8Array; count: number }>();
  const v = new Uint8Array(c.fields.length);
  for (let k = 0; k < pairs.left.length; k++) {
    compareRecords(c, records[pairs.left[k]!]!, records[pairs.right[k]!]!, v);
    const key = String.fromCharCode(...v);
    const seen = out.get(key);
    if (seen) seen.count++;
    else out.set(key, { vector: v.slice(), count: 1 });
  }
  return out;
}

/**
 * u-probabilities from random pairs: nearly every random pair is two different persons, so how often
 * random pairs agree at each level is how often non-matches do. Add-one smoothing keeps a level never
 * seen among the samples from weighing infinitely.
 */
export function estimateU(
  c: Comparisons,
  records: readonly LinkRecord[],
  samplePair: (random: () => number) => [number, number],
  samples: number,
  seed = 1,
): number[][] {
  const random = seededRandom(seed);
  const counts = c.levels.map((levels) => new Float64Array(levels.length));
  const v = new Uint8Array(c.fields.length);
  for (let s = 0; s < samples; s++) {
    const [i, j] = samplePair(random);
    compareRecords(c, records[i]!, records[j]!, v);
    for (let f = 0; f < v.length; f++) counts[f]![v[f]!]!++;
  }
  return counts.map((levelCounts) => normalise(levelCounts, 1));
}

/** Shares of each level except 0 (missing), with `smoothing` added to every count. */
function normalise(counts: Float64Array, smoothing: number): number[] {
  let total = 0;
  for (let l = 1; l < counts.length; l++) total += counts[l]! + smoothing;
  return Array.from(counts, (n, l) => (l === 0 ? 0 : (n + smoothing) / total));
}

/** Starting m-probabilities: most matches agree exactly, few disagree outright. */
function initialM(levels: number): number[] {
  const m = [0, 0.8];
  const middle = levels - 3;
  for (let l = 0; l < middle; l++) m.push(0.15 / middle);
  m.push(0.05);
  return middle === 0 ? [0, 0.95, 0.05] : m;
}

export interface EmResult {
  readonly lambda: number;
  readonly m: number[][];
  readonly iterations: number;
}

/**
 * m-probabilities and the share of matches among the given pairs by expectation maximisation, without
 * labels, with u held fixed (estimated from random pairs, where it is reliable). Converges in tens of
 * iterations over the distinct comparison patterns.
 */
export function estimateM(
  c: Comparisons,
  patterns: Iterable<{ vector: Uint8Array; count: number }>,
  u: readonly (readonly number[])[],
  options: {
    maxIterations?: number;
    tolerance?: number;
    initialLambda?: number;
    /** The pairs λ is a share of, when the patterns are only some of them (the rest taken as non-matches). */
    allPairs?: number;
    /**
     * Pairs a person decided (identity review): a "same" pair counts as a match in every iteration, a
     * "different" pair as none, instead of EM's guess. They do not move λ (they are not a sample).
     */
    labelled?: readonly { readonly vector: Uint8Array; readonly same: boolean }[];
  } = {},
): EmResult {
  const list = [...patterns];
  const total = options.allPairs ?? list.reduce((n, p) => n + p.count, 0);
  let m = c.levels.map((levels) => initialM(levels.length));
  let lambda = options.initialLambda ?? 0.1;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-6;
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const counts = c.levels.map((levels) => new Float64Array(levels.length));
    let matches = 0;
    for (const { vector, count } of list) {
      let logOdds = Math.log(lambda / (1 - lambda));
      for (let f = 0; f < vector.length; f++) {
        const l = vector[f]!;
        if (l !== 0) logOdds += Math.log(Math.max(m[f]![l]!, 1e-12) / u[f]![l]!);
      }
      const p = 1 / (1 + Math.exp(-logOdds));
      const weight = p * count;
      matches += weight;
      for (let f = 0; f < vector.length; f++) counts[f]![vector[f]!]! += weight;
    }
    for (const { vector, same } of options.labelled ?? [])
      if (same) for (let f = 0; f < vector.length; f++) counts[f]![vector[f]!]! += 1;
    const next = counts.map((levelCounts) => normalise(levelCounts, 1e-3));
    const nextLambda = Math.min(Math.max(matches / total, 1e-9), 1 - 1e-9);
    let change = Math.abs(nextLambda - lambda);
    for (let f = 0; f < m.length; f++)
      for (let l = 1; l < m[f]!.length; l++) change = Math.max(change, Math.abs(next[f]![l]! - m[f]![l]!));
    m = next;
    lambda = nextLambda;
    if (change < tolerance) break;
  }
  return { lambda, m, iterations };
}

/** Field kinds whose exact agreements are weighed by how common the value is. */
const TERM_FREQUENCY_KINDS = new Set(['name', 'text', 'postcode']);

export function termFrequencies(
  c: Comparisons,
  records: readonly LinkRecord[],
): (ReadonlyMap<string, number> | null)[] {
  return c.fields.map((spec, f) => {
    if (!TERM_FREQUENCY_KINDS.has(spec.kind)) return null;
    const counts = new Map<string, number>();
    let present = 0;
    for (const r of records) {
      const v = r.values[f];
      if (v === null || v === undefined) continue;
      present++;
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const shares = new Map<string, number>();
    for (const [v, n] of counts) shares.set(v, n / Math.max(present, 1));
    return shares;
  });
}

export interface TrainingOptions {
  /** All pairs that could be linked: n(n-1)/2 records of one file, or the product of two files' sizes. */
  readonly allPairs: number;
  readonly uSamples?: number;
  readonly seed?: number;
  /** Draws a random pair of records that could be linked (any two, or one from each file). */
  readonly samplePair: (random: () => number) => [number, number];
  /** Reviewers' decisions as comparison vectors (see estimateM). */
  readonly labelled?: readonly { readonly vector: Uint8Array; readonly same: boolean }[];
}

/**
 * Trains a model without labels. EM runs over the candidate pairs, but λ is their expected matches as a
 * share of every pair that could be linked (the others, never blocked together, are taken as
 * non-matches). λ is then the small chance that two records are one person, and a candidate pair needs
 * real evidence to count as a match. Estimated as a share of the candidate pairs, most of which match,
 * EM can decide that nearly all of them do (with few fields it does), and then every disagreement looks
 * like something matches often have.
 */
export function trainModel(
  c: Comparisons,
  records: readonly LinkRecord[],
  candidates: PairList,
  options: TrainingOptions,
): LinkageModel & { readonly iterations: number } {
  const u = estimateU(c, records, options.samplePair, options.uSamples ?? 200_000, options.seed ?? 1);
  const allPairs = Math.max(options.allPairs, candidates.left.length, 1);
  const em = estimateM(c, vectorPatterns(c, records, candidates).values(), u, {
    allPairs,
    initialLambda: (0.5 * candidates.left.length) / allPairs,
    ...(options.labelled ? { labelled: options.labelled } : {}),
  });
  return {
    comparisons: c,
    lambda: em.lambda,
    m: em.m,
    u,
    termFrequencies: termFrequencies(c, records),
    iterations: em.iterations,
  };
}
