import { EXACT } from './compare-fields.js';
import type { Comparisons } from './comparison-vector.js';
import type { LinkRecord } from './link-record.js';

/**
 * A Fellegi-Sunter model: for each field and agreement level, m = P(level | same person) and
 * u = P(level | different persons), and lambda = P(same person) for two records of the linkage. A pair's match
 * weight is log2 of the prior odds plus, per field, log2(m / u); its probability follows from the weight.
 */
export interface LinkageModel {
  readonly comparisons: Comparisons;
  readonly lambda: number;
  /** [field][level]; level 0 (missing) is unused. */
  readonly m: readonly (readonly number[])[];
  readonly u: readonly (readonly number[])[];
  /**
   * Per field, the share of records holding each value, or null where no term-frequency adjustment
   * applies. An exact agreement on a rare value then counts more than one on a common value.
   */
  readonly termFrequencies: readonly (ReadonlyMap<string, number> | null)[];
}

export interface FieldContribution {
  readonly field: string;
  readonly level: string;
  /** log2(m / u), term-frequency adjusted for an exact agreement; 0 when a value is missing. */
  readonly weight: number;
  /** Part of the weight due to the term frequency of the agreeing value (0 when none applies). */
  readonly termFrequencyAdjustment: number;
}

export interface PairScore {
  readonly matchWeight: number;
  readonly probability: number;
}

export const probabilityOf = (weight: number) => 1 / (1 + 2 ** -weight);
export const weightOf = (probability: number) => Math.log2(probability / (1 - probability));

/** The weight one field adds at a level (and the agreeing value, for the term-frequency adjustment). */
function fieldWeight(model: LinkageModel, f: number, level: number, value: string | null): [number, number] {
  if (level === 0) return [0, 0];
  const m = model.m[f]![level]!;
  const u = model.u[f]![level]!;
  const base = Math.log2(m / u);
  const tf = model.termFrequencies[f];
  if (level !== EXACT || tf === null || tf === undefined || value === null) return [base, 0];
  const share = tf.get(value);
  if (share === undefined) return [base, 0];
  // The level's u is the chance that two different persons agree on any value; for this value it is
  // the value's share. Never more confident than the rarest value seen once in a million pairs.
  const adjusted = Math.log2(m / Math.max(share, 1e-6));
  return [adjusted, adjusted - base];
}

export function scoreVector(model: LinkageModel, vector: Uint8Array, a: Valued): PairScore {
  const w = matchWeightOf(model, vector, a);
  return { matchWeight: w, probability: probabilityOf(w) };
}

/**
 * The match weight of a comparison vector, as scoreVector's, without allocating: the resolver weighs
 * millions of candidate pairs per import and keeps only the best of each record.
 */
export function matchWeightOf(model: LinkageModel, vector: Uint8Array, a: Valued): number {
  const base = baseWeightsOf(model);
  let w = base.prior;
  for (let f = 0; f < vector.length; f++) {
    const level = vector[f]!;
    if (level === 0) continue;
    const tf = level === EXACT ? model.termFrequencies[f] : null;
    const value = a.values[f] ?? null;
    const share = tf === null || tf === undefined || value === null ? undefined : tf.get(value);
    w +=
      share === undefined ? base.weights[f]![level]! : Math.log2(model.m[f]![level]! / Math.max(share, 1e-6));
  }
  return w;
}

/** A record as scoring reads it: its values in field order. */
type Valued = Pick<LinkRecord, 'values'>;

const baseWeights = new WeakMap<LinkageModel, { prior: number; weights: Float64Array[] }>();

/** log2(m / u) of every field and level, and the prior, computed once per model. */
function baseWeightsOf(model: LinkageModel): { prior: number; weights: Float64Array[] } {
  let b = baseWeights.get(model);
  if (b === undefined) {
    b = {
      prior: Math.log2(model.lambda / (1 - model.lambda)),
      weights: model.m.map((levels, f) =>
        Float64Array.from(levels, (m, l) => Math.log2(m / model.u[f]![l]!)),
      ),
    };
    baseWeights.set(model, b);
  }
  return b;
}

/** The waterfall of a pair: the prior, then each field's contribution, in field order. */
export function explainVector(
  model: LinkageModel,
  vector: Uint8Array,
  a: LinkRecord,
): { prior: number; fields: FieldContribution[]; score: PairScore } {
  const prior = Math.log2(model.lambda / (1 - model.lambda));
  const fields = model.comparisons.fields.map((spec, f) => {
    const level = vector[f]!;
    const [weight, termFrequencyAdjustment] = fieldWeight(model, f, level, a.values[f] ?? null);
    return { field: spec.name, level: model.comparisons.levels[f]![level]!, weight, termFrequencyAdjustment };
  });
  const total = fields.reduce((w, c) => w + c.weight, prior);
  return { prior, fields, score: { matchWeight: total, probability: probabilityOf(total) } };
}
