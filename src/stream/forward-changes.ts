import type { ChangeFeed } from '../app/change-feed.js';
import type { JetStreamBus } from './jetstream.js';

/**
 * Forwards the stream's change events (what a consumer process applied) to this process's change
 * feed, so the server's live views see departures applied elsewhere. Returns a stop function.
 */
export function forwardChanges(bus: JetStreamBus, feed: ChangeFeed): () => void {
  const sub = bus.nc.subscribe(bus.names.changeSubject);
  void (async () => {
    for await (const m of sub) {
      try {
        const change = m.json<{ personIds?: unknown }>();
        if (Array.isArray(change.personIds)) feed.staysChanged(change.personIds.map(String));
      } catch {
        // A malformed change event only means a live page refreshes a little later.
      }
    }
  })();
  return () => sub.unsubscribe();
}
