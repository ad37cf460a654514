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

export function scoreVector(model: LinkageModel, vector: Uint8Array, a: LinkRecord): PairScore {
  let w = Math.log2(model.lambda / (1 - model.lambda));
  for (let f = 0; f < vector.length; f++) w += fieldWeight(model, f, vector[f]!, a.values[f] ?? null)[0];
  return { matchWeight: w, probability: probabilityOf(w) };
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
