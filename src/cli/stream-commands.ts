import { Option, type Command } from 'commander';
import type { Config } from '../app/config.js';
import type { OpenedContext } from '../app/open-context.js';
import { feedFileReading, IMPORT_FORMATS, readFeedRecords, type ImportFormat } from '../app/import-feed.js';
import { listDeadLetters, retryDeadLetter } from '../stream/dead-letters.js';
import { openJetStream, type JetStreamBus } from '../stream/jetstream.js';
import { runObservationConsumer } from '../stream/observation-consumer.js';
import {
  envelopesOfRecords,
  publishObservations,
  type UnpublishedRecord,
} from '../stream/publish-observations.js';
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

/**
 * The first few of many (unreadable records, notes), then how many more: a file of a million broken lines
 * or booked passengers must neither flood the terminal nor be held in memory.
 */
class FirstOf<T> {
  private readonly first: T[] = [];
  count = 0;
  constructor(private readonly max = 20) {}
  readonly add = (item: T): void => {
    if (this.count++ < this.max) this.first.push(item);
  };
  listed(show: (item: T) => string = String): string[] {
    const more = this.count - this.first.length;
    return [...this.first.map(show), ...(more > 0 ? [`… and ${more} more`] : [])];
  }
}

/** `imos stream ...`: the observation stream on NATS JetStream (docs/streaming.md). */
export function streamCommands(program: Command, withContext: WithContext, config: () => Config): void {
  const stream = program
    .command('stream')
    .description('the observation stream on NATS JetStream (NATS_URL): publish, consume, dead letters');

  stream
    .command('publish')
    .description(
      "publish a feed file's records to the stream, one message each (a duplicate is dropped); a record that cannot be read is listed, not published",
    )
    .argument('<file>', 'a feed file, read as `imos import` reads it (docs/formats.md, docs/departures.md)')
    .requiredOption('-s, --source <name>', 'the feed these records come from')
    .addOption(
      new Option(
        '-f, --format <format>',
        'how the file is read (default: PAXLST by .edi/.paxlst/.edifact, else canonical); partner-entries: docs/departures.md, mrz-scans: docs/mrz.md',
      ).choices(IMPORT_FORMATS),
    )
    .action(async (file: string, o: { source: string; format?: ImportFormat }) => {
      // A file named for no syntax, or the wrong one, is refused before connecting to NATS.
      const { format, syntax } = feedFileReading(file, o.format);
      const notes = new FirstOf<string>();
      const unpublished = new FirstOf<UnpublishedRecord>();
      await withBus(config, async (bus) => {
        const t = Date.now();
        const records = readFeedRecords(file, format, syntax, notes.add);
        const r = await publishObservations(
          bus,
          envelopesOfRecords(o.source, records, unpublished.add, { format }),
        );
        const s = (Date.now() - t) / 1000;
        console.log(
          `${r.published} published, ${r.duplicates} already on the stream (dropped), ${unpublished.count} unreadable (not published) in ${s.toFixed(1)} s`,
        );
      });
      for (const note of notes.listed()) console.log(`    ${note}`);
      if (unpublished.count > 0) {
        for (const u of unpublished.listed(
          ({ line, error }) => `line ${line ?? '?'}: ${error.field}: ${error.reason}`,
        ))
          console.error(`  ${u}`);
        // The stream carries observations: a record nobody could read is only in this file. Fixed, the
        // file is published again (what is on the stream already is dropped as a duplicate, or found
        // unchanged when applied). A failing exit status tells a script that not everything was sent.
        console.error(
          `${unpublished.count} ${unpublished.count === 1 ? 'record' : 'records'} could not be read and ${unpublished.count === 1 ? 'was' : 'were'} not published: fix and publish the file again`,
        );
        process.exitCode = 1;
      }
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
