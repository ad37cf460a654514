import type { Database } from '../store/database.js';
import { requiresTotp, type User } from './accounts.js';
import { hashPassword, verifyPassword } from './password.js';
import type { Role } from './roles.js';
import { attemptFailed, attemptNotCounted, attemptSucceeded, startAttempt } from './sign-in-lockout.js';
import { matchTotp } from './totp.js';

export interface SignInAttempt {
  readonly username: string;
  readonly password: string;
  /** The 6-digit code from the authenticator app; needed by roles with a second factor. */
  readonly totp?: string | undefined;
}

/**
 * How a sign-in ended. `refused` is the one answer for an unknown user and for a wrong password alike.
 * `totp-required` comes only after the right password, so it tells nothing to someone without it.
 */
export type SignInOutcome =
  | { readonly kind: 'signed-in'; readonly user: User }
  | { readonly kind: 'refused' }
  | { readonly kind: 'locked'; readonly until: Date }
  | { readonly kind: 'totp-required' }
  | { readonly kind: 'totp-invalid' }
  | { readonly kind: 'totp-not-enrolled' };

interface UserRow {
  id: string;
  username: string;
  role: Role;
  password_hash: string;
  totp_secret: string | null;
  /** Set by user admin: the account may not sign in (answered like a wrong password). */
  disabled_at: string | null;
}

// An unknown user name is checked against this hash, so the answer takes as long as for a real user.
let decoyHash: Promise<string> | undefined;
const decoy = () => (decoyHash ??= hashPassword('no such user: the same work as a real one'));

/** Checks a sign-in: lockout, password (rehashed when old), then the second factor where the role needs it. */
export async function signIn(db: Database, attempt: SignInAttempt, now = new Date()): Promise<SignInOutcome> {
  const { username } = attempt;
  const lockedUntil = await startAttempt(db, username, now);
  if (lockedUntil) return { kind: 'locked', until: lockedUntil };

  const [row] = await db.session((s) =>
    s.query<UserRow>(
      'select id::text as id, username, role, password_hash, totp_secret, disabled_at::text as disabled_at from app_user where username = $1',
      [username],
    ),
  );
  const check = await verifyPassword(attempt.password, row?.password_hash ?? (await decoy()));
  // A disabled account gets the answer of a wrong password, and the attempt counts the same way.
  if (!row || !check.ok || row.disabled_at !== null) {
    await attemptFailed(db, username, now);
    return { kind: 'refused' };
  }
  if (check.needsRehash) await rehash(db, row.id, attempt.password);
  const user: User = { id: row.id, username: row.username, role: row.role };

  if (requiresTotp(user.role)) {
    if (!row.totp_secret) {
      await attemptNotCounted(db, username);
      return { kind: 'totp-not-enrolled' };
    }
    if (!attempt.totp) {
      await attemptNotCounted(db, username);
      return { kind: 'totp-required' };
    }
    const step = matchTotp(row.totp_secret, attempt.totp, now.getTime());
    if (step === null || !(await claimTotpStep(db, user.id, step))) {
      await attemptFailed(db, username, now);
      return { kind: 'totp-invalid' };
    }
  }
  await attemptSucceeded(db, username);
  return { kind: 'signed-in', user };
}

async function rehash(db: Database, userId: string, password: string): Promise<void> {
  const hash = await hashPassword(password);
  await db.session((s) => s.query('update app_user set password_hash = $2 where id = $1', [userId, hash]));
}

/**
 * Records the time step of an accepted code; false when that step or a later one was already used, so
 * a code seen over someone's shoulder (or intercepted) cannot be used again.
 */
async function claimTotpStep(db: Database, userId: string, step: number): Promise<boolean> {
  const rows = await db.session((s) =>
    s.query(
      `update app_user set totp_last_step = $2
        where id = $1 and (totp_last_step is null or totp_last_step < $2) returning id`,
      [userId, step],
    ),
  );
  return rows.length > 0;
}
