import type { Command } from 'commander';
import type { Config } from '../app/config.js';
import type { OpenedContext } from '../app/open-context.js';
import type { FlatRecord } from '../core/observation/flat-columns.js';
import { formatOfFile, readCsv, readNdjson } from '../ingest/read-feed.js';
import { listDeadLetters, retryDeadLetter } from '../stream/dead-letters.js';
import { openJetStream, type JetStreamBus } from '../stream/jetstream.js';
import { runObservationConsumer } from '../stream/observation-consumer.js';
import { envelopeOf, type ObservationEnvelope } from '../stream/observation-envelope.js';
import { publishObservations } from '../stream/publish-observations.js';
import { printTable } from './print-table.js';

type WithContext = <T>(fn: (ctx: OpenedContext) => Promise<T>) => Promise<T>;

async function withBus<T>(config: () => Config, fn: (bus: JetStreamBus) => Promise<T>): Promise<T> {
  const c = config();
  if (!c.natsUrl)
    throw new Error('set NATS_URL (e.g. nats://127.0.0.1:4222): the stream runs on NATS JetStream');
  const bus = await openJetStream(c.natsUrl, c.streamPrefix);
  try {
    return await fn(bus);
  } finally {
    await bus.close();
  }
}

/** A feed file's valid-to-send records as envelopes (its rows are validated when applied, as any import's). */
async function* envelopesOfFile(file: string, source: string): AsyncGenerator<ObservationEnvelope> {
  const format = formatOfFile(file);
  if (format === null) throw new Error(`${file}: unknown format; use a .csv, .ndjson or .jsonl file`);
  const records = format === 'csv' ? readCsv(file) : readNdjson(file);
  for await (const r of records) {
    const fields: FlatRecord = r.fields ?? {};
    yield envelopeOf(source, fields, JSON.stringify(fields));
  }
}

/** `imos stream ...`: the observation stream on NATS JetStream (docs/streaming.md). */
export function streamCommands(program: Command, withContext: WithContext, config: () => Config): void {
  const stream = program
    .command('stream')
    .description('the observation stream on NATS JetStream (NATS_URL): publish, consume, dead letters');

  stream
    .command('publish')
    .description("publish a feed file's records to the stream, one message each (a duplicate is dropped)")
    .argument('<file>', 'a .csv or .ndjson feed file (canonical columns: docs/formats.md)')
    .requiredOption('-s, --source <name>', 'the feed these records come from')
    .action(async (file: string, o: { source: string }) => {
      await withBus(config, async (bus) => {
        const t = Date.now();
        const r = await publishObservations(bus, envelopesOfFile(file, o.source));
        const s = (Date.now() - t) / 1000;
        console.log(
          `${r.published} published, ${r.duplicates} already on the stream (dropped) in ${s.toFixed(1)} s`,
        );
      });
    });

  stream
    .command('consume')
    .description('apply observations from the stream until stopped (SIGINT/SIGTERM): the durable consumer')
    .option('--batch <n>', 'most messages in one micro-batch', '500')
    .action(async (o: { batch: string }) => {
      const batchSize = Number(o.batch);
      if (!Number.isInteger(batchSize) || batchSize < 1)
        throw new Error(`--batch "${o.batch}" is not a count`);
      await withContext((ctx) =>
        withBus(config, async (bus) => {
          const stop = new AbortController();
          process.once('SIGINT', () => stop.abort());
          process.once('SIGTERM', () => stop.abort());
          let applied = 0;
          console.log(`consuming ${bus.names.observations} as ${bus.names.consumer}`);
          await runObservationConsumer(ctx, bus, {
            batchSize,
            signal: stop.signal,
            onApplied: (b) => {
              applied += b.records;
              // One line per batch: a supervisor (or a test) can follow the progress.
              console.log(
                `applied ${b.records} (${b.rowsNew} new, ${b.rowsUnchanged} unchanged), ${applied} in all`,
              );
            },
          });
        }),
      );
    });

  stream
    .command('dead-letters')
    .description('messages that kept failing, with their error (retry one with: imos stream retry SEQ)')
    .option('--limit <n>', 'how many', '100')
    .action(async (o: { limit: string }) => {
      await withBus(config, async (bus) => {
        const letters = await listDeadLetters(bus, Number(o.limit));
        printTable(
          letters.map((l) => ({
            seq: l.seq,
            subject: l.subject,
            deliveries: l.deliveries,
            failed: l.failedAt,
            error: l.error,
          })),
        );
      });
    });

  stream
    .command('retry')
    .description('put a dead letter back on the stream')
    .argument('<seq>', 'its number (imos stream dead-letters)')
    .action(async (seq: string) => {
      await withBus(config, async (bus) => {
        const r = await retryDeadLetter(bus, Number(seq));
        console.log(`dead letter ${seq} published again on ${r.subject}`);
      });
    });
}
