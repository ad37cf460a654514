import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '../store/database.js';

/** What a person gives when they dispute their record: all of it as they wrote it. */
export interface DisputeSubmission {
  readonly statement: string;
  readonly identity: {
    readonly givenNames?: string | undefined;
    readonly familyNames: string;
    readonly birthDate: string;
    readonly nationality?: string | undefined;
    readonly documentNumber?: string | undefined;
    readonly documentCountry?: string | undefined;
    readonly admissionNumber?: string | undefined;
  };
  readonly contact: string;
}

export interface DisputeReceipt {
  readonly ticket: string;
  /** Shown once: with the ticket it opens the status page. Stored only as a hash. */
  readonly secret: string;
}

/** What the person sees when they check their ticket: the state, the answer, and what changed. */
export interface PublicDisputeStatus {
  readonly ticket: string;
  readonly submittedAt: string;
  readonly status: DisputeStatus;
  readonly changes: readonly { readonly at: string; readonly summary: string }[];
  readonly answer: string | null;
}

export const DISPUTE_STATUSES = ['received', 'in-review', 'corrected', 'closed'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

// Crockford's base32: no I, L, O or U, so a ticket read aloud or copied by hand stays unambiguous.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

function newTicket(): string {
  const bytes = randomBytes(10);
  let s = '';
  for (const b of bytes) s += ALPHABET[b & 31];
  return `R-${s.slice(0, 5)}-${s.slice(5)}`;
}

/**
 * Files a dispute. It is never matched against the records here: the answer is the same whether or not
 * the person is on record, so the form cannot be used to find out who is (PRODUCT.md principle 5).
 * An officer finds the person, verifies their identity and corrects what is wrong.
 */
export async function fileDispute(db: Database, d: DisputeSubmission): Promise<DisputeReceipt> {
  const ticket = newTicket();
  const secret = randomBytes(18).toString('base64url');
  await db.session((s) =>
    s.query(
      'insert into dispute (ticket, secret_hash, statement, claimed_identity, contact) values ($1, $2, $3, $4::jsonb, $5)',
      [ticket, hashSecret(secret), d.statement, JSON.stringify(d.identity), d.contact],
    ),
  );
  return { ticket, secret };
}

/** The status of a ticket for whoever holds its secret; null for an unknown ticket or a wrong secret alike. */
export async function disputeStatusFor(
  db: Database,
  ticket: string,
  secret: string,
): Promise<PublicDisputeStatus | null> {
  const [row] = await db.session((s) =>
    s.query<{
      ticket: string;
      secret_hash: string;
      submitted_at: string;
      status: DisputeStatus;
      changes: { at: string; summary: string }[];
      answer: string | null;
    }>(
      `select ticket, secret_hash, to_char(submitted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as submitted_at,
              status, changes, answer from dispute where ticket = $1`,
      [ticket.trim().toUpperCase()],
    ),
  );
  // The same work for an unknown ticket, so timing does not tell which tickets exist.
  const expected = Buffer.from(row?.secret_hash ?? hashSecret('no such ticket'), 'hex');
  const given = Buffer.from(hashSecret(secret), 'hex');
  if (!timingSafeEqual(expected, given) || !row) return null;
  return {
    ticket: row.ticket,
    submittedAt: row.submitted_at,
    status: row.status,
    changes: row.changes.map((c) => ({ at: c.at, summary: c.summary })),
    answer: row.answer,
  };
}
