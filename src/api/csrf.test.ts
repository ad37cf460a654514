import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoAccounts, type DemoAccount } from '../access/accounts.js';
import { totpCode } from '../access/totp.js';
import type { AppContext } from '../app/app-context.js';
import { exactResolver } from '../identity/exact-resolver.js';
import { loadRulePack } from '../stays/load-rule-pack.js';
import type { Database } from '../store/database.js';
import { openDatabase } from '../store/open-database.js';
import { buildApp } from './build-app.js';
import { csrfTokenFor } from './csrf.js';

const PASSWORD = 'correct horse battery';
let db: Database;
let app: FastifyInstance;
let accounts: DemoAccount[];

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

/** Signs in as a browser would: the session and CSRF cookies it was given. */
async function browserSession(
  role: 'officer' | 'supervisor' = 'officer',
): Promise<{ session: string; csrf: string; token: string }> {
  const secret = accounts.find((a) => a.role === role)?.totpSecret;
  const res = await app.inject({
    method: 'POST',
    url: '/api/session',
    payload: {
      username: `demo.${role}`,
      password: PASSWORD,
      ...(secret ? { totp: totpCode(secret, Date.now()) } : {}),
    },
  });
  const cookie = (name: string) => res.cookies.find((c) => c.name === name)!.value;
  return {
    session: cookie('imos_session'),
    csrf: cookie('imos_csrf'),
    token: res.json<{ token: string }>().token,
  };
}

const signOut = (cookies: Record<string, string>, headers: Record<string, string> = {}) =>
  app.inject({ method: 'DELETE', url: '/api/session', cookies, headers });
const stillSignedIn = async (session: string) =>
  (await app.inject({ method: 'GET', url: '/api/session', cookies: { imos_session: session } }))
    .statusCode === 200;

describe('CSRF protection (double submit)', () => {
  it('refuses a state-changing request by session cookie without the x-csrf-token header', async () => {
    const { session, csrf } = await browserSession();
    const res = await signOut({ imos_session: session, imos_csrf: csrf });
    expect(res.statusCode).toBe(403);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('CSRF_FAILED');
    expect(await stillSignedIn(session)).toBe(true);
  });

  it('refuses a header that does not match, or a pair not made for this session', async () => {
    const { session, csrf } = await browserSession();
    expect(
      (await signOut({ imos_session: session, imos_csrf: csrf }, { 'x-csrf-token': 'guess' })).statusCode,
    ).toBe(403);
    // A cookie and header planted together (e.g. by a sibling site) are not this session's token.
    const planted = csrfTokenFor('some other session');
    expect(
      (await signOut({ imos_session: session, imos_csrf: planted }, { 'x-csrf-token': planted })).statusCode,
    ).toBe(403);
    expect(await stillSignedIn(session)).toBe(true);
  });

  it('guards every state-changing route, e.g. a POST that changes a quarantined record', async () => {
    const { session, csrf } = await browserSession('supervisor');
    const discard = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/api/quarantine/999999/discard',
        payload: { reason: 'duplicate' },
        cookies: { imos_session: session, imos_csrf: csrf },
        headers: { 'x-purpose': 'data-quality-review', ...headers },
      });
    const refused = await discard({});
    expect([refused.statusCode, refused.json<{ error: { code: string } }>().error.code]).toEqual([
      403,
      'CSRF_FAILED',
    ]);
    // With the header the request reaches the route, which has no such open entry to discard.
    const passed = await discard({ 'x-csrf-token': csrf });
    expect([passed.statusCode, passed.json<{ error: { code: string } }>().error.code]).toEqual([
      409,
      'NOT_OPEN',
    ]);
  });

  it('accepts the request when the header repeats the cookie', async () => {
    const { session, csrf } = await browserSession();
    const res = await signOut({ imos_session: session, imos_csrf: csrf }, { 'x-csrf-token': csrf });
    expect(res.statusCode).toBe(200);
    expect(await stillSignedIn(session)).toBe(false);
  });

  it('does not ask bearer-token clients, or sign-in, for the header', async () => {
    const { token } = await browserSession();
    const res = await app.inject({
      method: 'DELETE',
      url: '/api/session',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(200);
    const { session } = await browserSession();
    const again = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'demo.officer', password: PASSWORD },
      cookies: { imos_session: session },
    });
    expect(again.statusCode).toBe(200);
  });

  it('gives a signed-in browser that lost its CSRF cookie a new one', async () => {
    const { session, csrf } = await browserSession();
    const res = await app.inject({ method: 'GET', url: '/api/session', cookies: { imos_session: session } });
    expect(res.cookies.find((c) => c.name === 'imos_csrf')?.value).toBe(csrf);
  });
});
