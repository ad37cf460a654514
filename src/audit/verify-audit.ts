import { auditHash, GENESIS_HASH, type ChainedAuditRecord } from '../core/audit/audit-chain.js';
import type { Database } from '../store/database.js';
import { auditCheckpoints, type AuditCheckpoint } from './audit-reader.js';
import { verifyChainInStore } from './verify-in-store.js';
import { verifyCheckpointSignature } from './audit-signer.js';

export interface AuditVerification {
  readonly ok: boolean;
  readonly entries: number;
  readonly checkpoints: number;
  readonly head: { readonly seq: string; readonly hash: string } | null;
  /** The first entry that does not hold, and why. */
  readonly firstBroken: { readonly seq: string; readonly reason: string } | null;
  readonly checkpointProblems: readonly { readonly seq: string; readonly reason: string }[];
  /** Public keys that signed the checkpoints (an inspector compares them with the published key). */
  readonly signedBy: readonly string[];
}

/**
 * Checks the chain entry by entry: numbers contiguous, each entry linked to the one before, each hash
 * recomputed from the entry's content; then every checkpoint's hash against the entry it names and its
 * signature. Entries come in chain order from the store or from an export; a partial export starts
 * from its first entry's recorded link. With `trustedKey`, checkpoints signed by any other key fail.
 */
export async function verifyAuditChain(
  entries: AsyncIterable<ChainedAuditRecord>,
  checkpoints: readonly AuditCheckpoint[],
  options: { trustedKey?: string; onProgress?: (entries: number) => void } = {},
): Promise<AuditVerification> {
  const bySeq = new Map(checkpoints.map((c) => [c.seq, c]));
  const hashAt = new Map<string, string>();
  let count = 0;
  let expectedSeq: bigint | null = null;
  let prevHash: string | null = null;
  let firstBroken: AuditVerification['firstBroken'] = null;
  let head: AuditVerification['head'] = null;

  for await (const e of entries) {
    count++;
    if (count % 100_000 === 0) options.onProgress?.(count);
    if (firstBroken) continue; // count the rest; the first break is what matters
    const seq = BigInt(e.seq);
    if (expectedSeq === null) {
      // The first entry: the genesis, or the start of a partial export (its link is taken as given).
      if (seq === 1n && e.prevHash !== GENESIS_HASH)
        firstBroken = { seq: e.seq, reason: 'the first entry does not start the chain' };
      prevHash = e.prevHash;
    } else if (seq !== expectedSeq) {
      firstBroken = {
        seq: expectedSeq.toString(),
        reason: `entry ${expectedSeq} is missing (the next entry is ${e.seq}): deleted`,
      };
      continue;
    } else if (e.prevHash !== prevHash) {
      firstBroken = { seq: e.seq, reason: `entry ${e.seq} does not link to entry ${seq - 1n}` };
      continue;
    }
    const recomputed = auditHash(prevHash, e.seq, e);
    if (recomputed !== e.hash) {
      firstBroken = { seq: e.seq, reason: `entry ${e.seq} was altered: its content does not give its hash` };
      continue;
    }
    if (bySeq.has(e.seq)) hashAt.set(e.seq, e.hash);
    prevHash = recomputed;
    expectedSeq = seq + 1n;
    head = { seq: e.seq, hash: e.hash };
  }

  const checkpointProblems = checkCheckpoints(checkpoints, hashAt, firstBroken, options.trustedKey);
  return {
    ok: firstBroken === null && checkpointProblems.length === 0,
    entries: count,
    checkpoints: checkpoints.length,
    head,
    firstBroken,
    checkpointProblems,
    signedBy: [...new Set(checkpoints.map((c) => c.publicKey))],
  };
}

/**
 * Each checkpoint: signed by the trusted key (when one is given), its signature valid, and the chain
 * still holding the signed hash at its entry (unless the chain broke before it, which is reported).
 */
export function checkCheckpoints(
  checkpoints: readonly AuditCheckpoint[],
  hashAt: ReadonlyMap<string, string>,
  firstBroken: { readonly seq: string } | null,
  trustedKey: string | undefined,
): { seq: string; reason: string }[] {
  const problems: { seq: string; reason: string }[] = [];
  for (const c of checkpoints) {
    if (trustedKey && c.publicKey !== trustedKey)
      problems.push({ seq: c.seq, reason: 'signed by a key other than the trusted one' });
    else if (!verifyCheckpointSignature(c.publicKey, c.seq, c.hash, c.signature))
      problems.push({ seq: c.seq, reason: 'the signature does not verify' });
    else if (hashAt.has(c.seq) && hashAt.get(c.seq) !== c.hash)
      problems.push({ seq: c.seq, reason: 'the chain no longer has the signed hash here' });
    else if (!hashAt.has(c.seq) && !(firstBroken && BigInt(c.seq) >= BigInt(firstBroken.seq)))
      problems.push({ seq: c.seq, reason: 'no intact entry with this number' });
  }
  return problems;
}

/** The whole chain and its checkpoints, checked where they lie (verify-in-store.ts): `imos audit verify`. */
export async function verifyAuditStore(
  db: Database,
  options: { trustedKey?: string } = {},
): Promise<AuditVerification> {
  const checkpoints = await auditCheckpoints(db);
  const r = await verifyChainInStore(
    db,
    checkpoints.map((c) => c.seq),
  );
  const checkpointProblems = checkCheckpoints(checkpoints, r.hashesAt, r.firstBroken, options.trustedKey);
  return {
    ok: r.firstBroken === null && checkpointProblems.length === 0,
    entries: r.entries,
    checkpoints: checkpoints.length,
    head: r.head,
    firstBroken: r.firstBroken,
    checkpointProblems,
    signedBy: [...new Set(checkpoints.map((c) => c.publicKey))],
  };
}
