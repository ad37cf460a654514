import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const IMOS = new URL('../../bin/imos.js', import.meta.url).pathname;
const FEBRL3 = new URL('../fixtures/febrl/dataset3.csv', import.meta.url).pathname;
const MAPPING = [
  '--id',
  'rec_id',
  '--map',
  'given_name=given_name,family_name=surname,birth_date=date_of_birth,postcode=postcode,city=suburb,address=address_1,document_number=soc_sec_id',
  '--compare',
  'street_number:code,address_2:text,state:code',
];

describe('imos link and imos evaluate, as a user runs them', () => {
  it('reproduce the FEBRL 3 figures from the files they write', async () => {
    const out = mkdtempSync(join(tmpdir(), 'imos-link-cli-'));
    const link = await run(process.execPath, [IMOS, 'link', FEBRL3, ...MAPPING, '--explain', '--out', out]);
    expect(link.stdout).toMatch(/blocking rules \(pairs each creates, before the run\)/);
    expect(link.stdout).toMatch(/document number\s+5,601/);
    expect(link.stdout).toMatch(/comparisons\/s/);
    const pairs = readFileSync(join(out, 'pairs.csv'), 'utf8').trim().split('\n');
    expect(pairs[0]).toBe('left_id,right_id,match_weight,probability');
    const explained = JSON.parse(readFileSync(join(out, 'explanations.ndjson'), 'utf8').split('\n')[0]!) as {
      fields: { field: string; level: string; weight: number }[];
      prior: number;
      matchWeight: number;
    };
    const sum = explained.fields.reduce((w, f) => w + f.weight, explained.prior);
    expect(sum).toBeCloseTo(explained.matchWeight, 6); // the waterfall adds up to the weight

    const evaluate = await run(process.execPath, [
      IMOS,
      'evaluate',
      FEBRL3,
      ...MAPPING,
      '--links',
      out,
      '--truth-pattern',
      '^rec-(\\d+)-',
    ]);
    const f1 = Number(/clusters: precision [\d.]+, recall [\d.]+, F1 ([\d.]+)/.exec(evaluate.stdout)![1]);
    expect(f1).toBeGreaterThanOrEqual(0.995);
    expect(readFileSync(join(out, 'precision-recall.svg'), 'utf8')).toMatch(/^<svg/);
    const figures = JSON.parse(readFileSync(join(out, 'evaluation.json'), 'utf8')) as {
      blockingRecall: number;
    };
    expect(figures.blockingRecall).toBeGreaterThan(0.99);
  }, 60_000);

  it('refuses a mapping onto an unknown field with the field named, and exit code 1', async () => {
    await expect(
      run(process.execPath, [IMOS, 'link', FEBRL3, '--id', 'rec_id', '--map', 'surname=surname']),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/"surname" is not a person field/) as unknown,
    });
  });
});
