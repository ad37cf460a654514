import { describe, expect, it } from 'vitest';
import { SMALL_FEED } from '../../test/contract/store-contract.js';
import { preparedInThread, preparedInWorker } from './prepared-feed.js';
import { readCsv } from './read-feed.js';

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('feed preparation on a worker thread', () => {
  it('prepares exactly what the same code prepares on this thread, header included', async () => {
    let header = '';
    const inWorker = await all(preparedInWorker(SMALL_FEED, 'csv', (h) => (header = h), 4));
    const inThread = await all(preparedInThread(readCsv(SMALL_FEED)));
    expect(inWorker.map(({ bytesRead: _b, ...p }) => p)).toEqual(
      inThread.map(({ bytesRead: _b, ...p }) => p),
    );
    expect(inWorker).toHaveLength(11);
    expect(header).toMatch(/^record_id,kind,/);
  });

  it('reports a file it cannot read instead of hanging', async () => {
    await expect(all(preparedInWorker('/nonexistent/feed.csv', 'csv', () => undefined))).rejects.toThrow(
      /ENOENT/,
    );
  });
});
