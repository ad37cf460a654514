import type { Database } from '../store/database.js';
import type { SqlSession } from '../store/sql-session.js';
import { createUser, requiresTotp } from './accounts.js';
import type { Offices } from './offices.js';
import { ROLES, type Role } from './roles.js';
import { newTotpSecret, otpauthUri } from './totp.js';

/**
 * User admin (the admin role): accounts of staff, never persons of the mission. Answers carry no password
 * hash and no TOTP secret; a secret is handed over once, when it is made (a new supervisor or admin, a
 * role that now needs a second factor, a reset). Accounts are disabled, never deleted: audit entries keep
 * naming them. Nobody changes their own account here, so the one acting always remains an enabled admin.
 */

/** The rules createUser applies (accounts.ts), said so a form can show them before anyone types. */
export const ACCOUNT_RULES = {
  usernamePattern: '^[a-z][a-z0-9._-]{2,63}$',
  username:
    '3 to 64 characters: lower-case letters, digits, dot, underscore or hyphen, starting with a letter',
  passwordMinLength: 12,
  passwordMaxLength: 256,
  password: 'at least 12 characters (a few unrelated words are easier to remember than symbols)',
} as const;

/** An account as user admin shows it. */
export interface AccountView {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  /** The office an officer or supervisor works for (config/offices.json); null: none. */
  readonly office: string | null;
  readonly createdAt: string;
  /** When the account was disabled; null: it may sign in. */
  readonly disabledAt: string | null;
  /** `not-needed`: the role signs in without a second factor; `missing`: it needs one and has none. */
  readonly secondFactor: 'enrolled' | 'missing' | 'not-needed';
}

/** A TOTP secret to hand over once, also as an otpauth:// URI for an authenticator app. */
export interface Enrolment {
  readonly totpSecret: string;
  readonly otpauthUri: string;
}

/** A change made, and how to take it back when it cannot be recorded in the audit log (fail closed). */
export interface AccountChange<T> {
  /** The account changed. */
  readonly accountId: string;
  readonly result: T;
  /** What the audit entry names besides the account, e.g. `role=supervisor`. */
  readonly refs: readonly string[];
  readonly undo: () => Promise<void>;
  /** Nothing changed (already as asked): there is nothing to record. */
  readonly unchanged?: boolean;
}

export class UserAdminError extends Error {
  constructor(
    readonly kind: 'invalid' | 'not-found' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

interface Row {
  id: string;
  username: string;
  role: Role;
  office: string | null;
  created_at: string | Date;
  disabled_at: string | Date | null;
  totp_secret: string | null;
  totp_last_step: string | null;
}

const SELECT = `select id::text as id, username, role, office, created_at, disabled_at, totp_secret,
  totp_last_step::text as totp_last_step from app_user`;

const iso = (v: string | Date | null): string | null => (v === null ? null : new Date(v).toISOString());

function viewOf(r: Row): AccountView {
  return {
    id: r.id,
    username: r.username,
    role: r.role,
    office: r.office,
    createdAt: iso(r.created_at)!,
    disabledAt: iso(r.disabled_at),
    secondFactor: !requiresTotp(r.role) ? 'not-needed' : r.totp_secret ? 'enrolled' : 'missing',
  };
}

const enrolment = (secret: string, username: string): Enrolment => ({
  totpSecret: secret,
  otpauthUri: otpauthUri(secret, username),
});

export async function listAccounts(db: Database): Promise<AccountView[]> {
  const rows = await db.session((s) => s.query<Row>(`${SELECT} order by username`));
  return rows.map(viewOf);
}

async function rowOf(s: SqlSession, id: string, lock = false): Promise<Row> {
  if (!/^[0-9]{1,18}$/.test(id)) throw new UserAdminError('not-found', `no user ${id}`);
  const [row] = await s.query<Row>(`${SELECT} where id = $1${lock ? ' for update' : ''}`, [id]);
  if (!row) throw new UserAdminError('not-found', `no user ${id}`);
  return row;
}

export async function accountOf(db: Database, id: string): Promise<AccountView> {
  return viewOf(await db.session((s) => rowOf(s, id)));
}

function checkRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role))
    throw new UserAdminError('invalid', `unknown role ${role} (one of ${ROLES.join(', ')})`);
  return role as Role;
}

function checkOffice(offices: Offices, office: string | null): string | null {
  if (office !== null && !offices.list.some((o) => o.id === office))
    throw new UserAdminError(
      'invalid',
      `unknown office ${office} (one of ${offices.list.map((o) => o.id).join(', ')})`,
    );
  return office;
}

function notSelf(row: Row, actorId: string, what: string): void {
  if (row.id === actorId)
    throw new UserAdminError('conflict', `you cannot ${what} your own account: ask another administrator`);
}

const endSessions = (s: SqlSession, id: string) =>
  s.query('delete from app_session where user_id = $1', [id]);

export interface NewAccount {
  readonly username: string;
  readonly password: string;
  readonly role: string;
  readonly office?: string | null | undefined;
}

/** Creates an account; a supervisor or admin gets a TOTP secret, returned here once. */
export async function createAccount(
  db: Database,
  offices: Offices,
  input: NewAccount,
): Promise<AccountChange<{ user: AccountView; enrolment: Enrolment | null }>> {
  const role = checkRole(input.role);
  const office = checkOffice(offices, input.office ?? null);
  if (!new RegExp(ACCOUNT_RULES.usernamePattern).test(input.username))
    throw new UserAdminError('invalid', `the user name must be ${ACCOUNT_RULES.username}`);
  if (
    input.password.length < ACCOUNT_RULES.passwordMinLength ||
    input.password.length > ACCOUNT_RULES.passwordMaxLength
  )
    throw new UserAdminError(
      'invalid',
      `a password must have ${ACCOUNT_RULES.passwordMinLength} to ${ACCOUNT_RULES.passwordMaxLength} characters`,
    );
  const taken = await db.session((s) =>
    s.query('select 1 from app_user where username = $1', [input.username]),
  );
  if (taken.length > 0) throw new UserAdminError('conflict', `the user name ${input.username} is taken`);
  let created;
  try {
    created = await createUser(db, input.username, input.password, role);
  } catch (err) {
    if ((err as { code?: string }).code === '23505')
      throw new UserAdminError('conflict', `the user name ${input.username} is taken`);
    throw err;
  }
  if (office !== null)
    await db.session((s) => s.query('update app_user set office = $2 where id = $1', [created.id, office]));
  const user = await accountOf(db, created.id);
  return {
    accountId: created.id,
    result: {
      user,
      enrolment: created.totpSecret ? enrolment(created.totpSecret, created.username) : null,
    },
    refs: [`username=${user.username}`, `role=${role}`, ...(office ? [`office=${office}`] : [])],
    // Nobody can have used the account yet: it has no session and no audit entry of its own.
    undo: async () => {
      await db.transaction(async (s) => {
        await endSessions(s, created.id);
        await s.query('delete from app_user where id = $1', [created.id]);
      });
    },
  };
}

export interface AccountUpdate {
  readonly role?: string | undefined;
  readonly office?: string | null | undefined;
}

/**
 * Changes role and office. A role that needs a second factor and has none gets a new TOTP secret,
 * returned once (else the account could not sign in). Rights follow at the next request: sessions read
 * the role from the account.
 */
export async function updateAccount(
  db: Database,
  offices: Offices,
  id: string,
  change: AccountUpdate,
  actorId: string,
): Promise<AccountChange<{ user: AccountView; enrolment: Enrolment | null }>> {
  const role = change.role === undefined ? undefined : checkRole(change.role);
  const office = change.office === undefined ? undefined : checkOffice(offices, change.office);
  const { before, secret } = await db.transaction(async (s) => {
    const row = await rowOf(s, id, true);
    notSelf(row, actorId, 'change');
    const newRole = role ?? row.role;
    const secret = requiresTotp(newRole) && !row.totp_secret ? newTotpSecret() : null;
    await s.query(
      `update app_user set role = $2, office = $3, totp_secret = coalesce($4, totp_secret),
         totp_last_step = case when $4::text is null then totp_last_step else null end
       where id = $1`,
      [id, newRole, office === undefined ? row.office : office, secret],
    );
    return { before: row, secret };
  });
  const user = await accountOf(db, id);
  return {
    accountId: id,
    result: { user, enrolment: secret ? enrolment(secret, user.username) : null },
    refs: [
      ...(role !== undefined ? [`role=${role}`] : []),
      ...(office !== undefined ? [`office=${office ?? 'none'}`] : []),
    ],
    undo: async () => {
      await db.session((s) =>
        s.query(
          'update app_user set role = $2, office = $3, totp_secret = $4, totp_last_step = $5 where id = $1',
          [id, before.role, before.office, before.totp_secret, before.totp_last_step],
        ),
      );
    },
  };
}

/**
 * Disables or enables an account. Disabling ends its sessions at once and sign-in is refused (like a
 * wrong password). Nothing changes, and nothing is to be recorded, when it already is as asked.
 */
export async function setAccountDisabled(
  db: Database,
  id: string,
  disabled: boolean,
  actorId: string,
  now = new Date(),
): Promise<AccountChange<{ user: AccountView; changed: boolean }>> {
  const { before, changed } = await db.transaction(async (s) => {
    const row = await rowOf(s, id, true);
    notSelf(row, actorId, disabled ? 'disable' : 'enable');
    if ((row.disabled_at !== null) === disabled) return { before: row, changed: false };
    await s.query('update app_user set disabled_at = $2::timestamptz where id = $1', [
      id,
      disabled ? now.toISOString() : null,
    ]);
    if (disabled) await endSessions(s, id);
    return { before: row, changed: true };
  });
  return {
    accountId: id,
    result: { user: await accountOf(db, id), changed },
    refs: [],
    unchanged: !changed,
    // The ended sessions stay ended: failing safe.
    undo: async () => {
      if (!changed) return;
      await db.session((s) =>
        s.query('update app_user set disabled_at = $2::timestamptz where id = $1', [
          id,
          before.disabled_at === null ? null : iso(before.disabled_at),
        ]),
      );
    },
  };
}

/**
 * A new TOTP secret for a supervisor or admin (a lost or replaced authenticator): the old codes stop
 * working, the account's sessions end, and the new secret is returned once.
 */
export async function resetTotp(
  db: Database,
  id: string,
  actorId: string,
): Promise<AccountChange<{ user: AccountView; enrolment: Enrolment }>> {
  const secret = newTotpSecret();
  const before = await db.transaction(async (s) => {
    const row = await rowOf(s, id, true);
    notSelf(row, actorId, 'reset the second factor of');
    if (!requiresTotp(row.role))
      throw new UserAdminError('conflict', `the ${row.role} role signs in without a second factor`);
    await s.query('update app_user set totp_secret = $2, totp_last_step = null where id = $1', [id, secret]);
    await endSessions(s, id);
    return row;
  });
  const user = await accountOf(db, id);
  return {
    accountId: id,
    result: { user, enrolment: enrolment(secret, user.username) },
    refs: [],
    undo: async () => {
      await db.session((s) =>
        s.query('update app_user set totp_secret = $2, totp_last_step = $3 where id = $1', [
          id,
          before.totp_secret,
          before.totp_last_step,
        ]),
      );
    },
  };
}
