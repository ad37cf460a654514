import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLAT_COLUMNS } from '../core/observation/flat-columns.js';
import { flatRecordLine } from '../generate/csv.js';
import { generatePopulation } from '../generate/generate-population.js';
import { clusterQuality } from './evaluate-linkage.js';
import { linkRecords, readLinkInput } from './link-files.js';

describe('linkage on a generated population at the default noise, without labels', () => {
  it('reaches pairwise F1 0.995 and never makes one person of two, twins included', async () => {
    const lines: string[] = [FLAT_COLUMNS.join(',')];
    const personOf = new Map<string, string>();
    const twins: [string, string][] = [];
    const seen = new Set<string>();
    for (const item of generatePopulation({ people: 3000, seed: 11, noise: 1 })) {
      if (item.kind === 'person' && item.twinOf !== null) twins.push([item.personId, item.twinOf]);
      if (item.kind === 'truth-record') personOf.set(item.recordId, item.personId);
      // A duplicate delivery under the same id is one record (the store keeps it once).
      if (item.kind === 'record' && !seen.has(item.record.record_id!)) {
        seen.add(item.record.record_id!);
        lines.push(flatRecordLine(item.record));
      }
    }
    const file = join(mkdtempSync(join(tmpdir(), 'imos-genlink-')), 'records.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    const input = await readLinkInput([file], {
      idColumn: 'record_id',
      fields: {
        given_name: 'given_names',
        family_name: 'family_names',
        birth_date: 'birth_date',
        sex: 'sex',
        nationality: 'nationality',
        document_number: 'doc_number',
        document_country: 'doc_country',
        admission_number: 'admission_number',
      },
      others: [],
    });
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
