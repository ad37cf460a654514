import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { FlatRecord } from './flat-columns.js';
import { parseFlatRecord } from './parse-flat-record.js';

// The published JSON Schema must describe exactly what the parser produces: every example in
// docs/formats.md is parsed, given provenance, and validated against docs/schemas/observation.schema.json.
const schema = JSON.parse(
  readFileSync(new URL('../../../docs/schemas/observation.schema.json', import.meta.url), 'utf8'),
) as object;
const docs = readFileSync(new URL('../../../docs/formats.md', import.meta.url), 'utf8');
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

const flatExamples = [...docs.matchAll(/```json flat\n([\s\S]*?)```/g)].map(
  (m) => JSON.parse(m[1]!) as FlatRecord,
);
const canonicalExamples = [...docs.matchAll(/```json canonical\n([\s\S]*?)```/g)].map(
  (m) => JSON.parse(m[1]!) as unknown,
);

describe('observation JSON Schema', () => {
  it('docs/formats.md has an example of each kind in both forms', () => {
    expect(flatExamples.map((e) => e.kind).sort()).toEqual([
      'Admission',
      'Arrival',
      'Departure',
      'StatusChange',
    ]);
    expect(canonicalExamples).toHaveLength(4);
  });

  it.each(flatExamples.map((e) => [e.kind, e] as const))(
    'the parsed %s example is valid and equals its canonical form',
    (_kind, flat) => {
      const r = parseFlatRecord(flat);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      const observation = {
        ...r.value,
        provenance: { source: 'i94', sourceRecordId: flat.record_id, rawRecordId: '1' },
      };
      expect(validate(observation), JSON.stringify(validate.errors)).toBe(true);
      expect(canonicalExamples).toContainEqual(observation);
    },
  );

  it('rejects an observation with a wrong channel', () => {
    const bad = { ...(canonicalExamples[1] as object), channel: 'bus' };
    expect(validate(bad)).toBe(false);
  });

  it('rejects an arrival by a channel no carrier or checkpoint observes, or without a port', () => {
    const arrival = canonicalExamples.find((e) => (e as { kind: string }).kind === 'Arrival') as object;
    expect(validate(arrival)).toBe(true);
    expect(validate({ ...arrival, channel: 'self-report' })).toBe(false);
    expect(validate({ ...arrival, port: null })).toBe(false);
  });
});
