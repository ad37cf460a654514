import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparisonsOf } from './comparison-vector.js';
import { explainVector, matchWeightOf, scoreVector, type LinkageModel } from './fellegi-sunter.js';

const comparisons = comparisonsOf([
  { name: 'family_name', kind: 'name' },
  { name: 'birth_date', kind: 'date' },
  { name: 'nationality', kind: 'code' },
]);
const model: LinkageModel = {
  comparisons,
  lambda: 0.001,
  m: [
    [0, 0.8, 0.05, 0.05, 0.03, 0.03, 0.02, 0.02],
    [0, 0.9, 0.04, 0.02, 0.02, 0.02],
    [0, 0.97, 0.03],
  ],
  u: [
    [0, 0.001, 0.001, 0.002, 0.01, 0.02, 0.001, 0.965],
    [0, 0.0001, 0.001, 0.0005, 0.01, 0.9884],
    [0, 0.05, 0.95],
  ],
  termFrequencies: [new Map([['SMITH', 0.01]]), null, new Map([['USA', 0.3]])],
};

describe('the match weight of a comparison vector', () => {
  it('is the sum the waterfall shows: the prior, each level weight, term frequencies on exact agreement', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 2 }),
        fc.constantFrom('SMITH', 'KOWALSKA', null),
        fc.constantFrom('USA', 'MEX', null),
        (name, date, code, family, nationality) => {
          const vector = Uint8Array.from([name, date, code]);
          const record = { values: [family, '19800101', nationality] };
          const explained = explainVector(model, vector, { id: 'a', ...record }).score;
          expect(matchWeightOf(model, vector, record)).toBe(explained.matchWeight);
          expect(scoreVector(model, vector, record)).toEqual(explained);
        },
      ),
    );
  });

  it('counts an exact agreement on a rare value more than one on a common value', () => {
    const vector = Uint8Array.from([1, 0, 0]);
    const rare = matchWeightOf(model, vector, { values: ['KOWALSKA', null, null] });
    const common = matchWeightOf(model, vector, { values: ['SMITH', null, null] });
    expect(common).toBeCloseTo(Math.log2(0.001 / 0.999) + Math.log2(0.8 / 0.01), 12);
    expect(rare).toBeCloseTo(Math.log2(0.001 / 0.999) + Math.log2(0.8 / 0.001), 12);
  });
});
