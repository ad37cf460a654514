import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../store/database.js';
import { hashPassword, verifyPassword } from './password.js';
import { ROLES, type Role } from './roles.js';

export interface User {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
}

/** Sessions expire after 8 hours (a working day); idle timeouts come with the accountability issue. */
export const SESSION_HOURS = 8;

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createUser(
  db: Database,
  username: string,
  password: string,
  role: Role,
): Promise<User> {
  if (!/^[a-z][a-z0-9._-]{2,63}$/.test(username))
    throw new Error(`username "${username}" must be 3-64 characters: lower-case letters, digits, . _ -`);
  if (password.length < 12) throw new Error('a password must have at least 12 characters');
  const hash = await hashPassword(password);
  const [row] = await db.session((s) =>
    s.query<{ id: string }>(
      'insert into app_user (username, password_hash, role) values ($1, $2, $3) returning id::text as id',
      [username, hash, role],
    ),
  );
  return { id: row!.id, username, role };
}

export async function countUsers(db: Database): Promise<number> {
  const [row] = await db.session((s) => s.query<{ n: number }>('select count(*)::int as n from app_user'));
  return row?.n ?? 0;
}

/** Checks a password; the same work is done for an unknown user, so timing does not reveal who exists. */
export async function authenticate(db: Database, username: string, password: string): Promise<User | null> {
  const [row] = await db.session((s) =>
    s.query<{ id: string; username: string; role: Role; password_hash: string }>(
      'select id::text as id, username, role, password_hash from app_user where username = $1',
      [username],
    ),
  );
  const stored = row?.password_hash ?? (await hashPassword('no such user, constant work'));
  const ok = await verifyPassword(password, stored);
  return ok && row ? { id: row.id, username: row.username, role: row.role } : null;
}

export async function openSession(db: Database, user: User): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.session((s) =>
    s.query(
      `insert into app_session (token_hash, user_id, expires_at) values ($1, $2, now() + interval '${SESSION_HOURS} hours')`,
      [tokenHash(token), user.id],
    ),
  );
  return token;
}

export async function userOfSession(db: Database, token: string): Promise<User | null> {
  const [row] = await db.session((s) =>
    s.query<User>(
      `select u.id::text as id, u.username, u.role from app_session s join app_user u on u.id = s.user_id
        where s.token_hash = $1 and s.expires_at > now()`,
      [tokenHash(token)],
    ),
  );
  return row ?? null;
}

export async function closeSession(db: Database, token: string): Promise<void> {
  await db.session((s) => s.query('delete from app_session where token_hash = $1', [tokenHash(token)]));
}

/**
 * On a fresh store, one demo account per role. Passwords are random (or IMOS_DEMO_PASSWORD, for tests)
 * and printed once by `npm start`; they are never stored in clear.
 */
export async function ensureDemoAccounts(
  db: Database,
  fixedPassword?: string,
): Promise<{ username: string; password: string; role: Role }[]> {
  if ((await countUsers(db)) > 0) return [];
  const created: { username: string; password: string; role: Role }[] = [];
  for (const role of ROLES) {
    const password = fixedPassword ?? randomBytes(12).toString('base64url');
    await createUser(db, `demo.${role}`, password, role);
    created.push({ username: `demo.${role}`, password, role });
  }
  return created;
}
