import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRetentionRules } from './load-retention-rules.js';

describe('config/retention.json', () => {
  it('has the rules of issue 3 item 7, each with why, and says what is never erased', () => {
    const rules = loadRetentionRules();
    expect(rules.rules.map((r) => [r.id, r.category, r.event, r.years])).toEqual([
      ['person-facts.departed', 'person-facts', 'departed', 3],
      ['person-facts.no-departure-recorded', 'person-facts', 'no-departure-recorded', 5],
      ['person-facts.no-stay', 'person-facts', 'no-stay', 3],
      ['quarantine.resolved', 'quarantine', 'resolved', 1],
    ]);
    for (const r of rules.rules) expect(r.why.length).toBeGreaterThan(80);
    expect(rules.kept.map((k) => k.category)).toEqual(
      expect.arrayContaining(['audit', 'tombstones', 'legal-holds', 'disputes']),
    );
  });

  it('a malformed file names itself and what is wrong', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'imos-rules-')), 'retention.json');
    writeFileSync(file, '{ "version": "x", "rules": [{ "id": "q", "category": "quarantine" }], "kept": [] }');
    expect(() => loadRetentionRules(file)).toThrow(/retention\.json is invalid:\n {2}- rules\[0\]\.id/);
    writeFileSync(file, '{ not json');
    expect(() => loadRetentionRules(file)).toThrow(/retention\.json: /);
  });
});
