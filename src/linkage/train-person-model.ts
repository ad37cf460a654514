import { blocksOfRules, candidatePairs } from '../core/linkage/blocking.js';
import { comparisonsOf } from '../core/linkage/comparison-vector.js';
import { PERSON_BLOCKING_RULES } from '../core/linkage/person-block-keys.js';
import { linkRecordOf, PERSON_LINK_FIELDS, type PersonLink } from '../core/linkage/person-link.js';
import { DEFAULT_THRESHOLDS } from '../core/linkage/place-record.js';
import { toStoredModel } from '../core/linkage/stored-model.js';
import { trainModel } from '../core/linkage/train-model.js';
import type { ModelRelease } from '../identity/active-model.js';

export class TrainingInputError extends Error {
  readonly code = 'LINKAGE_TRAINING_INPUT';
}

/**
 * Trains the store's model on person records (one per observation, not per person: the exact repeats
 * of a person's description are what teaches m of an exact agreement), without labels, as the file tool
 * does: u from random pairs, m and λ by EM over the pairs of the rules that hold a birth date or a
 * document (ADR 8).
 */
export function trainPersonModel(
  links: readonly PersonLink[],
  trainedOn: string,
  options: {
    seed?: number;
    labelled?: readonly { readonly vector: Uint8Array; readonly same: boolean }[];
  } = {},
): ModelRelease & { readonly candidatePairs: number; readonly iterations: number } {
  const n = links.length;
  if (n < 1000)
    throw new TrainingInputError(
      `training needs at least 1,000 records; there are ${n.toLocaleString('en-US')}`,
    );
  const records = links.map((l, i) => linkRecordOf(String(i), l));
  const pairs = candidatePairs(
    blocksOfRules(
      PERSON_BLOCKING_RULES.filter((r) => r.trains),
      records,
    ),
    n,
  );
  const model = trainModel(comparisonsOf(PERSON_LINK_FIELDS), records, pairs, {
    allPairs: (n * (n - 1)) / 2,
    uSamples: 300_000,
    seed: options.seed ?? 1,
    ...(options.labelled ? { labelled: options.labelled } : {}),
    samplePair: (random) => {
      const i = Math.floor(random() * n);
      return [i, (i + 1 + Math.floor(random() * (n - 1))) % n];
    },
  });
  return {
    trainedOn,
    thresholds: DEFAULT_THRESHOLDS,
    model: toStoredModel(model),
    candidatePairs: pairs.left.length,
    iterations: model.iterations,
  };
}
