import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { compareRecords } from '../core/linkage/comparison-vector.js';
import { explainVector } from '../core/linkage/fellegi-sunter.js';
import { csvRecords } from '../ingest/csv-lines.js';
import type { InputRecords, LinkResult } from './link-files.js';
import { LinkageInputError } from './link-files.js';

export const PAIRS_FILE = 'pairs.csv';
export const CLUSTERS_FILE = 'clusters.csv';
export const MODEL_FILE = 'model.json';
export const EXPLANATIONS_FILE = 'explanations.ndjson';

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  for (const line of lines) if (!out.write(line + '\n')) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/**
 * Writes a linkage: every candidate pair at or above `minProbability` (left_id, right_id, match_weight,
 * probability), the cluster of every record, and the trained model with its blocking report.
 */
export async function writeLinkage(
  dir: string,
  input: InputRecords,
  result: LinkResult,
  minProbability: number,
  explain = false,
): Promise<{ pairs: number; clusters: number }> {
  mkdirSync(dir, { recursive: true });
  const { records, side } = input;
  const two = input.files === 2;
  const idOf = (i: number) => csvCell(two ? `${side[i]}:${records[i]!.id}` : records[i]!.id);
  let pairs = 0;
  await writeLines(
    join(dir, PAIRS_FILE),
    (function* () {
      yield 'left_id,right_id,match_weight,probability';
      const { left, right } = result.candidates;
      for (let k = 0; k < left.length; k++) {
        if (result.probability[k]! < minProbability) continue;
        pairs++;
        yield `${idOf(left[k]!)},${idOf(right[k]!)},${result.matchWeight[k]!.toFixed(3)},${result.probability[k]!.toPrecision(6)}`;
      }
    })(),
  );
  if (explain) await writeExplanations(join(dir, EXPLANATIONS_FILE), input, result, minProbability, idOf);
  const clusters = new Set(result.cluster).size;
  await writeLines(
    join(dir, CLUSTERS_FILE),
    (function* () {
      yield 'record_id,cluster_id';
      for (let i = 0; i < records.length; i++) yield `${idOf(i)},${idOf(result.cluster[i]!)}`;
    })(),
  );
  const m = result.model;
  const model = {
    threshold: result.threshold,
    lambda: m.lambda,
    emIterations: m.iterations,
    fields: m.comparisons.fields.map((f, i) => ({
      field: f.name,
      kind: f.kind,
      termFrequencyAdjusted: m.termFrequencies[i] !== null,
      levels: m.comparisons.levels[i]!.slice(1).map((label, k) => ({
        level: label,
        m: m.m[i]![k + 1],
        u: m.u[i]![k + 1],
        matchWeight: Math.log2(m.m[i]![k + 1]! / m.u[i]![k + 1]!),
      })),
    })),
    blocking: result.ruleCounts,
    candidatePairs: result.candidates.left.length,
  };
  await writeLines(join(dir, MODEL_FILE), [JSON.stringify(model, null, 2)]);
  return { pairs, clusters };
}

/** Reads a linkage's pairs and clusters back, by record id. */
export async function readLinkage(dir: string): Promise<{
  pairs: { left: string; right: string; probability: number }[];
  clusterOf: Map<string, string>;
}> {
  const rows = async (file: string) => {
    const out: string[][] = [];
    let header = true;
    try {
      for await (const r of csvRecords(createReadStream(join(dir, file)))) {
        if (header) header = false;
        else out.push(r.cells);
      }
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT')
        throw new LinkageInputError(`${join(dir, file)}: not found; run imos link --out ${dir} first`);
      throw err;
    }
    return out;
  };
  const pairs = (await rows(PAIRS_FILE)).map(([left, right, , p]) => ({
    left: left!,
    right: right!,
    probability: Number(p),
  }));
  const clusterOf = new Map((await rows(CLUSTERS_FILE)).map(([id, c]) => [id!, c!] as const));
  return { pairs, clusterOf };
}

/** One line per written pair: the waterfall of its match weight (the prior, then each field's part). */
async function writeExplanations(
  path: string,
  input: InputRecords,
  result: LinkResult,
  minProbability: number,
  idOf: (i: number) => string,
): Promise<void> {
  const model = result.model;
  const vector = new Uint8Array(model.comparisons.fields.length);
  const { left, right } = result.candidates;
  await writeLines(
    path,
    (function* () {
      for (let k = 0; k < left.length; k++) {
        if (result.probability[k]! < minProbability) continue;
        const a = input.records[left[k]!]!;
        const b = input.records[right[k]!]!;
        const e = explainVector(model, compareRecords(model.comparisons, a, b, vector), a);
        yield JSON.stringify({
          left: idOf(left[k]!),
          right: idOf(right[k]!),
          probability: e.score.probability,
          matchWeight: e.score.matchWeight,
          prior: e.prior,
          fields: e.fields,
        });
      }
    })(),
  );
}
