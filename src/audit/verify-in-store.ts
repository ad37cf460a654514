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

/** Ranges of entry numbers whose hashes are recomputed at once, each on a connection of its own. */
const HASH_PARTS = 2;

/**
 * Checks the chain where it lies: every entry's hash recomputed by the database from its content and
 * its recorded link, every link compared with the previous entry's hash, the numbers contiguous. No
 * entry leaves the server except the first broken one. Each entry's check depends only on it and its
 * predecessor's stored hash, so a broken entry cannot hide behind another. The hashes, the costly part,
 * are recomputed in ranges side by side (PostgreSQL runs each on a core of its own); the links and
 * numbers are checked in one light scan beside them.
 */
export async function verifyChainInStore(
  db: Database,
  checkpointSeqs: readonly string[],
): Promise<StoreChainCheck> {
  const [summary] = await db.session((s) =>
    s.query<{ entries: number; low: string | null; head_seq: string | null; head_hash: string | null }>(
      `select count(*)::int as entries, min(seq)::text as low, max(seq)::text as head_seq,
              (select hash from audit_entry order by audit_entry.seq desc limit 1) as head_hash from audit_entry`,
    ),
  );
  const low = BigInt(summary!.low ?? '1');
  const high = BigInt(summary!.head_seq ?? '0');
  const step = (high - low) / BigInt(HASH_PARTS) + 1n;
  const ranges: [string, string][] = [];
  for (let lo = low; lo <= high; lo += step) ranges.push([String(lo), String(lo + step - 1n)]);

  const linkProblem = db.session((s) =>
    s.query<{ seq: string; reason: string }>(
      `with checked as (
         select seq, prev_hash, lag(seq) over w as prev_seq, lag(hash) over w as prev_stored
           from audit_entry window w as (order by seq))
       select (case when prev_seq is null and seq <> 1 then 1
                    when prev_seq is not null and seq <> prev_seq + 1 then prev_seq + 1
                    else seq end)::text as seq,
              case when prev_seq is null and seq <> 1 then 'entry ' || 1 || ' is missing (the first entry is ' || seq || '): deleted'
                   when prev_seq is not null and seq <> prev_seq + 1 then 'entry ' || (prev_seq + 1) || ' is missing (the next entry is ' || seq || '): deleted'
                   when prev_seq is null then 'the first entry does not start the chain'
                   else 'entry ' || seq || ' does not link to entry ' || prev_seq end as reason
         from checked
        where (prev_seq is null and (seq <> 1 or prev_hash <> $1))
           or (prev_seq is not null and (seq <> prev_seq + 1 or prev_hash <> prev_stored))
        order by seq limit 1`,
      [GENESIS_HASH],
    ),
  );
  const altered = ranges.map(([lo, hi]) =>
    db.session((s) =>
      s.query<{ seq: string }>(
        `select seq::text as seq from audit_entry
          where seq between $1 and $2
            and encode(sha256(convert_to(prev_hash || E'\\n' || ${CANONICAL_SQL}, 'UTF8')), 'hex') <> hash
          order by seq limit 1`,
        [lo, hi],
      ),
    ),
  );
  const [link, ...hashes] = await Promise.all([linkProblem, ...altered]);
  // The first broken entry; where an entry both fails to link and was altered, the link is named.
  const candidates = [
    ...(link ?? []).map((r) => ({ seq: r.seq, reason: r.reason, rank: 0 })),
    ...hashes.flat().map((r) => ({
      seq: r.seq,
      reason: `entry ${r.seq} was altered: its content does not give its hash`,
      rank: 1,
    })),
  ].sort((a, b) =>
    BigInt(a.seq) < BigInt(b.seq) ? -1 : BigInt(a.seq) > BigInt(b.seq) ? 1 : a.rank - b.rank,
  );
  const firstBroken = candidates[0] ? { seq: candidates[0].seq, reason: candidates[0].reason } : null;

  return db.session(async (s) => {
    const intact = firstBroken
      ? checkpointSeqs.filter((c) => BigInt(c) < BigInt(firstBroken.seq))
      : checkpointSeqs;
    const hashesAt = intact.length
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
      hashesAt: new Map(hashesAt.map((h) => [h.seq, h.hash])),
    };
  });
}
