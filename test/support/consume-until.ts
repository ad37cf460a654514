import type { AppContext } from '../../src/app/app-context.js';
import type { JetStreamBus } from '../../src/stream/jetstream.js';
import { runObservationConsumer } from '../../src/stream/observation-consumer.js';

/**
 * Runs the stream's consumer in this process until `until` holds, then stops it. `drained`: also until
 * nothing waits on the stream (no message pending or unacknowledged). Fails after `timeoutMs`.
 */
export async function consumeUntil(
  ctx: AppContext,
  bus: JetStreamBus,
  until: () => Promise<boolean>,
  { timeoutMs = 60_000, drained = false }: { timeoutMs?: number; drained?: boolean } = {},
): Promise<void> {
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), timeoutMs);
  const running = runObservationConsumer(ctx, bus, { signal: stop.signal, maxWaitMs: 100 });
  const idle = async () => {
    if (!drained) return true;
    const info = await bus.jsm.consumers.info(bus.names.observations, bus.names.consumer);
    return info.num_pending + info.num_ack_pending === 0;
  };
  try {
    while (!((await idle()) && (await until()))) {
      if (stop.signal.aborted) throw new Error('the consumer did not get there in time');
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    stop.abort();
    clearTimeout(timer);
    await running;
  }
}
