import { createHash } from 'node:crypto';

/** One access, as the audit log records it: who, as what, when, what, to whom, why, and how it ended. */
export interface AuditRecord {
  readonly at: Date;
  readonly userId: string | null;
  readonly username: string | null;
  readonly role: string | null;
  /** The allow-table action, e.g. `person.read`. */
  readonly action: string;
  /** The route it came through, e.g. `GET /api/persons/:id`. */
  readonly route: string;
  /** Persons touched: ids, never names or numbers. */
  readonly personIds: readonly string[];
  /** Other records touched (e.g. `quarantine:12`). */
  readonly recordRefs: readonly string[];
  readonly purpose: string | null;
  readonly purposeReference: string | null;
  /** Set when an officer opened a person outside their office: their written reason. */
  readonly breakGlassReason: string | null;
  readonly outcome: 'allowed' | 'denied' | 'failed';
  readonly status: number;
  readonly requestId: string;
}

export interface ChainedAuditRecord extends AuditRecord {
  readonly seq: string;
  readonly prevHash: string;
  readonly hash: string;
}

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** A text field in the canonical form: UTF-8 as hex (no separator can occur inside), null as '-'. */
const hex = (s: string | null) => (s === null ? '-' : Buffer.from(s, 'utf8').toString('hex'));

/**
 * The canonical text of an entry: every field in a fixed order, text as hex, joined by '|'. The store
 * computes the same text in SQL (src/audit/verify-in-store.ts) to check a million entries where they lie;
 * a test holds the two to the same result.
 */
export function canonicalAuditText(seq: string, r: AuditRecord): string {
  return [
    seq,
    String(r.at.getTime()),
    hex(r.userId),
    hex(r.username),
    hex(r.role),
    hex(r.action),
    hex(r.route),
    r.personIds.join(','),
    r.recordRefs.map(hex).join(','),
    hex(r.purpose),
    hex(r.purposeReference),
    hex(r.breakGlassReason),
    hex(r.outcome),
    String(r.status),
    hex(r.requestId),
  ].join('|');
}

/**
 * The entry's hash: SHA-256 over the previous hash, a newline and the canonical text. Changing any field
 * of any entry, removing one or reordering them changes every hash after it.
 */
export function auditHash(prevHash: string, seq: string, r: AuditRecord): string {
  return createHash('sha256')
    .update(`${prevHash}\n${canonicalAuditText(seq, r)}`)
    .digest('hex');
}

/** Links records after the head (its seq and hash): numbers them and chains their hashes. */
export function chain(
  head: { readonly seq: string; readonly hash: string },
  records: readonly AuditRecord[],
): ChainedAuditRecord[] {
  let seq = BigInt(head.seq);
  let prevHash = head.hash;
  return records.map((r) => {
    seq += 1n;
    const s = seq.toString();
    const hash = auditHash(prevHash, s, r);
    const linked = { ...r, seq: s, prevHash, hash };
    prevHash = hash;
    return linked;
  });
}
