/**
 * Worker thread: reads a feed file, validates and encodes its records (prepare-record.ts) and posts them
 * in batches, so the main thread only writes. It waits for credit from the main thread, so a fast reader
 * never piles up more than a few batches in memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FeedFormat } from './incoming-record.js';
import { emptyBatch, prepareInto, recordsIn, type PreparedBatch } from './prepare-record.js';
import type { IncomingRecord } from './incoming-record.js';
import { readCsvBatches, readNdjson } from './read-feed.js';

export interface WorkerInput {
  readonly file: string;
  readonly format: FeedFormat;
  readonly batchSize: number;
}

export type WorkerMessage =
  | { readonly type: 'batch'; readonly batch: PreparedBatch }
  | { readonly type: 'header'; readonly header: string }
  | { readonly type: 'done' }
  | { readonly type: 'error'; readonly message: string; readonly code: string | undefined };

const port = parentPort!;
const { file, format, batchSize } = workerData as WorkerInput;
let credits = 2;
let wake: (() => void) | null = null;
port.on('message', () => {
  credits++;
  wake?.();
});
const waitForCredit = () => (credits > 0 ? Promise.resolve() : new Promise<void>((r) => (wake = r)));

async function run() {
  const chunks =
    format === 'csv'
      ? readCsvBatches(file, (header) => port.postMessage({ type: 'header', header } satisfies WorkerMessage))
      : oneByOne(readNdjson(file));
  let batch = emptyBatch();
  for await (const records of chunks) {
    for (const rec of records) {
      prepareInto(batch, rec);
      if (recordsIn(batch) >= batchSize) {
        await waitForCredit();
        credits--;
        port.postMessage({ type: 'batch', batch } satisfies WorkerMessage);
        const bytesRead = batch.bytesRead;
        batch = emptyBatch();
        batch.bytesRead = bytesRead;
      }
    }
  }
  if (recordsIn(batch) > 0) port.postMessage({ type: 'batch', batch } satisfies WorkerMessage);
  port.postMessage({ type: 'done' } satisfies WorkerMessage);
}

async function* oneByOne(records: AsyncIterable<IncomingRecord>): AsyncGenerator<IncomingRecord[]> {
  for await (const rec of records) yield [rec];
}

run().catch((err: unknown) => {
  const e = err as Error & { code?: string };
  port.postMessage({ type: 'error', message: e.message, code: e.code } satisfies WorkerMessage);
});
