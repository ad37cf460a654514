import type { JsMsg } from '@nats-io/jetstream';

/**
 * The messages a consumer process holds: delivered to it and not yet acknowledged, rejected or
 * terminated (waiting in its buffer or being applied). JetStream delivers a message again once it has
 * been unacknowledged for the consumer's ack wait; a held message must never get there while this
 * process is alive, or it is applied twice in flight and counts a delivery towards the dead letters.
 * So every third of the ack wait each held message gets an in-progress acknowledgement (`working()`),
 * which restarts its clock; a process that dies stops sending them, and its messages come back after
 * one ack wait. The count bounds how much a consumer fetches (`whenRoomFor`).
 */
export class HeldMessages {
  private readonly held = new Set<JsMsg>();
  private readonly timer: NodeJS.Timeout;
  private waiting: { room: number; resolve: () => void } | null = null;

  constructor(
    private readonly capacity: number,
    ackWaitMs: number,
  ) {
    this.timer = setInterval(() => this.working(), Math.max(10, Math.floor(ackWaitMs / 3)));
    // The heartbeat alone must not keep a process alive that has nothing else to do.
    this.timer.unref();
  }

  get size(): number {
    return this.held.size;
  }

  add(m: JsMsg): void {
    this.held.add(m);
  }

  /** The message was acknowledged, rejected or terminated: the server no longer waits for it here. */
  release(m: JsMsg): void {
    this.held.delete(m);
    const w = this.waiting;
    if (w !== null && this.capacity - this.held.size >= w.room) {
      this.waiting = null;
      w.resolve();
    }
  }

  /** Resolves once at least `room` more messages may be taken (at once if they may), or on `wakeAll`. */
  whenRoomFor(room: number): Promise<void> {
    if (this.capacity - this.held.size >= room) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiting = { room, resolve };
    });
  }

  /** Wakes a waiter (the consumer is stopping). */
  wakeAll(): void {
    const w = this.waiting;
    this.waiting = null;
    w?.resolve();
  }

  private working(): void {
    for (const m of this.held) {
      try {
        m.working();
      } catch {
        // The connection is closed: the message comes back after the ack wait, as from a dead process.
      }
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.wakeAll();
  }
}
