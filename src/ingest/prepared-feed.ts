import { Worker } from 'node:worker_threads';
import type { FeedFormat, IncomingRecord } from './incoming-record.js';
import { emptyBatch, prepareInto, recordsIn, type PreparedBatch } from './prepare-record.js';
import { FeedError } from './read-feed.js';
import type { WorkerInput, WorkerMessage } from './prepare-worker.js';

/** bin/ingest-worker.js registers the TypeScript loader, then runs prepare-worker.ts. */
const WORKER_ENTRY = new URL('../../bin/ingest-worker.js', import.meta.url);

/** Records the importer writes in one transaction. */
export const DEFAULT_BATCH_SIZE = 20_000;

/** Records prepared on this thread (API submissions, resubmissions: small inputs). */
export async function* preparedInThread(
  records: AsyncIterable<IncomingRecord> | Iterable<IncomingRecord>,
  batchSize = DEFAULT_BATCH_SIZE,
): AsyncGenerator<PreparedBatch> {
  let batch = emptyBatch();
  for await (const rec of records) {
    prepareInto(batch, rec);
    if (recordsIn(batch) >= batchSize) {
      yield batch;
      batch = emptyBatch();
    }
  }
  if (recordsIn(batch) > 0) yield batch;
}

/**
 * A feed file read and prepared on a worker thread while this thread writes: on two or more cores the
 * parsing, validation and encoding of the next batch overlap the database work of this one.
 */
export async function* preparedInWorker(
  file: string,
  format: FeedFormat,
  onHeader: (header: string) => void,
  batchSize = DEFAULT_BATCH_SIZE,
): AsyncGenerator<PreparedBatch> {
  const worker = new Worker(WORKER_ENTRY, {
    workerData: { file, format, batchSize } satisfies WorkerInput,
  });
  const queue: WorkerMessage[] = [];
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  worker.on('message', (m: WorkerMessage) => {
    queue.push(m);
    wake?.();
  });
  worker.on('error', (err) => {
    failure = err;
    wake?.();
  });
  // Messages arrive before 'exit', so a normal end is read from the queue before this failure is seen.
  worker.on('exit', (code) => {
    failure ??= new Error(`the feed reader stopped before the end of ${file} (exit code ${code})`);
    wake?.();
  });
  try {
    for (;;) {
      while (queue.length === 0 && !failure) await new Promise<void>((r) => (wake = r));
      const m = queue.shift();
      if (!m) throw failure!;
      if (m.type === 'header') onHeader(m.header);
      else if (m.type === 'error')
        throw m.code === 'FEED_UNREADABLE' ? new FeedError(m.message) : new Error(m.message);
      else if (m.type === 'done') return;
      else {
        worker.postMessage('credit');
        yield m.batch;
      }
    }
  } finally {
    await worker.terminate();
  }
}
