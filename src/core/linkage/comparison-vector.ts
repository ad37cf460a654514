import { compareValues, LEVELS } from './compare-fields.js';
import type { FieldSpec, LinkRecord } from './link-record.js';

/**
 * The comparisons of one linkage: one per field spec, each with its levels. A pair of records becomes
 * a comparison vector (one level per field), which is all the model sees of it.
 */
export interface Comparisons {
  readonly fields: readonly FieldSpec[];
  readonly levels: readonly (readonly string[])[];
  /** For a name field, the position of the other name field (given <-> family), else -1. */
  readonly otherName: readonly number[];
}

export function comparisonsOf(fields: readonly FieldSpec[]): Comparisons {
  const given = fields.findIndex((f) => f.name === 'given_name');
  const family = fields.findIndex((f) => f.name === 'family_name');
  return {
    fields,
    levels: fields.map((f) => LEVELS[f.kind]),
    otherName: fields.map((f) => (f.name === 'given_name' ? family : f.name === 'family_name' ? given : -1)),
  };
}

/** Writes the comparison vector of records a and b into `out` (one level per field). */
export function compareRecords(
  c: Comparisons,
  a: Pick<LinkRecord, 'values'>,
  b: Pick<LinkRecord, 'values'>,
  out: Uint8Array,
): Uint8Array {
  const fields = c.fields;
  for (let f = 0; f < fields.length; f++) {
    const o = c.otherName[f]!;
    out[f] =
      o < 0
        ? compareValues(fields[f]!.kind, a.values[f]!, b.values[f]!)
        : compareValues(fields[f]!.kind, a.values[f]!, b.values[f]!, a.values[o], b.values[o]);
  }
  return out;
}
