import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../store/database.js';
import { openDatabase } from '../store/open-database.js';
import {
  closeSession,
  createUser,
  demoTotpSecret,
  ensureDemoAccounts,
  openSession,
  userOfSession,
  type User,
} from './accounts.js';

let db: Database;
let user: User;

beforeAll(async () => {
  db = await openDatabase({ ephemeral: true });
  user = await createUser(db, 'offi.cer', 'correct horse battery', 'officer');
});
afterAll(async () => {
  await db.close();
});

const start = new Date('2026-03-01T08:00:00Z');
const later = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
const lastSeen = async (token: string) => {
  const [row] = await db.session((s) =>
    s.query<{ last_seen_at: Date }>(
      `select last_seen_at from app_session where token_hash = encode(sha256(convert_to($1, 'utf8')), 'hex')`,
      [token],
    ),
  );
  return row ? new Date(row.last_seen_at).toISOString() : null;
};

describe('sessions', () => {
  it('end after 30 minutes unused', async () => {
    const token = await openSession(db, user, start);
    expect(await userOfSession(db, token, later(29))).toMatchObject({ username: 'offi.cer' });
    // Used at minute 29, so idle from there: still alive at 58, gone at 59 + 30.
    expect(await userOfSession(db, token, later(58))).not.toBeNull();
    expect(await userOfSession(db, token, later(58 + 30))).toBeNull();
  });

  it('end 8 hours after sign-in however busy', async () => {
    const token = await openSession(db, user, start);
    for (let m = 20; m < 8 * 60; m += 20) expect(await userOfSession(db, token, later(m))).not.toBeNull();
    expect(await userOfSession(db, token, later(8 * 60))).toBeNull();
  });

  it('write their last use at most once a minute', async () => {
    const token = await openSession(db, user, start);
    await userOfSession(db, token, new Date(start.getTime() + 59_000));
    expect(await lastSeen(token)).toBe(start.toISOString());
    await userOfSession(db, token, later(1));
    expect(await lastSeen(token)).toBe(later(1).toISOString());
  });

  it('end on sign-out, and an unknown token names nobody', async () => {
    const token = await openSession(db, user, start);
    await closeSession(db, token);
    expect(await userOfSession(db, token, later(1))).toBeNull();
    expect(await userOfSession(db, 'made-up token', later(1))).toBeNull();
  });
});

describe('accounts', () => {
  it('gives supervisors and admins a TOTP secret, other roles none', async () => {
    const admin = await createUser(db, 'ad.min', 'correct horse battery', 'admin');
    expect(admin.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    expect(admin.otpauthUri).toBe(
      `otpauth://totp/ImmigrationOS:ad.min?secret=${admin.totpSecret}&issuer=ImmigrationOS&algorithm=SHA1&digits=6&period=30`,
    );
    const analyst = await createUser(db, 'ana.lyst', 'correct horse battery', 'analyst');
    expect(analyst).toMatchObject({ totpSecret: null, otpauthUri: null });
  });

  it('derives the demo TOTP secrets from a fixed demo password, and draws them at random otherwise', async () => {
    const store = await openDatabase({ ephemeral: true });
    try {
      const a = await ensureDemoAccounts(store, 'demo-password-1');
      const secretOf = (list: typeof a, role: string) => list.find((x) => x.role === role)?.totpSecret;
      expect(secretOf(a, 'supervisor')).toBe(demoTotpSecret('demo-password-1', 'demo.supervisor'));
      expect(secretOf(a, 'admin')).toBe(demoTotpSecret('demo-password-1', 'demo.admin'));
      expect(secretOf(a, 'officer')).toBeNull();
      expect(a.find((x) => x.role === 'admin')?.otpauthUri).toMatch(
        /^otpauth:\/\/totp\/ImmigrationOS:demo\.admin\?/,
      );
      expect(await ensureDemoAccounts(store, 'demo-password-1')).toEqual([]); // only on a fresh store
      await store.session((s) => s.query('delete from app_user'));
      const b = await ensureDemoAccounts(store);
      expect(secretOf(b, 'admin')).toMatch(/^[A-Z2-7]{32}$/);
      expect(secretOf(b, 'admin')).not.toBe(secretOf(a, 'admin'));
    } finally {
      await store.close();
    }
  });
});
