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

/** One dead letter, or null when there is none by that number (retried, or never one). */
export async function getDeadLetter(bus: JetStreamBus, seq: number): Promise<StoredDeadLetter | null> {
  // null when the server has no such message; a server that does not answer is an error, not "none".
  const m = await bus.jsm.streams.getMessage(bus.names.deadLetters, { seq });
  return m === null ? null : { seq, ...m.json<DeadLetter>() };
}

/** How many dead letters are waiting. */
export async function countDeadLetters(bus: JetStreamBus): Promise<number> {
  return (await bus.jsm.streams.info(bus.names.deadLetters)).state.messages;
}

/** One page of the dead letters, oldest first, and how many are waiting in all. */
export interface DeadLetterPage {
  readonly total: number;
  readonly letters: StoredDeadLetter[];
  /** The sequence to ask `after` for the next page; null when this page reaches the end. */
  readonly next: number | null;
}

/**
 * The dead letters after sequence `after` (oldest first, at most `limit`). A retried letter leaves a
 * gap in the stream's sequence; the stream's list of deleted sequences lets the gaps be skipped without
 * asking the server for each of them.
 */
export async function readDeadLetters(
  bus: JetStreamBus,
  options: { readonly after?: number; readonly limit?: number } = {},
): Promise<DeadLetterPage> {
  const limit = options.limit ?? 100;
  const info = await bus.jsm.streams.info(bus.names.deadLetters, { deleted_details: true });
  const deleted = new Set(info.state.deleted ?? []);
  const letters: StoredDeadLetter[] = [];
  let seq = Math.max(info.state.first_seq, (options.after ?? 0) + 1);
  for (; seq <= info.state.last_seq && letters.length < limit; seq++) {
    if (deleted.has(seq)) continue;
    const letter = await getDeadLetter(bus, seq);
    if (letter !== null) letters.push(letter); // else retried since the stream's state was read
  }
  let more = false;
  for (; seq <= info.state.last_seq && !more; seq++) more = !deleted.has(seq);
  return { total: info.state.messages, letters, next: more ? (letters.at(-1)?.seq ?? null) : null };
}

/**
 * Where a dead letter came from, read from the message it holds: the source and the source's record
 * id of the observation, as far as the message says them (a message that is not an observation may
 * say nothing; its source is then the one its subject names).
 */
export function deadLetterOrigin(
  bus: Pick<JetStreamBus, 'names'>,
  letter: Pick<DeadLetter, 'subject' | 'data'>,
): { readonly source: string | null; readonly recordId: string | null } {
  const fromSubject = letter.subject.startsWith(bus.names.observationSubject(''))
    ? letter.subject.slice(bus.names.observationSubject('').length) || null
    : null;
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(letter.data);
  } catch {
    // Not JSON: only the subject says anything.
  }
  const e = (parsed !== null && typeof parsed === 'object' ? parsed : {}) as {
    source?: unknown;
    fields?: { record_id?: unknown } | null;
  };
  const recordId = typeof e.fields?.record_id === 'string' ? e.fields.record_id.trim() || null : null;
  return { source: typeof e.source === 'string' ? e.source : fromSubject, recordId };
}
