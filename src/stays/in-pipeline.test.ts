import { describe, expect, it } from 'vitest';
import { inPipeline } from './in-pipeline.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('inPipeline', () => {
  it('writes every chunk once, in order, with at most one read ahead and one write in flight', async () => {
    const events: string[] = [];
    let reading = 0;
    let writing = 0;
    await inPipeline(
      [1, 2, 3, 4],
      async (c) => {
        reading++;
        expect(reading).toBeLessThanOrEqual(1);
        events.push(`read ${c}`);
        await tick();
        reading--;
        return c * 10;
      },
      (rows) => rows + 1,
      async (c, computed) => {
        writing++;
        expect(writing).toBe(1);
        await tick();
        events.push(`wrote ${c}:${computed}`);
        writing--;
      },
    );
    expect(events.filter((e) => e.startsWith('wrote'))).toEqual([
      'wrote 1:11',
      'wrote 2:21',
      'wrote 3:31',
      'wrote 4:41',
    ]);
  });

  it('stops at a failed write, reports it, and leaves nothing running', async () => {
    const written: number[] = [];
    let readsAfterFailure = 0;
    let failed = false;
    await expect(
      inPipeline(
        [1, 2, 3, 4, 5],
        async (c) => {
          if (failed) readsAfterFailure++;
          await tick();
          return c;
        },
        (rows) => rows,
        async (c) => {
          await tick();
          if (c === 2) {
            failed = true;
            throw new Error('disk full');
          }
          written.push(c);
        },
      ),
    ).rejects.toThrow('disk full');
    expect(written).toEqual([1]);
    expect(readsAfterFailure).toBeLessThanOrEqual(1); // at most the read already in flight
  });

  it('reports a failed read', async () => {
    await expect(
      inPipeline(
        [1, 2],
        (c) => (c === 2 ? Promise.reject(new Error('connection lost')) : Promise.resolve(c)),
        (rows) => rows,
        () => Promise.resolve(),
      ),
    ).rejects.toThrow('connection lost');
  });

  it('awaits a compute that yields, and runs the previous write meanwhile', async () => {
    const turn = () => new Promise<void>((r) => setImmediate(r));
    const events: string[] = [];
    await inPipeline(
      [1, 2],
      (c) => Promise.resolve(c),
      async (c) => {
        for (let i = 0; i < 5; i++) await turn(); // a compute that yields now and then
        events.push(`computed ${c}`);
        return c * 10;
      },
      async (c, computed) => {
        for (let i = 0; i < 8; i++) await turn(); // a COPY's round trips, longer than a compute
        events.push(`wrote ${c}:${computed}`);
      },
    );
    expect(events).toEqual(['computed 1', 'computed 2', 'wrote 1:10', 'wrote 2:20']);
  });
});
