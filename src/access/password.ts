import { scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { hash, parseOptions, verify, type Algorithm, type Options } from '@node-rs/argon2';

/**
 * argon2id at OWASP's minimum configuration (m = 19 MiB, t = 2, p = 1), stored as the PHC string
 * (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`), which names its own parameters so they can be raised
 * later: a hash made with weaker ones is replaced at the next successful sign-in.
 * `Algorithm` is a const enum, which isolated modules cannot read at run time: 2 is Argon2id.
 */
const ARGON2ID = 2 as Algorithm;
const COST = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
const ARGON2: Options = { algorithm: ARGON2ID, ...COST };

export interface PasswordCheck {
  readonly ok: boolean;
  /** The stored hash is older or weaker than today's: store a fresh hashPassword() of the password. */
  readonly needsRehash: boolean;
}

/** Hashed on the libuv thread pool, so a sign-in does not block the event loop. */
export async function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export async function verifyPassword(password: string, stored: string): Promise<PasswordCheck> {
  if (stored.startsWith('scrypt$')) return { ok: await verifyScrypt(password, stored), needsRehash: true };
  if (!stored.startsWith('$argon2')) return { ok: false, needsRehash: false };
  try {
    const ok = await verify(stored, password);
    return { ok, needsRehash: ok && isWeaker(stored) };
  } catch {
    return { ok: false, needsRehash: false }; // a malformed stored hash never verifies
  }
}

function isWeaker(stored: string): boolean {
  const p = parseOptions(stored);
  return (
    p.algorithm !== ARGON2ID ||
    p.memoryCost < COST.memoryCost ||
    p.timeCost < COST.timeCost ||
    p.parallelism < COST.parallelism
  );
}

const scrypt = promisify(scryptCb) as (
  pw: string,
  salt: Buffer,
  len: number,
  opts: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/**
 * Hashes written before argon2id: `scrypt$N$r$p$salt$key` (base64). Still verified so existing accounts
 * can sign in; each is rehashed with argon2id on its first successful sign-in.
 */
async function verifyScrypt(password: string, stored: string): Promise<boolean> {
  const [, n, r, p, salt, key] = stored.split('$');
  if (!n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return timingSafeEqual(expected, actual);
}
