import { GENESIS_HASH } from '../core/audit/audit-chain.js';
import type { Database } from '../store/database.js';

const hex = (col: string) => `coalesce(encode(convert_to(${col}, 'UTF8'), 'hex'), '-')`;

/** core/audit/audit-chain.ts canonicalAuditText, in SQL: the same text for the same entry. */
export const CANONICAL_SQL = [
  'seq::text',
  '(extract(epoch from at) * 1000)::bigint::text',
  hex('user_id::text'),
  hex('username'),
  hex('role'),
  hex('action'),
  hex('route'),
  "array_to_string(person_ids, ',')",
  `coalesce((select string_agg(encode(convert_to(r, 'UTF8'), 'hex'), ',' order by n) from unnest(record_refs) with ordinality u(r, n)), '')`,
  hex('purpose'),
  hex('purpose_reference'),
  hex('break_glass_reason'),
  hex('outcome'),
  'status::text',
  hex('request_id'),
].join(` || '|' || `);

export interface StoreChainCheck {
  readonly entries: number;
  readonly head: { readonly seq: string; readonly hash: string } | null;
  readonly firstBroken: { readonly seq: string; readonly reason: string } | null;
  /** The stored hash of each asked-for entry number that is intact (for the checkpoints). */
  readonly hashesAt: ReadonlyMap<string, string>;
}

/**
 * Checks the chain where it lies: every entry's hash recomputed by the database from its content and
 * its recorded link, every link compared with the previous entry's hash, the numbers contiguous. One
 * scan, no entry leaves the server except the first broken one. Each entry's check depends only on it
 * and its predecessor's stored hash, so a broken entry cannot hide behind another.
 */
export async function verifyChainInStore(
  db: Database,
  checkpointSeqs: readonly string[],
): Promise<StoreChainCheck> {
  return db.session(async (s) => {
    const [summary] = await s.query<{ entries: number; head_seq: string | null; head_hash: string | null }>(
      `select count(*)::int as entries, max(seq)::text as head_seq,
              (select hash from audit_entry order by audit_entry.seq desc limit 1) as head_hash from audit_entry`,
    );
    const [broken] = await s.query<{ seq: string; reason: string }>(
      `with checked as (
         select seq, hash, prev_hash,
                lag(seq) over w as prev_seq, lag(hash) over w as prev_stored,
                encode(sha256(convert_to(prev_hash || E'\\n' || ${CANONICAL_SQL}, 'UTF8')), 'hex') as recomputed
           from audit_entry window w as (order by seq))
       select (case when prev_seq is null and seq <> 1 then 1
                    when prev_seq is not null and seq <> prev_seq + 1 then prev_seq + 1
                    else seq end)::text as seq,
              case when prev_seq is null and seq <> 1 then 'entry ' || 1 || ' is missing (the first entry is ' || seq || '): deleted'
                   when prev_seq is not null and seq <> prev_seq + 1 then 'entry ' || (prev_seq + 1) || ' is missing (the next entry is ' || seq || '): deleted'
                   when prev_seq is null and prev_hash <> $1 then 'the first entry does not start the chain'
                   when prev_seq is not null and prev_hash <> prev_stored then 'entry ' || seq || ' does not link to entry ' || prev_seq
                   else 'entry ' || seq || ' was altered: its content does not give its hash' end as reason
         from checked
        where (prev_seq is null and (seq <> 1 or prev_hash <> $1))
           or (prev_seq is not null and (seq <> prev_seq + 1 or prev_hash <> prev_stored))
           or recomputed <> hash
        order by seq limit 1`,
      [GENESIS_HASH],
    );
    // A missing entry is named by its own number, not by the entry that follows the gap.
    const firstBroken = broken ? { seq: broken.seq, reason: broken.reason } : null;
    const intact = firstBroken
      ? checkpointSeqs.filter((c) => BigInt(c) < BigInt(firstBroken.seq))
      : checkpointSeqs;
    const hashes = intact.length
      ? await s.query<{ seq: string; hash: string }>(
          'select seq::text as seq, hash from audit_entry where seq = any($1::bigint[])',
          [intact],
        )
      : [];
    // The head: the last entry, or when the chain is broken the last intact one before the break.
    const [head] = firstBroken
      ? await s.query<{ seq: string; hash: string }>(
          'select seq::text as seq, hash from audit_entry where seq < $1 order by audit_entry.seq desc limit 1',
          [firstBroken.seq],
        )
      : summary!.head_seq === null
        ? []
        : [{ seq: summary!.head_seq, hash: summary!.head_hash! }];
    return {
      entries: summary!.entries,
      head: head ?? null,
      firstBroken,
      hashesAt: new Map(hashes.map((h) => [h.seq, h.hash])),
    };
  });
}
