import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLAT_COLUMNS } from '../core/observation/flat-columns.js';
import { csvLine } from './csv.js';
import { NOISE_KINDS } from './noise-rates.js';
import {
  NOISE_COLUMNS,
  TRUTH_RECORD_COLUMNS,
  TRUTH_STAY_COLUMNS,
  writeFeeds,
  type Summary,
} from './write-feeds.js';

const FILES = [
  'admissions.csv',
  'departures.csv',
  'status-changes.csv',
  'truth-records.csv',
  'truth-stays.csv',
  'noise.csv',
  'manifest.json',
];

let root: string;
let a: string;
let b: string;
let summary: Summary;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'imos-generate-'));
  a = join(root, 'a');
  b = join(root, 'b', 'nested');
  const progress: number[] = [];
  summary = await writeFeeds(a, { people: 2500, seed: 99, noise: 1 }, (n) => progress.push(n));
  await writeFeeds(b, { people: 2500, seed: 99, noise: 1 });
  expect(progress).toEqual([1000, 2000, 2500]);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const rows = async (dir: string, file: string): Promise<string[][]> =>
  parse(await readFile(join(dir, file), 'utf8'));

describe('writeFeeds', () => {
  it('writes the seven files, byte-identical for the same options', async () => {
    expect((await readdir(a)).sort()).toEqual([...FILES].sort());
    for (const f of FILES)
      expect((await readFile(join(b, f))).equals(await readFile(join(a, f))), f).toBe(true);
  });

  it('writes feeds with the flat column header and proper CSV', async () => {
    for (const f of ['admissions.csv', 'departures.csv', 'status-changes.csv']) {
      const [header, ...body] = await rows(a, f);
      expect(header).toEqual([...FLAT_COLUMNS]);
      expect(body.length).toBe(summary.files[f]!.rows);
      for (const row of body) expect(row.length).toBe(FLAT_COLUMNS.length);
    }
    expect((await rows(a, 'truth-records.csv'))[0]).toEqual([...TRUTH_RECORD_COLUMNS]);
    expect((await rows(a, 'truth-stays.csv'))[0]).toEqual([...TRUTH_STAY_COLUMNS]);
    expect((await rows(a, 'noise.csv'))[0]).toEqual([...NOISE_COLUMNS]);
  });

  it('writes a truth row for every delivered record id and a stay per distinct admission number', async () => {
    const truth = new Map(
      (await rows(a, 'truth-records.csv')).slice(1).map(([id, person]) => [id!, person!]),
    );
    const idColumn = FLAT_COLUMNS.indexOf('record_id');
    const numberColumn = FLAT_COLUMNS.indexOf('admission_number');
    for (const f of ['admissions.csv', 'departures.csv', 'status-changes.csv']) {
      for (const row of (await rows(a, f)).slice(1)) expect(truth.has(row[idColumn]!)).toBe(true);
    }
    const admissionNumbers = new Set((await rows(a, 'admissions.csv')).slice(1).map((r) => r[numberColumn]));
    const stays = (await rows(a, 'truth-stays.csv')).slice(1);
    expect(stays.length).toBe(admissionNumbers.size);
    expect(summary.counts.stays).toBe(stays.length);
  });

  it('labels the data synthetic and records counts and rates in the manifest', async () => {
    const manifest = JSON.parse(await readFile(join(a, 'manifest.json'), 'utf8')) as Summary;
    expect(manifest.synthetic).toBe(true);
    expect(manifest.notice).toMatch(/^SYNTHETIC/);
    expect(manifest.options).toEqual({
      people: 2500,
      seed: 99,
      noise: 1,
      from: '2024-01-01',
      to: '2026-06-30',
      asOf: '2026-11-01',
    });
    expect(manifest.counts.people).toBe(2500);
    expect(Object.keys(manifest.noiseRates).sort()).toEqual([...NOISE_KINDS].sort());
    expect(manifest.noiseRates['name-typo'].used).toBe(0.03);
    const noiseRows = (await rows(a, 'noise.csv')).length - 1;
    expect(Object.values(manifest.counts.noise).reduce((x, y) => x + y, 0)).toBe(noiseRows);
    expect(manifest.observations).toBe(
      manifest.counts.records.admissions +
        manifest.counts.records.departures +
        manifest.counts.records['status-changes'],
    );
    expect(summary.dir).toBe(a);
  });
});

describe('csvLine', () => {
  it('round-trips any cells through a CSV parser', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }), { minLength: 1, maxLength: 6 }), (cells) => {
        const parsed = parse(csvLine(cells));
        if (cells.length === 1 && cells[0] === '') return; // an empty line is no row at all
        expect(parsed).toEqual([cells]);
      }),
    );
  });
});
