import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterQuality } from './evaluate-linkage.js';
import { FEED_PERSON_MAPPING, writeGeneratedPersonRecords } from './generated-person-records.js';
import { linkRecords, readLinkInput } from './link-files.js';

describe('linkage on a generated population at the default noise, without labels', () => {
  it('reaches pairwise F1 0.995 and never makes one person of two, twins included', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'imos-genlink-')), 'records.csv');
    const { personOf, twins } = writeGeneratedPersonRecords(file, { people: 3000, seed: 11, noise: 1 });
    const input = await readLinkInput([file], FEED_PERSON_MAPPING);
    const result = linkRecords(input);
    const truth = input.records.map((r) => personOf.get(r.id)!);
    expect(clusterQuality(result.cluster, truth).f1).toBeGreaterThanOrEqual(0.995);

    const personsOfCluster = new Map<number, Set<string>>();
    result.cluster.forEach((c, i) =>
      personsOfCluster.set(c, (personsOfCluster.get(c) ?? new Set()).add(truth[i]!)),
    );
    const merged = [...personsOfCluster.values()].filter((persons) => persons.size > 1);
    expect(twins.length).toBeGreaterThan(0);
    expect(merged.filter((persons) => twins.some(([a, b]) => persons.has(a) && persons.has(b)))).toEqual([]);
    expect(merged.map((persons) => [...persons])).toEqual([]);
  });
});
