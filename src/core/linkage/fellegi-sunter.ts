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
  for (let f = 0; f < vector.length; f++) w += fieldWeight(model, base, f, vector[f]!, a.values[f] ?? null);
  return w;
}

/**
 * The weight one field adds at a level: log2(m / u), or for an exact agreement on a value with a term
 * frequency, log2(m / the value's share). The level's u is the chance that two different persons agree
 * on any value; for this value it is the value's share. Never more confident than the rarest value seen
 * once in a million pairs. Missing (level 0) weighs nothing.
 */
function fieldWeight(
  model: LinkageModel,
  base: BaseWeights,
  f: number,
  level: number,
  value: string | null,
): number {
  if (level === 0) return 0;
  const tf = level === EXACT ? model.termFrequencies[f] : null;
  const share = tf === null || tf === undefined || value === null ? undefined : tf.get(value);
  return share === undefined
    ? base.weights[f]![level]!
    : Math.log2(model.m[f]![level]! / Math.max(share, 1e-6));
}

/** A record as scoring reads it: its values in field order. */
type Valued = Pick<LinkRecord, 'values'>;

/** log2(m / u) of every field and level, and the prior: computed once per model. */
interface BaseWeights {
  readonly prior: number;
  readonly weights: readonly Float64Array[];
}

const baseWeights = new WeakMap<LinkageModel, BaseWeights>();

function baseWeightsOf(model: LinkageModel): BaseWeights {
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
  const base = baseWeightsOf(model);
  const prior = base.prior;
  const fields = model.comparisons.fields.map((spec, f) => {
    const level = vector[f]!;
    const weight = fieldWeight(model, base, f, level, a.values[f] ?? null);
    const plain = level === 0 ? 0 : base.weights[f]![level]!;
    const termFrequencyAdjustment = weight === plain ? 0 : weight - plain; // 0, not NaN, at an infinite weight
    return { field: spec.name, level: model.comparisons.levels[f]![level]!, weight, termFrequencyAdjustment };
  });
  const total = fields.reduce((w, c) => w + c.weight, prior);
  return { prior, fields, score: { matchWeight: total, probability: probabilityOf(total) } };
}
