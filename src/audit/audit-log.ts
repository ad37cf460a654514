import { chain, GENESIS_HASH, type AuditRecord, type ChainedAuditRecord } from '../core/audit/audit-chain.js';
import type { Database } from '../store/database.js';
import type { SqlSession } from '../store/sql-session.js';
import { checkpointMessage, type AuditSigner } from './audit-signer.js';

/** Where accesses are recorded. The request that caused one fails if it cannot be recorded (fail closed). */
export interface AuditSink {
  record(record: AuditRecord): Promise<void>;
}

export const AUDIT_COLUMNS = [
  'seq',
  'at',
  'user_id',
  'username',
  'role',
  'action',
  'route',
  'person_ids',
  'record_refs',
  'purpose',
  'purpose_reference',
  'break_glass_reason',
  'outcome',
  'status',
  'request_id',
  'prev_hash',
  'hash',
] as const;

const UNIQUE_VIOLATION = '23505';

interface Waiting {
  readonly record: AuditRecord;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/**
 * The audit log's writer: entries wait at most one database round trip and are then written together
 * (group commit), chained to the head this process last wrote. Another process writing meanwhile makes
 * the insert collide on the sequence number; the head is then read again and the group re-chained.
 * So concurrent requests share writes instead of queueing for a lock, and the chain stays one line.
 */
export class AuditLog implements AuditSink {
  private waiting: Waiting[] = [];
  private flushing = false;
  private head: { seq: string; hash: string } | null = null;

  constructor(
    private readonly db: Database,
    private readonly signer: AuditSigner,
    /** A signed checkpoint every this many entries. */
    private readonly checkpointEvery = 10_000,
  ) {}

  record(record: AuditRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ record, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting;
        this.waiting = [];
        try {
          await this.write(group.map((w) => w.record));
          for (const w of group) w.resolve();
        } catch (err) {
          this.head = null; // read it again next time: the failure may have left it unknown
          for (const w of group) w.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async write(records: readonly AuditRecord[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const head = this.head ?? (await this.db.reserved.session(readHead));
      const chained = chain(head, records);
      const last = chained[chained.length - 1]!;
      const every = BigInt(this.checkpointEvery);
      const checkpoint = BigInt(last.seq) / every > BigInt(head.seq) / every;
      try {
        if (checkpoint)
          await this.db.reserved.transaction(async (s) => {
            await insertEntries(s, chained);
            await writeCheckpoint(s, this.signer, last.seq, last.hash);
          });
        // Most writes are one statement: one round trip and one commit for the whole group.
        else await this.db.reserved.session((s) => insertEntries(s, chained));
        this.head = { seq: last.seq, hash: last.hash };
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== UNIQUE_VIOLATION || attempt >= 20) throw err;
        this.head = null; // another writer moved the head
      }
    }
  }
}

/** A sink that records nothing: the bench's baseline for the cost of auditing, never used to serve. */
export const NO_AUDIT: AuditSink = { record: () => Promise.resolve() };

export async function readHead(s: SqlSession): Promise<{ seq: string; hash: string }> {
  const [row] = await s.query<{ seq: string; hash: string }>(
    'select seq::text as seq, hash from audit_entry order by audit_entry.seq desc limit 1',
  );
  return row ?? { seq: '0', hash: GENESIS_HASH };
}

/** Signs the chain at seq (whose hash is given) and stores the checkpoint; a second one at the same seq is a no-op. */
export async function writeCheckpoint(s: SqlSession, signer: AuditSigner, seq: string, hash: string) {
  await s.query(
    `insert into audit_checkpoint (seq, hash, at, public_key, signature) values ($1, $2, now(), $3, $4)
     on conflict (seq) do nothing`,
    [seq, hash, signer.publicKey, signer.sign(checkpointMessage(seq, hash))],
  );
}

/** Signs the current head now (`imos audit checkpoint`, or before an export). */
export async function checkpointNow(
  db: Database,
  signer: AuditSigner,
): Promise<{ seq: string; hash: string } | null> {
  return db.transaction(async (s) => {
    const head = await readHead(s);
    if (head.seq === '0') return null;
    await writeCheckpoint(s, signer, head.seq, head.hash);
    return head;
  });
}

const arrayLiteral = (xs: readonly string[]) =>
  `{${xs.map((x) => `"${x.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/** The per-entry arrays travel as array literals (text) and are cast where they land. */
const ARRAY_CASTS: Partial<Record<(typeof AUDIT_COLUMNS)[number], string>> = {
  person_ids: '::bigint[]',
  record_refs: '::text[]',
};

const fieldsOf = (e: ChainedAuditRecord): unknown[] => [
  e.seq,
  e.at.toISOString(),
  e.userId,
  e.username,
  e.role,
  e.action,
  e.route,
  arrayLiteral(e.personIds),
  arrayLiteral(e.recordRefs),
  e.purpose,
  e.purposeReference,
  e.breakGlassReason,
  e.outcome,
  e.status,
  e.requestId,
  e.prevHash,
  e.hash,
];

/**
 * Inserts chained entries in one statement: a VALUES list for a small group (the usual case, cheapest
 * to plan), one array per column for a large one (PostgreSQL allows 65,535 parameters a statement).
 */
async function insertEntries(s: SqlSession, entries: readonly ChainedAuditRecord[]): Promise<void> {
  const n = AUDIT_COLUMNS.length;
  if (entries.length <= 50) {
    const rows = entries.map((_, r) => {
      const p = (c: number) => `$${r * n + c + 1}`;
      return `(${AUDIT_COLUMNS.map((name, c) => p(c) + (ARRAY_CASTS[name] ?? '')).join(', ')})`;
    });
    await s.query(
      `insert into audit_entry (${AUDIT_COLUMNS.join(', ')}) values ${rows.join(', ')}`,
      entries.flatMap(fieldsOf),
      `audit-insert-${entries.length}`, // parsed and planned once per connection and group size
    );
    return;
  }
  const columns = AUDIT_COLUMNS.map((_, c) => entries.map((e) => fieldsOf(e)[c]));
  await s.query(
    `insert into audit_entry (${AUDIT_COLUMNS.join(', ')})
     select seq, at, user_id, username, role, action, route, person_ids::bigint[], record_refs::text[], purpose,
            purpose_reference, break_glass_reason, outcome, status, request_id, prev_hash, hash
       from unnest($1::bigint[], $2::timestamptz[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[],
                   $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::int[], $15::text[],
                   $16::text[], $17::text[])
         as t(seq, at, user_id, username, role, action, route, person_ids, record_refs, purpose, purpose_reference,
              break_glass_reason, outcome, status, request_id, prev_hash, hash)`,
    columns,
  );
}
