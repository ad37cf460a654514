import type { PlacingRound } from './place-self-reports.js';

/**
 * Places self-reports after the answer to their request, in the background (see `fileSelfReport`): a
 * filed report wakes it; on start it places what an earlier process left pending, and it sweeps now and
 * then for reports whose earlier try failed or whose process died. An error never stops it: the report
 * stays pending and the error goes to `onError`. One drain runs at a time; a wake during it runs another.
 */
export class SelfReportQueue {
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    /** One round of placing (placePendingSelfReports). */
    private readonly place: () => Promise<PlacingRound>,
    private readonly onError: (err: unknown) => void,
    /** How often pending reports are looked for without a wake (default 30 s). */
    private readonly sweepMs = 30_000,
  ) {}

  /** Places what is pending now, then sweeps every `sweepMs`. */
  start(): void {
    if (this.closed || this.timer !== null) return;
    this.timer = setInterval(() => this.wake(), this.sweepMs);
    // The sweep alone must not keep a process alive.
    this.timer.unref();
    this.wake();
  }

  /** Something may be pending: drain, now or right after the drain that is running. */
  wake(): void {
    if (this.closed) return;
    if (this.running !== null) {
      this.again = true;
      return;
    }
    this.again = false;
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again) this.wake();
    });
  }

  /** Resolves when no drain is running (nor asked for). */
  async idle(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  /** Stops taking work and waits for the drain that runs: the store may be closed after this. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.idle();
  }

  private async drain(): Promise<void> {
    // Woken from a request, the work starts once the answer is on its way, never inside the request.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (!this.closed) {
      let round: PlacingRound;
      try {
        round = await this.place();
      } catch (err) {
        this.onError(err);
        return;
      }
      for (const f of round.failed)
        this.onError(new Error(`self-report ${f.confirmation} not placed yet: ${f.error}`));
      if (round.claimed === 0) return;
    }
  }
}
