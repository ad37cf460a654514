import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { blocksOfRules, candidatePairs, defaultBlockingRules } from '../core/linkage/blocking.js';
import {
  blockingRecall,
  clusterQuality,
  precisionRecallSvg,
  qualityByThreshold,
} from '../linkage/evaluate-linkage.js';
import {
  LinkageInputError,
  linkRecords,
  parseFieldMap,
  parseOtherColumns,
  readLinkInput,
  type ColumnMapping,
  type InputRecords,
} from '../linkage/link-files.js';
import { readLinkage, writeLinkage } from '../linkage/linkage-output.js';
import { printTable } from './print-table.js';

interface MappingOptions {
  id: string;
  map: string;
  compare?: string;
}

const fmt = (n: number) => n.toLocaleString('en-US');

function mappingOf(o: MappingOptions): ColumnMapping {
  return { idColumn: o.id, fields: parseFieldMap(o.map), others: parseOtherColumns(o.compare ?? '') };
}

function probabilityOption(name: string, text: string): number {
  const p = Number(text);
  if (!Number.isFinite(p) || p < 0 || p > 1)
    throw new LinkageInputError(`${name}: "${text}" is not a probability (0 to 1)`);
  return p;
}

const MAPPING_HELP = `
Columns are mapped onto person fields with --map field=column,... (fields: given_name, family_name,
full_name, birth_date, sex, nationality, birthplace, address, postcode, city, email, document_number,
document_country, admission_number);
other columns are compared with --compare column:kind,... (kinds: name, date, document, code, postcode,
text). See docs/linkage.md.

Example (FEBRL):
  imos link test/fixtures/febrl/dataset3.csv --id rec_id \\
    --map given_name=given_name,family_name=surname,birth_date=date_of_birth,postcode=postcode,city=suburb,address=address_1,document_number=soc_sec_id \\
    --compare street_number:code,address_2:text,state:code --out linkage/`;

/** `imos link` and `imos evaluate`: the linkage engine on any person file, without the store. */
export function linkCommands(program: Command): void {
  program
    .command('link')
    .description(
      'deduplicate one CSV file of person records, or link two, without labels (Fellegi-Sunter, trained by EM); writes pairs, clusters and the model',
    )
    .argument('<file>', 'CSV file with a header line')
    .argument('[other]', 'a second CSV file with the same columns: link the two instead of deduplicating one')
    .requiredOption('--id <column>', 'the record-id column')
    .requiredOption('--map <field=column,...>', 'person fields and the columns that hold them')
    .option('--compare <column:kind,...>', 'other columns to compare, with how')
    .option('--out <dir>', 'where pairs.csv, clusters.csv and model.json go', 'linkage')
    .option('--threshold <p>', 'link pairs at or above this match probability', '0.5')
    .option('--min-probability <p>', 'write pairs at or above this probability to pairs.csv', '0.01')
    .option('--explain', "also write explanations.ndjson: each written pair's match weight field by field")
    .addHelpText('after', MAPPING_HELP)
    .action(
      async (
        file: string,
        other: string | undefined,
        o: MappingOptions & { out: string; threshold: string; minProbability: string; explain?: boolean },
      ) => {
        const threshold = probabilityOption('--threshold', o.threshold);
        const minProbability = probabilityOption('--min-probability', o.minProbability);
        const started = performance.now();
        const input = await readLinkInput(other ? [file, other] : [file], mappingOf(o));
        console.log(`${fmt(input.records.length)} records, ${input.fields.length} compared fields`);
        for (const note of input.notes) console.log(`note: ${note}`);
        const result = linkRecords(input, {
          threshold,
          onRuleCounts: (counts, warnings) => {
            console.log('blocking rules (pairs each creates, before the run):');
            printTable(
              counts.map((c) => ({
                rule: c.rule,
                pairs: fmt(c.pairs),
                'largest block': fmt(c.largestBlock),
              })),
            );
            for (const w of warnings) console.warn(`warning: ${w}`);
          },
        });
        const seconds = (performance.now() - started) / 1000;
        const written = await writeLinkage(o.out, input, result, minProbability, o.explain ?? false);
        const links = result.probability.filter((p) => p >= threshold).length;
        console.log(
          `${fmt(result.candidates.left.length)} candidate pairs compared; chance that two records are one person ${result.model.lambda.toPrecision(2)} ` +
            `(EM, ${result.model.iterations} iterations); ${fmt(links)} pairs at or above ${threshold}; ` +
            `${fmt(written.clusters)} clusters; ${seconds.toFixed(1)} s (${fmt(Math.round(result.comparisons / seconds))} comparisons/s)`,
        );
        console.log(
          `wrote ${fmt(written.pairs)} pairs and the clusters to ${o.out}/ (pairs.csv, clusters.csv, model.json${o.explain ? ', explanations.ndjson' : ''})`,
        );
      },
    );

  program
    .command('evaluate')
    .description(
      'compare a linkage (imos link --out) with the truth: pairwise precision, recall and F1 of the clusters and at each threshold, blocking recall, and a precision-recall curve (SVG)',
    )
    .argument('<file>', 'the CSV file that was linked')
    .argument('[other]', 'the second file, when two were linked')
    .requiredOption('--id <column>', 'the record-id column')
    .requiredOption('--map <field=column,...>', 'the same mapping as for imos link')
    .option('--compare <column:kind,...>', 'the same other columns as for imos link')
    .option('--truth-column <column>', 'the column that names the true person of each record')
    .option(
      '--truth-pattern <regex>',
      'or: a pattern on the record id whose first group names the true person',
    )
    .option('--links <dir>', 'the output of imos link', 'linkage')
    .addHelpText(
      'after',
      `\nExample (FEBRL, whose ids rec-N-org and rec-N-dup-K name person N): --truth-pattern '^rec-(\\d+)-'`,
    )
    .action(
      async (
        file: string,
        other: string | undefined,
        o: MappingOptions & { truthColumn?: string; truthPattern?: string; links: string },
      ) => {
        const input = await readLinkInput(other ? [file, other] : [file], mappingOf(o));
        const truth = truthOf(input, o);
        const two = input.files === 2;
        const keyOf = (i: number) =>
          two ? `${input.side[i]}:${input.records[i]!.id}` : input.records[i]!.id;
        const position = new Map(input.records.map((_, i) => [keyOf(i), i] as const));
        const linkage = await readLinkage(o.links);
        const cluster = input.records.map((_, i) => {
          const c = linkage.clusterOf.get(keyOf(i));
          if (c === undefined)
            throw new LinkageInputError(
              `record ${keyOf(i)} is not in ${o.links}/clusters.csv: was this file linked?`,
            );
          return position.get(c) ?? -1;
        });
        const left = Int32Array.from(linkage.pairs, (p) => position.get(p.left) ?? -1);
        const right = Int32Array.from(linkage.pairs, (p) => position.get(p.right) ?? -1);
        const probability = Float64Array.from(linkage.pairs, (p) => p.probability);
        const thresholds = [0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99];
        const byThreshold = qualityByThreshold({ left, right }, probability, truth, thresholds);
        const clusters = clusterQuality(cluster, truth);
        const sideOf = two ? (i: number) => input.side[i]! : undefined;
        const recall = blockingRecall(
          candidatePairs(
            blocksOfRules(defaultBlockingRules(input.fields), input.records),
            input.records.length,
            sideOf,
          ),
          truth,
        );
        const pct = (x: number) => x.toFixed(4);
        console.log(
          `clusters: precision ${pct(clusters.precision)}, recall ${pct(clusters.recall)}, F1 ${pct(clusters.f1)} (${fmt(clusters.truePositives)} of ${fmt(clusters.truePairs)} true pairs found, ${fmt(clusters.predictedPairs)} pairs linked)`,
        );
        console.log(`blocking recall (pair completeness): ${pct(recall)}`);
        console.log('pairs at or above each threshold (no clustering):');
        printTable(
          byThreshold.map((q) => ({
            threshold: q.threshold,
            precision: pct(q.precision),
            recall: pct(q.recall),
            F1: pct(q.f1),
            pairs: fmt(q.predictedPairs),
          })),
        );
        const svg = join(o.links, 'precision-recall.svg');
        writeFileSync(svg, precisionRecallSvg(byThreshold));
        writeFileSync(
          join(o.links, 'evaluation.json'),
          JSON.stringify({ clusters, blockingRecall: recall, byThreshold }, null, 2),
        );
        console.log(`precision-recall curve: ${svg}; figures: ${join(o.links, 'evaluation.json')}`);
      },
    );
}

function truthOf(input: InputRecords, o: { truthColumn?: string; truthPattern?: string }): string[] {
  if (o.truthColumn) return input.column(o.truthColumn);
  if (!o.truthPattern)
    throw new LinkageInputError('name the truth: --truth-column COLUMN or --truth-pattern REGEX');
  let pattern: RegExp;
  try {
    pattern = new RegExp(o.truthPattern);
  } catch (err) {
    throw new LinkageInputError(`--truth-pattern: ${(err as Error).message}`);
  }
  return input.records.map((r) => {
    const m = pattern.exec(r.id);
    if (!m) throw new LinkageInputError(`--truth-pattern does not match the record id "${r.id}"`);
    return m[1] ?? m[0];
  });
}
