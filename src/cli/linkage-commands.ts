import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { generatedPersonLinks, trainFromStore } from '../app/linkage-training.js';
import { reindexPersons } from '../app/reindex-persons.js';
import type { OpenedContext } from '../app/open-context.js';
import { activeModel } from '../identity/active-model.js';
import { trainPersonModel } from '../linkage/train-person-model.js';
import { printTable } from './print-table.js';

type WithContext = <T>(fn: (ctx: OpenedContext) => Promise<T>) => Promise<T>;

const positive = (name: string, text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}: "${text}" is not a positive whole number`);
  return n;
};

/** `imos linkage ...`: the model the store links records with. */
export function linkageCommands(program: Command, withContext: WithContext): void {
  const linkage = program
    .command('linkage')
    .description('the identity-resolution model of the store: train it, show it (docs/linkage.md)');

  linkage
    .command('train')
    .description(
      "train the linkage model without labels on a sample of the store's records and make it the active one; with --generated, on a generated population instead, written to --out",
    )
    .option('--sample <n>', 'records sampled from the store', '300000')
    .option('--generated <people>', 'train on a generated population of this many persons instead')
    .option('--seed <s>', 'seed of the generated population', '7')
    .option(
      '--out <file>',
      'with --generated: the model file to write (config/linkage-model.json is the bundled one)',
    )
    .action(async (o: { sample: string; generated?: string; seed: string; out?: string }) => {
      if (o.generated !== undefined) {
        if (!o.out) throw new Error('--generated writes a model file: give --out');
        const people = positive('--generated', o.generated);
        const seed = positive('--seed', o.seed);
        const links = generatedPersonLinks({ people, seed, noise: 1 });
        const release = trainPersonModel(
          links,
          `${links.length.toLocaleString('en-US')} records of a generated population (${people.toLocaleString('en-US')} persons, seed ${seed}, default noise): imos linkage train --generated ${people} --seed ${seed}`,
        );
        const { candidatePairs, iterations, ...file } = release;
        writeFileSync(o.out, JSON.stringify(file, null, 2) + '\n');
        console.log(
          `trained on ${links.length.toLocaleString('en-US')} records (${candidatePairs.toLocaleString('en-US')} candidate pairs, EM ${iterations} iterations); written to ${o.out}`,
        );
        return;
      }
      const sample = positive('--sample', o.sample);
      await withContext(async (ctx) => {
        const r = await trainFromStore(ctx.db, sample);
        console.log(
          `model ${r.id} trained on ${r.records.toLocaleString('en-US')} records and ${r.labels.toLocaleString('en-US')} reviewers' decisions (${r.candidatePairs.toLocaleString('en-US')} candidate pairs, EM ${r.iterations} iterations) and active; records placed from now on use it`,
        );
      });
    });

  linkage
    .command('reindex')
    .description(
      "rebuild the person index the model matches against from every person's records (after upgrading a store whose persons were placed before the linkage engine)",
    )
    .action(async () => {
      await withContext(async (ctx) => {
        const n = await reindexPersons(ctx.db, (done, total) =>
          process.stderr.write(`\r${done} of ${total} persons`),
        );
        process.stderr.write('\n');
        console.log(`person index rebuilt for ${n} persons`);
      });
    });

  linkage
    .command('model')
    .description(
      'show the active model: what it was trained on, its thresholds, and the weight of each level',
    )
    .action(async () => {
      await withContext(async (ctx) => {
        const { id, model, thresholds } = await ctx.db.transaction((s) => activeModel(s, null));
        const [row] = await ctx.db.session((s) =>
          s.query<{ trained_on: string; created_at: string }>(
            'select trained_on, created_at::text as created_at from linkage_model where id = $1',
            [id],
          ),
        );
        console.log(`model ${id}, trained on ${row!.trained_on} (installed ${row!.created_at})`);
        console.log(
          `link at probability >= ${thresholds.link}; review from ${thresholds.review}; prior (lambda) ${model.lambda.toExponential(3)}, ${Math.log2(model.lambda / (1 - model.lambda)).toFixed(2)} bits`,
        );
        const rows: Record<string, string>[] = [];
        model.comparisons.fields.forEach((f, i) =>
          model.comparisons.levels[i]!.forEach((level, k) => {
            if (k === 0) return;
            const m = model.m[i]![k]!;
            const u = model.u[i]![k]!;
            rows.push({
              field: f.name,
              level,
              m: m.toPrecision(3),
              u: u.toPrecision(3),
              bits: Math.log2(m / u).toFixed(2),
            });
          }),
        );
        printTable(rows);
      });
    });
}
