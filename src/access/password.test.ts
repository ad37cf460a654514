import { hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password.js';

/** Written by the scrypt hashing this platform used before argon2id, for 'correct horse battery'. */
const LEGACY_SCRYPT_HASH =
  'scrypt$32768$8$1$QVYCivkCBZRvSRck4W11og==$i1T/DIxcQRMu0Mw9gLi3WFfdFYzq56taA8GO0H99X6Y=';

describe('password hashing', () => {
  it('stores an argon2id PHC string with at least OWASP parameters, and verifies it', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword('correct horse battery', stored)).toEqual({ ok: true, needsRehash: false });
    expect(await verifyPassword('correct horse battery!', stored)).toEqual({ ok: false, needsRehash: false });
  });

  it('salts each hash', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });

  it('still verifies a scrypt hash, and asks for it to be replaced', async () => {
    expect(await verifyPassword('correct horse battery', LEGACY_SCRYPT_HASH)).toEqual({
      ok: true,
      needsRehash: true,
    });
    expect((await verifyPassword('wrong horse battery', LEGACY_SCRYPT_HASH)).ok).toBe(false);
  });

  it('asks for an argon2 hash with weaker parameters to be replaced', async () => {
    const weak = await hash('correct horse battery', { memoryCost: 4096, timeCost: 1, parallelism: 1 });
    expect(await verifyPassword('correct horse battery', weak)).toEqual({ ok: true, needsRehash: true });
  });

  it('never verifies a malformed or unknown hash', async () => {
    for (const stored of ['', 'plain text', '$argon2id$v=19$m=19456', 'scrypt$1$2'])
      expect((await verifyPassword('anything at all', stored)).ok).toBe(false);
  });
});
