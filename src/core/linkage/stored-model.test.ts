import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { PERSON_LINK_FIELDS } from './person-link.js';
import { fromStoredModel, StoredModelError, toStoredModel, type StoredModel } from './stored-model.js';

const bundled = JSON.parse(
  readFileSync(new URL('../../../config/linkage-model.json', import.meta.url), 'utf8'),
) as {
  model: StoredModel;
};

describe('stored linkage models', () => {
  it('the bundled model reads back and round-trips', () => {
    const model = fromStoredModel(bundled.model, PERSON_LINK_FIELDS);
    expect(model.lambda).toBeGreaterThan(0);
    expect(toStoredModel(model)).toEqual(bundled.model);
  });
  it('refuses a model for other fields, with what each compares', () => {
    expect(() => fromStoredModel(bundled.model, PERSON_LINK_FIELDS.slice(1))).toThrow(StoredModelError);
    expect(() => fromStoredModel(bundled.model, PERSON_LINK_FIELDS.slice(1))).toThrow(
      /the model compares given_name/,
    );
  });
  it('refuses what is not a model, and probabilities out of range', () => {
    expect(() => fromStoredModel({ format: 2 }, PERSON_LINK_FIELDS)).toThrow(/format 1/);
    const broken = structuredClone(bundled.model) as unknown as { fields: { levels: { m: number }[] }[] };
    broken.fields[0]!.levels[0]!.m = 0;
    expect(() => fromStoredModel(broken, PERSON_LINK_FIELDS)).toThrow(/given_name, level exact/);
  });
});
