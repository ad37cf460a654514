/**
 * The linkage figures: deduplicating generated person records (admissions, departures and status
 * changes of the spine's generator at the default noise, one record per observation) without labels,
 * with its candidate pairs, comparisons per second, blocking recall, quality against the generator's
 * truth and peak memory. The baseline is reading and normalising the same records (no comparisons).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockingRecall, clusterQuality } from '../src/linkage/evaluate-linkage.js';
import type { RuleCount } from '../src/core/linkage/blocking.js';
import { FEED_PERSON_MAPPING, writeGeneratedPersonRecords } from '../src/linkage/generated-person-records.js';
import { linkRecords, readLinkInput } from '../src/linkage/link-files.js';

const fmt = (n: number) => n.toLocaleString('en-US');

export async function linkageFigures(records: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'imos-bench-link-'));
  try {
    // About 2.7 records a person; stop at the record count asked for.
    const file = join(dir, 'records.csv');
    const { personOf } = writeGeneratedPersonRecords(
      file,
      { people: Math.ceil(records / 2.7), seed: 5, noise: 1 },
      records,
    );

    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
    const t0 = performance.now();
    const input = await readLinkInput([file], FEED_PERSON_MAPPING);
    const read = performance.now() - t0;
    let ruleCounts: readonly RuleCount[] = [];
    const result = linkRecords(input, { onRuleCounts: (counts) => (ruleCounts = counts) });
    const candidates = ruleCounts.reduce((n, c) => n + c.pairs, 0);
    const total = performance.now() - t0;
    clearInterval(sampler);
    const truth = input.records.map((r) => personOf.get(r.id)!);
    const q = clusterQuality(result.cluster, truth);
    const seconds = total / 1000;
    console.log(
      `${`deduplicate ${fmt(input.records.length)} person records`.padEnd(44)} ${`${seconds.toFixed(2)} s`.padStart(9)}  ` +
        `baseline: read and normalise them ${(read / 1000).toFixed(2)} s   ratio ${(total / read).toFixed(1)}x`,
    );
    console.log(
      `${''.padEnd(44)} ${fmt(result.candidates.left.length)} candidate pairs (${fmt(candidates)} before rules' overlaps), ` +
        `${fmt(Math.round(result.comparisons / seconds))} comparisons/s, blocking recall ${blockingRecall(result.candidates, truth).toFixed(4)}, ` +
        `pairwise F1 ${q.f1.toFixed(4)} (precision ${q.precision.toFixed(4)}, recall ${q.recall.toFixed(4)}), peak RSS ${fmt(Math.round(peak / 2 ** 20))} MiB`,
    );
    console.log(
      `${''.padEnd(44)} pairs by blocking rule: ${ruleCounts.map((c) => `${c.rule} ${fmt(c.pairs)}`).join('; ')}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
