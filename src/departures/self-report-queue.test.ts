import { describe, expect, it, vi } from 'vitest';
import type { PlacingRound } from './place-self-reports.js';
import { SelfReportQueue } from './self-report-queue.js';

const round = (claimed: number, failed: PlacingRound['failed'] = []): PlacingRound => ({
  claimed,
  placed: claimed - failed.length,
  failed,
});

describe('the self-report queue', () => {
  it('survives a failed round and a failed report: both are reported, and the next wake drains again', async () => {
    const results: (() => Promise<PlacingRound>)[] = [
      () => Promise.reject(new Error('store away')),
      () => Promise.resolve(round(2, [{ confirmation: 'SR-AAAAA-AAAAA', error: 'resolver failed' }])),
      () => Promise.resolve(round(0)),
    ];
    let calls = 0;
    const errors: string[] = [];
    const queue = new SelfReportQueue(
      () => results[calls++]!(),
      (err) => errors.push((err as Error).message),
    );
    queue.wake();
    await queue.idle();
    expect(calls).toBe(1);
    queue.wake();
    await queue.idle();
    // Drained until a round found nothing: the failed report stays pending for a later sweep.
    expect(calls).toBe(3);
    expect(errors).toEqual(['store away', 'self-report SR-AAAAA-AAAAA not placed yet: resolver failed']);
    await queue.close();
  });

  it('runs one drain at a time, runs another after a wake during one, and waits for it on close', async () => {
    let running = 0;
    let most = 0;
    let calls = 0;
    let release: () => void = () => undefined;
    const queue = new SelfReportQueue(
      async () => {
        calls++;
        running++;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => (release = resolve));
        running--;
        return round(0);
      },
      () => undefined,
    );
    queue.wake();
    await vi.waitFor(() => expect(calls).toBe(1));
    queue.wake(); // a report filed while the first drain runs
    queue.wake();
    release();
    await vi.waitFor(() => expect(calls).toBe(2));
    const closing = queue.close();
    let closed = false;
    void closing.then(() => (closed = true));
    await new Promise((r) => setImmediate(r));
    expect(closed).toBe(false);
    release();
    await closing;
    expect(most).toBe(1);
    queue.wake(); // closed: no more work
    await queue.idle();
    expect(calls).toBe(2);
  });
});
