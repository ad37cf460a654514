import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../store/database.js';
import { openDatabase } from '../store/open-database.js';
import { createUser } from './accounts.js';
import { signIn, type SignInOutcome } from './sign-in.js';
import { LOCKOUT } from './sign-in-lockout.js';
import { totpCode } from './totp.js';

const PASSWORD = 'correct horse battery';
/** Written by the scrypt hashing this platform used before argon2id, for 'correct horse battery'. */
const LEGACY_SCRYPT_HASH =
  'scrypt$32768$8$1$QVYCivkCBZRvSRck4W11og==$i1T/DIxcQRMu0Mw9gLi3WFfdFYzq56taA8GO0H99X6Y=';

// A fixed secret and fixed clocks keep every code, right or wrong, the same from run to run.
const SUPERVISOR_SECRET = 'JBSWY3DPEHPK3PXP';
let db: Database;

beforeAll(async () => {
  db = await openDatabase({ ephemeral: true });
  for (const name of ['ana.lyst', 'old.timer', 'lock.me', 'burst.user'])
    await createUser(db, name, PASSWORD, 'analyst');
  await createUser(db, 'sue.pervisor', PASSWORD, 'supervisor', { totpSecret: SUPERVISOR_SECRET });
});
afterAll(async () => {
  await db.close();
});

const at = (iso: string) => new Date(iso);
const minutesLater = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);
const kind = (o: SignInOutcome) => o.kind;

describe('sign-in', () => {
  it('signs in with the right password and refuses a wrong one like an unknown user', async () => {
    const now = at('2026-01-01T09:00:00Z');
    expect(await signIn(db, { username: 'ana.lyst', password: PASSWORD }, now)).toMatchObject({
      kind: 'signed-in',
      user: { username: 'ana.lyst', role: 'analyst' },
    });
    expect(await signIn(db, { username: 'ana.lyst', password: 'wrong password' }, now)).toEqual({
      kind: 'refused',
    });
    expect(await signIn(db, { username: 'no.such.user', password: PASSWORD }, now)).toEqual({
      kind: 'refused',
    });
  });

  it('accepts a scrypt hash from before argon2id and replaces it on sign-in', async () => {
    await db.session((s) =>
      s.query('update app_user set password_hash = $1 where username = $2', [
        LEGACY_SCRYPT_HASH,
        'old.timer',
      ]),
    );
    const outcome = await signIn(db, { username: 'old.timer', password: PASSWORD });
    expect(kind(outcome)).toBe('signed-in');
    const [row] = await db.session((s) =>
      s.query<{ password_hash: string }>('select password_hash from app_user where username = $1', [
        'old.timer',
      ]),
    );
    expect(row!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(kind(await signIn(db, { username: 'old.timer', password: PASSWORD }))).toBe('signed-in');
  });

  it('locks a user name for 15 minutes after 5 failures within 15 minutes, then lets it in', async () => {
    const start = at('2026-01-02T09:00:00Z');
    for (let i = 0; i < LOCKOUT.maxFailures; i++)
      expect(
        kind(await signIn(db, { username: 'lock.me', password: 'wrong password' }, minutesLater(start, i))),
      ).toBe('refused');
    const lockedAt = minutesLater(start, LOCKOUT.maxFailures - 1);
    // Even the right password is refused while the lock holds.
    expect(await signIn(db, { username: 'lock.me', password: PASSWORD }, minutesLater(lockedAt, 1))).toEqual({
      kind: 'locked',
      until: minutesLater(lockedAt, 15),
    });
    expect(
      kind(await signIn(db, { username: 'lock.me', password: PASSWORD }, minutesLater(lockedAt, 14))),
    ).toBe('locked');
    expect(
      kind(await signIn(db, { username: 'lock.me', password: PASSWORD }, minutesLater(lockedAt, 15))),
    ).toBe('signed-in');
  });

  it('counts failures only within the window, and forgives them on success', async () => {
    const start = at('2026-01-03T09:00:00Z');
    const fail = (m: number) =>
      signIn(db, { username: 'ana.lyst', password: 'wrong' }, minutesLater(start, m));
    // Four failures, then the fifth 16 minutes after the first: a new window, no lock.
    for (const m of [0, 1, 2, 3, 16]) expect(kind(await fail(m))).toBe('refused');
    expect(kind(await fail(17))).toBe('refused');
    // A success resets the count: four more failures do not lock.
    expect(
      kind(await signIn(db, { username: 'ana.lyst', password: PASSWORD }, minutesLater(start, 18))),
    ).toBe('signed-in');
    for (const m of [19, 20, 21, 22]) expect(kind(await fail(m))).toBe('refused');
    expect(
      kind(await signIn(db, { username: 'ana.lyst', password: PASSWORD }, minutesLater(start, 23))),
    ).toBe('signed-in');
  });

  it('locks an unknown user name the same way, so a lock does not tell who exists', async () => {
    const start = at('2026-01-04T09:00:00Z');
    for (let i = 0; i < LOCKOUT.maxFailures; i++)
      await signIn(db, { username: 'nobody.here', password: 'guess' }, minutesLater(start, i));
    expect(
      kind(await signIn(db, { username: 'nobody.here', password: 'guess' }, minutesLater(start, 5))),
    ).toBe('locked');
  });

  it('counts a burst of parallel guesses before checking any of them', async () => {
    const now = at('2026-01-05T09:00:00Z');
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, () => signIn(db, { username: 'burst.user', password: 'guess' }, now)),
    );
    expect(outcomes.filter((o) => o.kind === 'refused')).toHaveLength(LOCKOUT.maxFailures);
    expect(outcomes.filter((o) => o.kind === 'locked')).toHaveLength(12 - LOCKOUT.maxFailures);
  });
});

describe('second factor', () => {
  it('asks a supervisor for the code, accepts it once, and refuses its replay', async () => {
    const now = at('2026-02-01T09:00:00Z');
    const attempt = { username: 'sue.pervisor', password: PASSWORD };
    expect(await signIn(db, attempt, now)).toEqual({ kind: 'totp-required' });
    const code = totpCode(SUPERVISOR_SECRET, now.getTime());
    expect(await signIn(db, { ...attempt, totp: code }, now)).toMatchObject({
      kind: 'signed-in',
      user: { role: 'supervisor' },
    });
    expect(await signIn(db, { ...attempt, totp: code }, now)).toEqual({ kind: 'totp-invalid' });
    // A code of an earlier step is refused too once a later one was used; the next step's code works.
    const next = new Date(now.getTime() + 30_000);
    expect(
      kind(await signIn(db, { ...attempt, totp: totpCode(SUPERVISOR_SECRET, now.getTime() - 30_000) }, next)),
    ).toBe('totp-invalid');
    expect(
      kind(await signIn(db, { ...attempt, totp: totpCode(SUPERVISOR_SECRET, next.getTime()) }, next)),
    ).toBe('signed-in');
  });

  it('counts a wrong code as a failed attempt, but not a missing one', async () => {
    const start = at('2026-02-02T09:00:00Z');
    const attempt = { username: 'sue.pervisor', password: PASSWORD };
    for (let i = 0; i < 10; i++) expect(kind(await signIn(db, attempt, start))).toBe('totp-required');
    for (let i = 0; i < LOCKOUT.maxFailures; i++)
      expect(kind(await signIn(db, { ...attempt, totp: '000000' }, minutesLater(start, 1)))).toBe(
        'totp-invalid',
      );
    const code = totpCode(SUPERVISOR_SECRET, minutesLater(start, 2).getTime());
    expect(kind(await signIn(db, { ...attempt, totp: code }, minutesLater(start, 2)))).toBe('locked');
  });

  it('refuses a supervisor who has no second factor set up', async () => {
    await createUser(db, 'no.factor', PASSWORD, 'admin');
    await db.session((s) => s.query("update app_user set totp_secret = null where username = 'no.factor'"));
    expect(await signIn(db, { username: 'no.factor', password: PASSWORD, totp: '123456' })).toEqual({
      kind: 'totp-not-enrolled',
    });
  });
});
