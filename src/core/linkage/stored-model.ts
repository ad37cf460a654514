import { LEVELS } from './compare-fields.js';
import { comparisonsOf } from './comparison-vector.js';
import type { LinkageModel } from './fellegi-sunter.js';
import type { FieldKind, FieldSpec } from './link-record.js';

/**
 * A trained model as data (JSON), the form the store keeps (table linkage_model) and a file ships in:
 * each field with its kind, m and u per level (level 0, missing, is not stored), λ, and the term
 * frequencies of its most common values.
 */
export interface StoredModel {
  readonly format: 1;
  readonly lambda: number;
  readonly fields: readonly {
    readonly name: string;
    readonly kind: FieldKind;
    readonly levels: readonly { readonly level: string; readonly m: number; readonly u: number }[];
    /** [value, share of records] of the most common values, or null: no term-frequency adjustment. */
    readonly termFrequencies: readonly (readonly [string, number])[] | null;
  }[];
}

export class StoredModelError extends Error {
  readonly code = 'LINKAGE_MODEL_INVALID';
}

/** Keeps the `keep` commonest values of each field: a rare value unlisted falls back to the level's weight. */
export function toStoredModel(model: LinkageModel, keep = 2000): StoredModel {
  const c = model.comparisons;
  return {
    format: 1,
    lambda: model.lambda,
    fields: c.fields.map((f, i) => ({
      name: f.name,
      kind: f.kind,
      levels: c.levels[i]!.slice(1).map((level, k) => ({
        level,
        m: model.m[i]![k + 1]!,
        u: model.u[i]![k + 1]!,
      })),
      termFrequencies:
        model.termFrequencies[i] === null || model.termFrequencies[i] === undefined
          ? null
          : [...model.termFrequencies[i].entries()].sort((a, b) => b[1] - a[1]).slice(0, keep),
    })),
  };
}

/** Reads a stored model back, checking it against the fields the caller compares. */
export function fromStoredModel(data: unknown, expected: readonly FieldSpec[]): LinkageModel {
  const given = data as Partial<StoredModel> | null;
  if (given === null || typeof given !== 'object' || given.format !== 1 || !Array.isArray(given.fields))
    throw new StoredModelError('not a stored linkage model (format 1)');
  const s = given as StoredModel;
  if (!(s.lambda > 0 && s.lambda < 1)) throw new StoredModelError(`lambda ${s.lambda} is not a probability`);
  const names = s.fields.map((f) => `${f.name}:${f.kind}`).join(',');
  const wanted = expected.map((f) => `${f.name}:${f.kind}`).join(',');
  if (names !== wanted)
    throw new StoredModelError(`the model compares ${names}; this linkage compares ${wanted}`);
  const m: number[][] = [];
  const u: number[][] = [];
  for (const f of s.fields) {
    const labels = LEVELS[f.kind].slice(1);
    if (f.levels.length !== labels.length || f.levels.some((l, k) => l.level !== labels[k]))
      throw new StoredModelError(`field ${f.name}: levels differ from ${labels.join(' / ')}`);
    for (const l of f.levels)
      if (!(l.m > 0 && l.m <= 1 && l.u > 0 && l.u <= 1))
        throw new StoredModelError(
          `field ${f.name}, level ${l.level}: m and u must be probabilities above 0`,
        );
    m.push([0, ...f.levels.map((l) => l.m)]);
    u.push([0, ...f.levels.map((l) => l.u)]);
  }
  return {
    comparisons: comparisonsOf(expected),
    lambda: s.lambda,
    m,
    u,
    termFrequencies: s.fields.map((f) => (f.termFrequencies === null ? null : new Map(f.termFrequencies))),
  };
}
