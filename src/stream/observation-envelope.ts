import { createHash } from 'node:crypto';
import { FLAT_COLUMNS, type FlatRecord } from '../core/observation/flat-columns.js';

/**
 * One observation on the stream (docs/streaming.md): the record as the source sent it, as JSON whose
 * keys include the canonical flat columns (`content`, kept as the raw record and read back from it), its
 * fields, and when it was published. The message id is the source, the
 * record id and a hash of the fields, so a re-publication of the same record is the same message.
 */
export interface ObservationEnvelope {
  readonly v: 1;
  readonly source: string;
  readonly content: string;
  readonly fields: FlatRecord;
  /** ISO timestamp: evidence-to-status latency is measured from here. */
  readonly publishedAt: string;
}

export class EnvelopeError extends Error {
  readonly code = 'ENVELOPE_INVALID';
}

const SOURCE = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function envelopeOf(source: string, fields: FlatRecord, content?: string): ObservationEnvelope {
  if (!SOURCE.test(source))
    throw new EnvelopeError(`source "${source}": lower-case letters, digits, - and _ only (at most 64)`);
  return {
    v: 1,
    source,
    content: content ?? JSON.stringify(fields),
    fields,
    publishedAt: new Date().toISOString(),
  };
}

export function messageIdOf(e: ObservationEnvelope): string {
  const h = createHash('sha256');
  for (const c of FLAT_COLUMNS) h.update((e.fields[c]?.trim() ?? '') + '\u001f');
  return `${e.source}/${e.fields.record_id?.trim() ?? ''}/${h.digest('hex').slice(0, 32)}`;
}

/** Reads a message back; anything that is not an envelope is an error naming what is wrong. */
export function decodeEnvelope(data: string): ObservationEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    throw new EnvelopeError('the message is not JSON');
  }
  const e = parsed as Partial<ObservationEnvelope> | null;
  if (e === null || typeof e !== 'object' || e.v !== 1)
    throw new EnvelopeError('not an observation envelope (v 1)');
  if (typeof e.source !== 'string' || !SOURCE.test(e.source))
    throw new EnvelopeError('source: missing or invalid');
  if (typeof e.content !== 'string' || !e.content.startsWith('{'))
    throw new EnvelopeError('content: missing or not a JSON object');
  if (e.fields === null || typeof e.fields !== 'object' || Array.isArray(e.fields))
    throw new EnvelopeError('fields: missing');
  if (typeof e.publishedAt !== 'string' || Number.isNaN(Date.parse(e.publishedAt)))
    throw new EnvelopeError('publishedAt: missing or not a timestamp');
  return e as ObservationEnvelope;
}
