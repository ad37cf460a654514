import { hash } from 'node:crypto';

/**
 * The 64-bit key under which a raw record's versions are found: the first 8 bytes of SHA-256 of its
 * source record id, as a signed decimal (PostgreSQL bigint). An index of these is a fifth the size of
 * one over the ids themselves, so it stays in memory at hundreds of millions of records; a lookup
 * confirms the source and id of what it finds, so a collision costs a wasted row, never a wrong match.
 */
export function recordKeyOf(sourceRecordId: string): string {
  return BigInt.asIntN(64, BigInt(`0x${hash('sha256', sourceRecordId).slice(0, 16)}`)).toString();
}
