import { describe, expect, it } from 'vitest';
import { SMALL_FEED } from '../../test/contract/store-contract.js';
import type { PreparedBatch } from './prepare-record.js';
import { preparedInThread, preparedInWorker } from './prepared-feed.js';
import { readCsv } from './read-feed.js';

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** The batches' columns joined end to end, without the progress counter. */
function columns(batches: PreparedBatch[]) {
  const out: Record<string, unknown[]> = {};
  for (const { bytesRead: _b, ...b } of batches)
    for (const [k, v] of Object.entries(b)) (out[k] ??= []).push(...(v as unknown[]));
  return out;
}

describe('feed preparation on a worker thread', () => {
  it('prepares exactly what the same code prepares on this thread, header included', async () => {
    let header = '';
    const inWorker = await all(preparedInWorker(SMALL_FEED, 'csv', (h) => (header = h), 4));
    const inThread = await all(preparedInThread(readCsv(SMALL_FEED), 5));
    expect(columns(inWorker)).toEqual(columns(inThread));
    expect(inWorker.map((b) => b.sourceRecordId.length)).toEqual([4, 4, 3]);
    expect(columns(inWorker)['sourceRecordId']).toHaveLength(11);
    expect(header).toMatch(/^record_id,kind,/);
  });

  it('reports a file it cannot read instead of hanging', async () => {
    await expect(all(preparedInWorker('/nonexistent/feed.csv', 'csv', () => undefined))).rejects.toThrow(
      /ENOENT/,
    );
  });
});
