import { fmix32, mix } from './prng.js';

/**
 * Identifiers that look real but are unique by construction: each one is a bijection of a counter,
 * so no two counters can ever give the same identifier, and none of them is stored in memory.
 */

/** Every synthetic passport number starts with this letter (see docs/generator.md). */
export const DOC_NUMBER_PREFIX = 'X';

const ADMISSION_SPACE = 100_000_000_000n; // 11 decimal digits
const DOC_SPACE = 36n ** 8n; // 8 base-36 characters after the prefix
const DOC_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** An odd multiplier that is also coprime with `forbidden` (so the affine map is a bijection). */
function coprimeMultiplier(seedHash: number, space: bigint, forbidden: bigint): bigint {
  let m = (BigInt(seedHash) * 2654435761n + 1_000_003n) % space;
  while (m % 2n === 0n || m % forbidden === 0n || m < 1_000_000n) m = (m + 1n) % space;
  return m;
}

export class IdentifierFactory {
  private readonly recordSalt: number;
  private readonly admissionMul: bigint;
  private readonly admissionAdd: bigint;
  private readonly docMul: bigint;
  private readonly docAdd: bigint;

  constructor(seed: number) {
    this.recordSalt = mix(seed, 0x5ec0);
    this.admissionMul = coprimeMultiplier(mix(seed, 0xad), ADMISSION_SPACE, 5n);
    this.admissionAdd = BigInt(mix(seed, 0xae)) * 23n;
    this.docMul = coprimeMultiplier(mix(seed, 0xd0), DOC_SPACE, 3n);
    this.docAdd = BigInt(mix(seed, 0xd1)) * 641n;
  }

  /** The I-94 style admission number: 11 digits, unique per admission counter. */
  admissionNumber(counter: number): string {
    const n = (BigInt(counter) * this.admissionMul + this.admissionAdd) % ADMISSION_SPACE;
    return n.toString().padStart(11, '0');
  }

  /**
   * A 9-character passport number: the prefix plus 8 base-36 characters (36^8 of them). The
   * population counts up from 0; the noise model counts down from the top of the space
   * (noiseDocCounter), so the two never meet.
   */
  docNumber(counter: number): string {
    const n = (BigInt(counter) * this.docMul + this.docAdd) % DOC_SPACE;
    let s = '';
    let v = n;
    for (let i = 0; i < 8; i++) {
      s = DOC_ALPHABET[Number(v % 36n)]! + s;
      v /= 36n;
    }
    return DOC_NUMBER_PREFIX + s;
  }

  /** A document counter reserved for the noise model (renewals nobody links). */
  static noiseDocCounter(k: number): number {
    return Number(DOC_SPACE) - 1 - k;
  }

  /**
   * A record id such as `A-3F9C21B0`: prefix by feed, then a 32-bit bijection of the counter.
   * Population records use counters below 2^31, duplicates made by the noise model use counters from
   * 2^31 up, so ids stay the same whatever the noise level, and a duplicate never reuses one.
   */
  recordId(prefix: string, counter: number): string {
    const h = fmix32((counter ^ this.recordSalt) >>> 0);
    return `${prefix}-${h.toString(16).toUpperCase().padStart(8, '0')}`;
  }
}

export const DUPLICATE_COUNTER_BASE = 0x80000000;
