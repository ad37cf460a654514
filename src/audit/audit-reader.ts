import type { ChainedAuditRecord } from '../core/audit/audit-chain.js';
import type { Database } from '../store/database.js';

export interface AuditCheckpoint {
  readonly seq: string;
  readonly hash: string;
  readonly at: string;
  readonly publicKey: string;
  readonly signature: string;
}

interface Row {
  seq: string;
  /** Milliseconds since the epoch, as text: exact, and cheaper to read than a timestamp. */
  at_ms: string;
  user_id: string | null;
  username: string | null;
  role: string | null;
  action: string;
  route: string;
  person_ids: string[];
  record_refs: string[];
  purpose: string | null;
  purpose_reference: string | null;
  break_glass_reason: string | null;
  outcome: ChainedAuditRecord['outcome'];
  status: number;
  request_id: string;
  prev_hash: string;
  hash: string;
}

export const AUDIT_SELECT = `select seq::text as seq, (extract(epoch from at) * 1000)::bigint::text as at_ms, user_id::text as user_id, username, role, action, route,
  person_ids::text[] as person_ids, record_refs, purpose, purpose_reference, break_glass_reason, outcome, status,
  request_id, prev_hash, hash from audit_entry`;

export function fromAuditRow(r: Row): ChainedAuditRecord {
  return {
    seq: r.seq,
    at: new Date(Number(r.at_ms)),
    userId: r.user_id,
    username: r.username,
    role: r.role,
    action: r.action,
    route: r.route,
    personIds: r.person_ids,
    recordRefs: r.record_refs,
    purpose: r.purpose,
    purposeReference: r.purpose_reference,
    breakGlassReason: r.break_glass_reason,
    outcome: r.outcome,
    status: r.status,
    requestId: r.request_id,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/**
 * Every entry from `from` on, in chain order, a page at a time (a million entries never sit in memory).
 * The next page is read while this one is consumed. Pages are ranges of entry numbers, so each is
 * known before the previous one arrives; a gap in the numbers only makes a page shorter.
 */
export async function* auditEntries(
  db: Database,
  from = '1',
  pageSize = 20_000,
): AsyncGenerator<ChainedAuditRecord> {
  const [last] = await db.session((s) =>
    s.query<{ max: string | null }>('select max(seq)::text as max from audit_entry'),
  );
  const end = BigInt(last?.max ?? '0');
  const page = (lo: bigint) =>
    db.session((s) =>
      s.query<Row>(
        `${AUDIT_SELECT} where audit_entry.seq >= $1 and audit_entry.seq < $2 order by audit_entry.seq`,
        [lo.toString(), (lo + BigInt(pageSize)).toString()],
      ),
    );
  let lo = BigInt(from);
  let next = lo <= end ? page(lo) : null;
  while (next) {
    const rows = await next;
    lo += BigInt(pageSize);
    next = lo <= end ? page(lo) : null;
    next?.catch(() => undefined); // awaited on the next turn
    for (const r of rows) yield fromAuditRow(r);
  }
}

export async function auditCheckpoints(db: Database): Promise<AuditCheckpoint[]> {
  return db.session((s) =>
    s.query<AuditCheckpoint>(
      `select seq::text as seq, hash, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at,
              public_key as "publicKey", signature from audit_checkpoint order by audit_checkpoint.seq`,
    ),
  );
}
