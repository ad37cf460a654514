import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Database } from '../store/database.js';
import { hashPassword } from './password.js';
import { ROLES, type Role } from './roles.js';
import { base32Encode, newTotpSecret, otpauthUri } from './totp.js';

export interface User {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
}

/**
 * A user just created, with the TOTP secret to hand over once, also as an otpauth:// URI for an
 * authenticator app (both null for roles without a second factor).
 */
export interface NewUser extends User {
  readonly totpSecret: string | null;
  readonly otpauthUri: string | null;
}

/** The roles that act on people's cases and on the platform itself sign in with a second factor. */
export const requiresTotp = (role: Role): boolean => role === 'supervisor' || role === 'admin';

/**
 * A session ends after 30 minutes unused or 8 hours after sign-in, whichever comes first. Its last use
 * is written at most once a minute, so a busy client does not cost a write per request.
 */
export const SESSION_LIMITS = { idleMinutes: 30, absoluteHours: 8, touchSeconds: 60 } as const;

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
const before = (now: Date, ms: number) => new Date(now.getTime() - ms).toISOString();

export async function createUser(
  db: Database,
  username: string,
  password: string,
  role: Role,
  options: { totpSecret?: string } = {},
): Promise<NewUser> {
  if (!/^[a-z][a-z0-9._-]{2,63}$/.test(username))
    throw new Error(`username "${username}" must be 3-64 characters: lower-case letters, digits, . _ -`);
  if (password.length < 12) throw new Error('a password must have at least 12 characters');
  const hash = await hashPassword(password);
  const totpSecret = requiresTotp(role) ? (options.totpSecret ?? newTotpSecret()) : null;
  const [row] = await db.session((s) =>
    s.query<{ id: string }>(
      'insert into app_user (username, password_hash, role, totp_secret) values ($1, $2, $3, $4) returning id::text as id',
      [username, hash, role, totpSecret],
    ),
  );
  return {
    id: row!.id,
    username,
    role,
    totpSecret,
    otpauthUri: totpSecret ? otpauthUri(totpSecret, username) : null,
  };
}

export async function countUsers(db: Database): Promise<number> {
  const [row] = await db.session((s) => s.query<{ n: number }>('select count(*)::int as n from app_user'));
  return row?.n ?? 0;
}

/** Opens a session; the token is returned once and only its hash is stored. */
export async function openSession(db: Database, user: User, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const expires = new Date(now.getTime() + SESSION_LIMITS.absoluteHours * 3_600_000);
  await db.transaction(async (s) => {
    // Sessions that have ended are removed here rather than by a timer.
    await s.query(
      'delete from app_session where expires_at <= $1::timestamptz or last_seen_at <= $2::timestamptz',
      [now.toISOString(), before(now, SESSION_LIMITS.idleMinutes * 60_000)],
    );
    await s.query(
      `insert into app_session (token_hash, user_id, created_at, last_seen_at, expires_at)
       values ($1, $2, $3::timestamptz, $3::timestamptz, $4::timestamptz)`,
      [tokenHash(token), user.id, now.toISOString(), expires.toISOString()],
    );
  });
  return token;
}

/**
 * The user of a live session, or null when the token is unknown, idle too long or past its absolute end,
 * or the account has been disabled (user admin).
 * Using a session keeps it alive: its last use is moved on when it is more than a minute old.
 */
export async function userOfSession(db: Database, token: string, now = new Date()): Promise<User | null> {
  const [row] = await db.session((s) =>
    s.query<User>(
      `with live as (
         select token_hash, user_id, last_seen_at from app_session
          where token_hash = $1 and expires_at > $2::timestamptz and last_seen_at > $3::timestamptz
       ), touched as (
         update app_session s set last_seen_at = $2::timestamptz from live
          where s.token_hash = live.token_hash and live.last_seen_at <= $4::timestamptz
       )
       select u.id::text as id, u.username, u.role from live join app_user u on u.id = live.user_id
        where u.disabled_at is null`,
      [
        tokenHash(token),
        now.toISOString(),
        before(now, SESSION_LIMITS.idleMinutes * 60_000),
        before(now, SESSION_LIMITS.touchSeconds * 1000),
      ],
    ),
  );
  return row ?? null;
}

export async function closeSession(db: Database, token: string): Promise<void> {
  await db.session((s) => s.query('delete from app_session where token_hash = $1', [tokenHash(token)]));
}

export interface DemoAccount {
  readonly username: string;
  /** The office of an officer (config/offices.json). */
  readonly office?: string;
  readonly password: string;
  readonly role: Role;
  readonly totpSecret: string | null;
  readonly otpauthUri: string | null;
}

/**
 * The TOTP secret of a demo account when the demo password is fixed (IMOS_DEMO_PASSWORD, set by tests):
 * derived from that password and the user name, so a test can compute the codes. Never for real users.
 */
export function demoTotpSecret(fixedPassword: string, username: string): string {
  return base32Encode(
    createHmac('sha256', fixedPassword).update(`demo totp ${username}`).digest().subarray(0, 20),
  );
}

/**
 * On a fresh store, one demo account per role. Passwords and TOTP secrets are random (or derived from
 * IMOS_DEMO_PASSWORD, for tests) and printed once by `npm start`; passwords are never stored in clear.
 */
export async function ensureDemoAccounts(db: Database, fixedPassword?: string): Promise<DemoAccount[]> {
  if ((await countUsers(db)) > 0) return [];
  const created: DemoAccount[] = [];
  for (const role of ROLES) {
    const username = `demo.${role}`;
    const password = fixedPassword ?? randomBytes(12).toString('base64url');
    const user = await createUser(
      db,
      username,
      password,
      role,
      fixedPassword ? { totpSecret: demoTotpSecret(fixedPassword, username) } : {},
    );
    // The demo officer works for the New York office (config/offices.json): persons admitted elsewhere
    // open only with a written reason, as for a real officer.
    if (role === 'officer')
      await db.session((s) => s.query("update app_user set office = 'NYC' where id = $1", [user.id]));
    created.push({
      ...(role === 'officer' ? { office: 'NYC' } : {}),
      username,
      password,
      role,
      totpSecret: user.totpSecret,
      otpauthUri: user.otpauthUri,
    });
  }
  return created;
}
