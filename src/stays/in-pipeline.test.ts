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
});
