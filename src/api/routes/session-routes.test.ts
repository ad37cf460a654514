import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoAccounts, type DemoAccount } from '../../access/accounts.js';
import { totpCode } from '../../access/totp.js';
import type { AppContext } from '../../app/app-context.js';
import { exactResolver } from '../../identity/exact-resolver.js';
import { loadRulePack } from '../../stays/load-rule-pack.js';
import type { Database } from '../../store/database.js';
import { openDatabase } from '../../store/open-database.js';
import { buildApp } from '../build-app.js';

const PASSWORD = 'correct horse battery';
let db: Database;
let app: FastifyInstance;
let accounts: DemoAccount[];
// Each test signs in from its own address, so the per-address limit of one does not reach another.
let nextAddress = 1;
const newAddress = () => `192.0.2.${nextAddress++}`;

beforeAll(async () => {
  db = await openDatabase({ ephemeral: true });
  const ctx: AppContext = { db, resolver: exactResolver, pack: loadRulePack('us'), asOf: () => '2026-11-01' };
  accounts = await ensureDemoAccounts(db, PASSWORD);
  app = await buildApp(ctx, { serveWeb: false });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const secretOf = (role: string) => accounts.find((a) => a.role === role)!.totpSecret!;
const signIn = (body: Record<string, string>, remoteAddress = newAddress()) =>
  app.inject({ method: 'POST', url: '/api/session', payload: body, remoteAddress });
const errorOf = (res: { json: <T>() => T }) => res.json<{ error: { code: string } }>().error.code;

describe('POST /api/session', () => {
  it('sets an HttpOnly SameSite=Strict session cookie and a readable CSRF cookie, and returns a token', async () => {
    const res = await signIn({ username: 'demo.officer', password: PASSWORD });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ user: { username: string }; token: string }>();
    expect(body.user.username).toBe('demo.officer');
    const cookies = Object.fromEntries(res.cookies.map((c) => [c.name, c]));
    expect(cookies['imos_session']).toMatchObject({ value: body.token, httpOnly: true, sameSite: 'Strict' });
    expect(cookies['imos_csrf']).toMatchObject({ sameSite: 'Strict' });
    expect(cookies['imos_csrf']?.httpOnly).toBeFalsy();
    // Plain HTTP (no TLS): the cookies cannot be marked Secure, or the browser would drop them.
    expect(cookies['imos_session']?.secure).toBeFalsy();
    // A machine client uses the token as a bearer token.
    const me = await app.inject({
      method: 'GET',
      url: '/api/session',
      headers: { authorization: `Bearer ${body.token}` },
    });
    expect(me.json()).toMatchObject({ user: { username: 'demo.officer' } });
  });

  it('asks a supervisor for the second factor, signs in with it, and refuses the same code again', async () => {
    const attempt = { username: 'demo.supervisor', password: PASSWORD };
    const first = await signIn(attempt);
    expect(first.statusCode).toBe(401);
    expect(errorOf(first)).toBe('TOTP_REQUIRED');
    const code = totpCode(secretOf('supervisor'), Date.now());
    const second = await signIn({ ...attempt, totp: code });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ user: { role: 'supervisor' } });
    const replay = await signIn({ ...attempt, totp: code });
    expect(replay.statusCode).toBe(401);
    expect(errorOf(replay)).toBe('TOTP_INVALID');
  });

  it('locks a user name after 5 failures with ACCOUNT_LOCKED and when it unlocks, for unknown names too', async () => {
    const answers = async (username: string) => {
      for (let i = 0; i < 5; i++) {
        const res = await signIn({ username, password: 'wrong password' });
        expect(res.json()).toEqual({
          error: { code: 'UNAUTHENTICATED', message: 'unknown user or wrong password' },
        });
      }
      return signIn({ username, password: PASSWORD });
    };
    const known = await answers('demo.analyst');
    const unknown = await answers('nobody.here');
    for (const res of [known, unknown]) {
      expect(res.statusCode).toBe(423);
      const { error } = res.json<{ error: { code: string; details: { lockedUntil: string } } }>();
      expect(error.code).toBe('ACCOUNT_LOCKED');
      const minutesLeft = (Date.parse(error.details.lockedUntil) - Date.now()) / 60_000;
      expect(minutesLeft).toBeGreaterThan(14);
      expect(minutesLeft).toBeLessThanOrEqual(15);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(14 * 60);
    }
    // The same answer, apart from the time, whether or not the user exists.
    const text = (res: typeof known) => res.body.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'T');
    expect(text(known)).toBe(text(unknown));
    // Once the lock is over (moved into the past here), the right password works again.
    await db.session((s) =>
      s.query(
        "update sign_in_failure set window_started_at = now() - interval '31 minutes', locked_until = now() - interval '1 second' where username = 'demo.analyst'",
      ),
    );
    expect((await signIn({ username: 'demo.analyst', password: PASSWORD })).statusCode).toBe(200);
  });

  it('refuses more than 20 attempts a minute from one address with TOO_MANY_REQUESTS', async () => {
    const address = newAddress();
    for (let i = 0; i < 20; i++)
      expect((await signIn({ username: `user.${i}`, password: 'wrong password' }, address)).statusCode).toBe(
        401,
      );
    const refused = await signIn({ username: 'demo.officer', password: PASSWORD }, address);
    expect(refused.statusCode).toBe(429);
    expect(errorOf(refused)).toBe('TOO_MANY_REQUESTS');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await signIn({ username: 'demo.officer', password: PASSWORD })).statusCode).toBe(200);
  });
});

describe('session lifetime', () => {
  const whoAmI = (token: string) =>
    app.inject({ method: 'GET', url: '/api/session', headers: { authorization: `Bearer ${token}` } });
  const tokenOf = async () =>
    (await signIn({ username: 'demo.auditor', password: PASSWORD })).json<{ token: string }>().token;
  const age = (token: string, column: 'last_seen_at' | 'expires_at', interval: string) =>
    db.session((s) =>
      s.query(
        `update app_session set ${column} = now() - interval '${interval}'
          where token_hash = encode(sha256(convert_to($1, 'utf8')), 'hex')`,
        [token],
      ),
    );

  it('ends a session unused for 30 minutes', async () => {
    const token = await tokenOf();
    await age(token, 'last_seen_at', '29 minutes');
    expect((await whoAmI(token)).statusCode).toBe(200); // used now: idle time starts again
    await age(token, 'last_seen_at', '31 minutes');
    expect((await whoAmI(token)).statusCode).toBe(401);
  });

  it('ends a session at its absolute end however recently it was used', async () => {
    const token = await tokenOf();
    await age(token, 'expires_at', '1 second');
    expect((await whoAmI(token)).statusCode).toBe(401);
  });

  it('ends a bearer session on sign-out', async () => {
    const token = await tokenOf();
    const out = await app.inject({
      method: 'DELETE',
      url: '/api/session',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.statusCode).toBe(200);
    expect((await whoAmI(token)).statusCode).toBe(401);
  });
});
