import type { JetStreamBus } from './jetstream.js';
import type { DeadLetter } from './observation-consumer.js';

export interface StoredDeadLetter extends DeadLetter {
  readonly seq: number;
}

/** The dead letters waiting, oldest first (at most `limit`). */
export async function listDeadLetters(bus: JetStreamBus, limit = 100): Promise<StoredDeadLetter[]> {
  const info = await bus.jsm.streams.info(bus.names.deadLetters);
  const out: StoredDeadLetter[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && out.length < limit; seq++) {
    const m = await bus.jsm.streams.getMessage(bus.names.deadLetters, { seq }).catch(() => null);
    if (m === null) continue; // retried and removed
    out.push({ seq, ...m.json<DeadLetter>() });
  }
  return out;
}

export class DeadLetterNotFound extends Error {
  readonly code = 'NOT_FOUND';
}

/**
 * Puts a dead letter back on its stream, as a new message (its id says it is a retry), and removes it
 * from the dead letters: the consumer applies it again, and it comes back here if it fails again.
 */
export async function retryDeadLetter(bus: JetStreamBus, seq: number): Promise<{ subject: string }> {
  const m = await bus.jsm.streams.getMessage(bus.names.deadLetters, { seq }).catch(() => null);
  if (m === null) throw new DeadLetterNotFound(`no dead letter ${seq}`);
  const letter = m.json<DeadLetter>();
  await bus.js.publish(letter.subject, letter.data, { msgID: `retry/${seq}/${Date.now()}` });
  await bus.jsm.streams.deleteMessage(bus.names.deadLetters, seq);
  return { subject: letter.subject };
}
