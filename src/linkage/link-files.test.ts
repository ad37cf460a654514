import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockingRecall, clusterQuality } from './evaluate-linkage.js';
import { linkRecords, readLinkInput, type ColumnMapping } from './link-files.js';

const FEBRL3 = new URL('../../test/fixtures/febrl/dataset3.csv', import.meta.url).pathname;

const FEBRL_MAPPING: ColumnMapping = {
  idColumn: 'rec_id',
  fields: {
    given_name: 'given_name',
    family_name: 'surname',
    birth_date: 'date_of_birth',
    postcode: 'postcode',
    city: 'suburb',
    address: 'address_1',
    document_number: 'soc_sec_id',
  },
  others: [
    { column: 'street_number', kind: 'code' },
    { column: 'address_2', kind: 'text' },
    { column: 'state', kind: 'code' },
  ],
};

/** FEBRL's truth: rec-N-org and every rec-N-dup-K are person N. */
const personOf = (id: string) => /^rec-(\d+)-/.exec(id)![1]!;

describe('linkage on FEBRL data set 3 (5,000 records, 2,000 persons), without labels', () => {
  it('deduplicates with pairwise F1 of at least 0.995', async () => {
    const input = await readLinkInput([FEBRL3], FEBRL_MAPPING);
    const result = linkRecords(input);
    const truth = input.records.map((r) => personOf(r.id));
    const q = clusterQuality(result.cluster, truth);
    expect(q.f1).toBeGreaterThanOrEqual(0.995);
    expect(blockingRecall(result.candidates, truth)).toBeGreaterThan(0.99);
  });

  it('deduplicates with pairwise F1 of at least 0.99 with the social security number withheld', async () => {
    const { document_number: _withheld, ...fields } = FEBRL_MAPPING.fields;
    const input = await readLinkInput([FEBRL3], { ...FEBRL_MAPPING, fields });
    const result = linkRecords(input);
    const q = clusterQuality(
      result.cluster,
      input.records.map((r) => personOf(r.id)),
    );
    expect(q.f1).toBeGreaterThanOrEqual(0.99);
  });

  it('reports the pairs each blocking rule creates before the run', async () => {
    const input = await readLinkInput([FEBRL3], FEBRL_MAPPING);
    let reported: readonly { rule: string; pairs: number }[] = [];
    linkRecords(input, { onRuleCounts: (counts) => (reported = counts) });
    expect(reported.map((r) => r.rule)).toContain('document number');
    expect(reported.every((r) => r.pairs > 0)).toBe(true);
  });
});

describe('linkage input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'imos-link-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const mapping: ColumnMapping = { idColumn: 'id', fields: { family_name: 'surname' }, others: [] };

  it('names the file and the column that is missing', async () => {
    await expect(readLinkInput([file('a.csv', 'id,name\n1,X\n')], mapping)).rejects.toThrow(
      /a\.csv: no column "surname"/,
    );
  });

  it('refuses a record id used twice, naming the line', async () => {
    await expect(readLinkInput([file('b.csv', 'id,surname\n1,X\n1,Y\n')], mapping)).rejects.toThrow(
      /b\.csv line 3: record id "1" appears twice/,
    );
  });

  it('reads an over-represented 1 January as an unknown birth date, and says so', async () => {
    const rows = Array.from({ length: 200 }, (_, i) =>
      i < 40
        ? `${i},N${i},1970-01-01`
        : `${i},N${i},1970-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 27) + 1).padStart(2, '0')}`,
    ).join('\n');
    const input = await readLinkInput([file('d.csv', `id,surname,dob\n${rows}\n`)], {
      idColumn: 'id',
      fields: { family_name: 'surname', birth_date: 'dob' },
      others: [],
    });
    expect(input.notes.join('\n')).toMatch(/40 birth dates on 1 January read as unknown/);
    expect(input.records[0]!.values[1]).toBeNull();
    expect(input.records[100]!.values[1]).not.toBeNull();
  });

  it('warns when a blocking rule would explode', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `${i},SMITH,1980-03-14`).join('\n');
    const input = await readLinkInput([file('c.csv', `id,surname,dob\n${rows}\n`)], {
      idColumn: 'id',
      fields: { family_name: 'surname', birth_date: 'dob' },
      others: [],
    });
    let warnings: readonly string[] = [];
    linkRecords(input, { explosionPairs: 10_000, onRuleCounts: (_, w) => (warnings = w) });
    expect(warnings.join('\n')).toMatch(/birth date \+ family-name initial" creates 44,850 pairs/);
  });
});
