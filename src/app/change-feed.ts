import { EventEmitter } from 'node:events';

/** What changed in the store: persons whose stays were recomputed, after an import or a stream batch. */
export interface StaysChanged {
  readonly at: string;
  readonly personIds: readonly string[];
}

/**
 * The in-process feed of changes: every import, stream batch, merge and split announces the persons
 * whose stays it recomputed, and live views (server-sent events) listen. With NATS, the stream's change
 * subject is forwarded here, so a server sees what a separate consumer process applied.
 */
export class ChangeFeed {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every open live page listens: many listeners are expected, not a leak.
    this.emitter.setMaxListeners(0);
  }

  staysChanged(personIds: Iterable<string>): void {
    const ids = [...personIds];
    if (ids.length === 0) return;
    this.emitter.emit('stays', { at: new Date().toISOString(), personIds: ids } satisfies StaysChanged);
  }

  onStaysChanged(listener: (change: StaysChanged) => void): () => void {
    this.emitter.on('stays', listener);
    return () => this.emitter.off('stays', listener);
  }
}
