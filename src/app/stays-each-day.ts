import { rollStaysForward } from '../stays/roll-stays-forward.js';
import type { AppContext } from './app-context.js';

/** How often a running server looks whether the day moved on. */
const CHECK_EVERY_MS = 60 * 60 * 1000;

/**
 * Keeps a running server's stays judged on today (stays/roll-stays-forward.ts): once at start, then
 * each hour, the stays time can change are judged again when the as-of day moved on, and live pages are
 * told. One roll at a time; an error is logged and the next check tries again.
 */
export function judgeStaysEachDay(ctx: AppContext, log: (msg: string) => void): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  let stopped = false;
  const roll = () => {
    if (stopped || running !== null) return;
    running = rollStaysForward(ctx.db, { pack: ctx.pack, asOf: ctx.asOf() })
      .then((rolled) => {
        if (rolled === null) return;
        ctx.changes?.staysChanged(rolled.personIds);
        log(
          `Stays judged again as of ${rolled.to}${rolled.from ? ` (were as of ${rolled.from})` : ''}: ${rolled.personIds.length} persons`,
        );
      })
      .catch((err: unknown) =>
        log(`Stays could not be judged as of ${ctx.asOf()}: ${(err as Error).message}`),
      )
      .finally(() => (running = null));
  };
  const timer = setInterval(roll, CHECK_EVERY_MS);
  timer.unref();
  roll();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
