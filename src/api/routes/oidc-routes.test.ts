/**
 * OpenID Connect sign-in against a real OpenID provider (oidc-provider) run inside the test on a free
 * port: the API listens on another, and the whole flow goes over HTTP with fetch, each side's cookies
 * kept by hand as a browser would. Nothing of the provider is mocked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapOidcClaims, oidcUsername } from '../../access/oidc-accounts.js';
import { OidcClient } from '../../access/oidc-client.js';
import { readOidcSettings, type OidcSettings } from '../../access/oidc-settings.js';
import { readConfig } from '../../app/config.js';
import { startApi, TEST_PASSWORD, type ApiHarness } from '../../../test/support/api-harness.js';
import {
  freePort,
  startTestProvider,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
  type NextLogin,
  type TestProvider,
} from '../../../test/support/oidc-test-provider.js';
import { csrfTokenFor } from '../csrf.js';

/** The people the provider knows: their subject and the claims it releases about them. */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  'sub-olivia': { preferred_username: 'olivia.officer', imos_role: 'officer', imos_office: 'MIA' },
  'sub-sam': { preferred_username: 'sam.supervisor', imos_role: 'supervisor' },
  'sub-root': { preferred_username: 'root', imos_role: 'superuser' },
  'sub-norole': { preferred_username: 'no.role' },
  'sub-faroff': { preferred_username: 'far.off', imos_role: 'officer', imos_office: 'ATLANTIS' },
  // The same name as a local account: a different person unless linked, and it never is by name.
  'sub-namesake': { preferred_username: 'demo.admin', email: 'demo.admin@example.org', imos_role: 'analyst' },
};

let provider: TestProvider;
let issuer = '';
let api: ApiHarness;
let appBase = '';
let settings: OidcSettings;

beforeAll(async () => {
  const appPort = await freePort();
  appBase = `http://127.0.0.1:${appPort}`;
  provider = await startTestProvider({
    redirectUrl: `${appBase}/api/session/oidc/callback`,
    accounts: ACCOUNTS,
  });
  issuer = provider.issuer;
  const problems: string[] = [];
  settings = readOidcSettings(
    {
      IMOS_OIDC_ISSUER: issuer,
      IMOS_OIDC_CLIENT_ID: TEST_CLIENT_ID,
      IMOS_OIDC_CLIENT_SECRET: TEST_CLIENT_SECRET,
      IMOS_OIDC_SCOPES: 'openid profile email imos',
    },
    { host: '127.0.0.1', port: appPort },
    problems,
  )!;
  expect(problems).toEqual([]);
  api = await startApi({ oidc: settings });
  await api.app.listen({ host: '127.0.0.1', port: appPort });
}, 60_000);

afterAll(async () => {
  await api?.close();
  await provider?.close();
});

/** The cookies one site has set in one browser (names are unique enough for this flow). */
class Jar {
  readonly cookies = new Map<string, string>();
  readonly raw: string[] = [];
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      this.raw.push(line);
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = /expires=Thu, 01 Jan 1970/i.test(line) || /max-age=0\b/i.test(line) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

async function get(url: string, jar: Jar, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header(), ...headers } });
  jar.take(res);
  return res;
}

interface Flow {
  /** Where the API sent the browser at the end: `/`, or `/?signin_error=…`. */
  readonly location: string;
  /** The browser's cookies for the API. */
  readonly app: Jar;
  /** The callback address the provider sent the browser to. */
  readonly callbackUrl: string;
}

/**
 * A browser signing in: the app's start address, the provider (login, consent), back to the callback.
 * `alter` changes what reaches the callback (a forged state, a lost cookie).
 */
async function signIn(
  login: NextLogin,
  alter: { callbackUrl?: (url: URL) => void; appJar?: (jar: Jar) => void } = {},
): Promise<Flow> {
  const app = new Jar();
  const idp = new Jar();
  provider.next(login);
  const start = await get(`${appBase}/api/session/oidc/start`, app);
  expect(start.status).toBe(302);
  let url = start.headers.get('location')!;
  expect(url.startsWith(`${issuer}/`)).toBe(true);
  for (let hop = 0; !url.startsWith(appBase); hop++) {
    if (hop > 10) throw new Error(`the provider never sent the browser back (at ${url})`);
    const res = await get(url, idp);
    if (res.status < 300 || res.status >= 400)
      throw new Error(`the provider answered ${res.status} at ${url}: ${await res.text()}`);
    url = new URL(res.headers.get('location')!, url).href;
  }
  const callback = new URL(url);
  alter.callbackUrl?.(callback);
  alter.appJar?.(app);
  const back = await get(callback.href, app);
  expect(back.status).toBe(302);
  return { location: back.headers.get('location')!, app, callbackUrl: callback.href };
}

const whoAmI = async (jar: Jar) => {
  const res = await fetch(`${appBase}/api/session`, { headers: { cookie: jar.header() } });
  return {
    status: res.status,
    body: (await res.json()) as { user?: { id: string; username: string; role: string } },
  };
};

const linkedUser = async (subject: string) =>
  api.db.session((s) =>
    s.query<{ id: string; username: string; role: string; office: string | null; password_hash: string }>(
      `select id::text as id, username, role, office, password_hash from app_user
        where oidc_issuer = $1 and oidc_subject = $2`,
      [issuer, subject],
    ),
  );

describe('OpenID Connect sign-in against a real provider', () => {
  it('says that it is on, so the sign-in page offers it', async () => {
    const res = await fetch(`${appBase}/api/session/oidc`);
    expect(await res.json()).toEqual({ enabled: true, startUrl: '/api/session/oidc/start' });
  });

  it('sends the browser to the provider with PKCE, state and nonce, and keeps them in a Lax cookie', async () => {
    const jar = new Jar();
    const res = await get(`${appBase}/api/session/oidc/start`, jar);
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location')!);
    expect(to.origin).toBe(issuer);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({
      client_id: TEST_CLIENT_ID,
      response_type: 'code',
      redirect_uri: `${appBase}/api/session/oidc/callback`,
      scope: 'openid profile email imos',
      code_challenge_method: 'S256',
    });
    for (const p of ['state', 'nonce', 'code_challenge']) expect(to.searchParams.get(p)).toMatch(/^.{20,}$/);
    const cookie = jar.raw.find((c) => c.startsWith('imos_oidc='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/api\/session\/oidc\/callback/i);
  });

  it('signs an officer in with the role and office of the claims: a session like a local sign-in', async () => {
    const flow = await signIn({ accountId: 'sub-olivia', amr: ['pwd'] });
    expect(flow.location).toBe('/');
    const session = flow.app.cookies.get('imos_session')!;
    expect(session).toBeTruthy();
    expect(flow.app.cookies.get('imos_csrf')).toBe(csrfTokenFor(session));
    expect(flow.app.cookies.has('imos_oidc')).toBe(false); // the transaction is used up
    const sessionCookie = flow.app.raw.find((c) => c.startsWith('imos_session='))!;
    expect(sessionCookie).toMatch(/HttpOnly/i);
    expect(sessionCookie).toMatch(/SameSite=Strict/i);

    const me = await whoAmI(flow.app);
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ username: 'olivia.officer@127.0.0.1', role: 'officer' });
    const [row] = await linkedUser('sub-olivia');
    expect(row).toMatchObject({ id: me.body.user!.id, role: 'officer', office: 'MIA' });

    // The CSRF cookie works as after a local sign-in: signing out with it succeeds.
    const out = await fetch(`${appBase}/api/session`, {
      method: 'DELETE',
      headers: { cookie: flow.app.header(), 'x-csrf-token': flow.app.cookies.get('imos_csrf')! },
    });
    expect(out.status).toBe(200);
    expect((await whoAmI(flow.app)).status).toBe(401);
  });

  it('the same subject signs in again as the same user, with what the provider says now', async () => {
    const [before] = await linkedUser('sub-olivia');
    ACCOUNTS['sub-olivia']!['imos_office'] = 'NYC';
    try {
      const flow = await signIn({ accountId: 'sub-olivia', amr: ['pwd'] });
      expect(flow.location).toBe('/');
      const me = await whoAmI(flow.app);
      expect(me.body.user?.id).toBe(before!.id);
      const rows = await linkedUser('sub-olivia');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: before!.id, office: 'NYC' });
    } finally {
      ACCOUNTS['sub-olivia']!['imos_office'] = 'MIA';
    }
  });

  it('an OIDC user has no password: local sign-in with its name is refused', async () => {
    const [row] = await linkedUser('sub-olivia');
    for (const password of ['!oidc', TEST_PASSWORD, '']) {
      const res = await fetch(`${appBase}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: row!.username, password }),
      });
      expect(res.status).toBe(401);
    }
    // And the store keeps it so: a password hash cannot be given to a linked user.
    await expect(
      api.db.session((s) =>
        s.query("update app_user set password_hash = '$argon2id$x' where id = $1", [row!.id]),
      ),
    ).rejects.toThrow(/app_user_oidc_no_password/);
  });

  it('links by issuer and subject, never by name or e-mail: a namesake of a local account is another user', async () => {
    const flow = await signIn({ accountId: 'sub-namesake', amr: ['pwd'] });
    expect(flow.location).toBe('/');
    const me = (await whoAmI(flow.app)).body.user!;
    expect(me).toMatchObject({ username: 'demo.admin@127.0.0.1', role: 'analyst' });
    const [local] = await api.db.session((s) =>
      s.query<{ id: string }>("select id::text as id from app_user where username = 'demo.admin'"),
    );
    expect(me.id).not.toBe(local!.id);
  });

  it('refuses a role claim that is not a platform role, and one that is missing: no role is assumed', async () => {
    for (const accountId of ['sub-root', 'sub-norole']) {
      const flow = await signIn({ accountId, amr: ['pwd', 'mfa'] });
      expect(flow.location).toBe('/?signin_error=oidc_role');
      expect(flow.app.cookies.has('imos_session')).toBe(false);
      expect(await linkedUser(accountId)).toEqual([]);
    }
  });

  it('refuses an office the platform does not know', async () => {
    const flow = await signIn({ accountId: 'sub-faroff', amr: ['pwd'] });
    expect(flow.location).toBe('/?signin_error=oidc_office');
    expect(flow.app.cookies.has('imos_session')).toBe(false);
  });

  it('a supervisor needs a second factor at the provider (amr mfa or otp); without one, refused', async () => {
    const without = await signIn({ accountId: 'sub-sam', amr: ['pwd'] });
    expect(without.location).toBe('/?signin_error=oidc_mfa');
    expect(without.app.cookies.has('imos_session')).toBe(false);
    expect(await linkedUser('sub-sam')).toEqual([]);

    const withMfa = await signIn({ accountId: 'sub-sam', amr: ['pwd', 'otp'] });
    expect(withMfa.location).toBe('/');
    expect((await whoAmI(withMfa.app)).body.user).toMatchObject({ role: 'supervisor' });
  });

  it('refuses an answer whose state is not the one this browser started with', async () => {
    const forged = await signIn(
      { accountId: 'sub-olivia', amr: ['pwd'] },
      { callbackUrl: (url) => url.searchParams.set('state', 'a-state-of-someone-else') },
    );
    expect(forged.location).toBe('/?signin_error=oidc_state');
    expect(forged.app.cookies.has('imos_session')).toBe(false);

    // An answer that reaches a browser which never started a sign-in (or whose cookie was altered).
    const lost = await signIn(
      { accountId: 'sub-olivia', amr: ['pwd'] },
      { appJar: (jar) => jar.cookies.clear() },
    );
    expect(lost.location).toBe('/?signin_error=oidc_state');
    const altered = await signIn(
      { accountId: 'sub-olivia', amr: ['pwd'] },
      { appJar: (jar) => jar.cookies.set('imos_oidc', `${jar.cookies.get('imos_oidc')!.slice(0, -2)}xx`) },
    );
    expect(altered.location).toBe('/?signin_error=oidc_state');
  });

  it('a code is redeemed once: the same answer replayed does not sign in again', async () => {
    let transaction = '';
    const first = await signIn(
      { accountId: 'sub-olivia', amr: ['pwd'] },
      { appJar: (jar) => void (transaction = jar.cookies.get('imos_oidc')!) },
    );
    expect(first.location).toBe('/');
    const replay = new Jar();
    replay.cookies.set('imos_oidc', transaction);
    const res = await get(first.callbackUrl, replay);
    expect(res.headers.get('location')).toBe('/?signin_error=oidc_failed');
    expect(replay.cookies.has('imos_session')).toBe(false);
  });

  it('a person who cancels at the provider comes back to the sign-in page with a reason', async () => {
    const flow = await signIn({ deny: true });
    expect(flow.location).toBe('/?signin_error=oidc_denied');
    expect(flow.app.cookies.has('imos_session')).toBe(false);
  });
});

describe('OpenID Connect off', () => {
  it('is said to be off, and its start address does not exist', async () => {
    const plain = await startApi({ oidc: null });
    try {
      expect((await plain.get('/api/session/oidc')).json()).toEqual({ enabled: false });
      const start = await plain.get('/api/session/oidc/start');
      expect(start.statusCode).toBe(404);
      expect(start.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    } finally {
      await plain.close();
    }
  });

  it('a provider that cannot be reached sends the browser back with a reason', async () => {
    const port = await freePort();
    const down = await startApi({ oidc: { ...settings, issuer: `http://127.0.0.1:${port}` } });
    try {
      const res = await down.get('/api/session/oidc/start');
      expect(res.statusCode).toBe(302);
      expect(res.headers['location']).toBe('/?signin_error=oidc_unavailable');
    } finally {
      await down.close();
    }
  });
});

describe('OpenID Connect settings (readConfig)', () => {
  const base = {
    IMOS_OIDC_ISSUER: 'https://id.example.org/realms/imos',
    IMOS_OIDC_CLIENT_ID: 'imos',
    IMOS_OIDC_CLIENT_SECRET: 'secret',
  };

  it('none set: off; all set: on, with the defaults', () => {
    expect(readConfig({}).oidc).toBeNull();
    expect(readConfig({ ...base, PORT: '8080' }).oidc).toEqual({
      issuer: 'https://id.example.org/realms/imos',
      clientId: 'imos',
      clientSecret: 'secret',
      redirectUrl: 'http://127.0.0.1:8080/api/session/oidc/callback',
      roleClaim: 'imos_role',
      officeClaim: 'imos_office',
      scopes: 'openid profile email',
      mfaAmr: ['mfa', 'otp'],
    });
    expect(
      readConfig({
        ...base,
        IMOS_OIDC_REDIRECT_URL: 'https://imos.example.org/api/session/oidc/callback',
        IMOS_OIDC_ROLE_CLAIM: 'realm_access.roles',
        IMOS_OIDC_OFFICE_CLAIM: 'https://imos.example.org/office',
        IMOS_OIDC_SCOPES: 'openid,roles',
        IMOS_OIDC_MFA_AMR: 'none',
      }).oidc,
    ).toMatchObject({
      redirectUrl: 'https://imos.example.org/api/session/oidc/callback',
      roleClaim: 'realm_access.roles',
      officeClaim: 'https://imos.example.org/office',
      scopes: 'openid roles',
      mfaAmr: null,
    });
  });

  it('all or nothing, with clear messages', () => {
    expect(() => readConfig({ IMOS_OIDC_ISSUER: base.IMOS_OIDC_ISSUER })).toThrow(
      /configured only in part \(IMOS_OIDC_ISSUER set\): also set IMOS_OIDC_CLIENT_ID, IMOS_OIDC_CLIENT_SECRET/,
    );
    expect(() => readConfig({ IMOS_OIDC_ROLE_CLAIM: 'role' })).toThrow(/also set IMOS_OIDC_ISSUER/);
    expect(() => readConfig({ ...base, IMOS_OIDC_ISSUER: 'http://id.example.org' })).toThrow(
      /IMOS_OIDC_ISSUER "http:\/\/id.example.org" must be an https:\/\/ URL/,
    );
    expect(() => readConfig({ ...base, IMOS_OIDC_ISSUER: 'not a url' })).toThrow(/is not a URL/);
    expect(() =>
      readConfig({ ...base, IMOS_OIDC_REDIRECT_URL: 'https://imos.example.org/elsewhere' }),
    ).toThrow(/must end in \/api\/session\/oidc\/callback/);
    // A server listening on every interface is reached under some name: the browser's address is needed.
    expect(() => readConfig({ ...base, HOST: '0.0.0.0' })).toThrow(
      /IMOS_OIDC_REDIRECT_URL is not set, and this server's own address \(http:\/\/0.0.0.0:3000\/api\/session\/oidc\/callback\) is not https: set it to/,
    );
    expect(() => readConfig({ ...base, IMOS_OIDC_SCOPES: 'profile' })).toThrow(/must include openid/);
    expect(() => readConfig({ ...base, IMOS_OIDC_MFA_AMR: ',' })).toThrow(/IMOS_OIDC_MFA_AMR/);
  });
});

describe('claims to role and office', () => {
  const s = { roleClaim: 'imos_role', officeClaim: 'imos_office', mfaAmr: ['mfa', 'otp'] };
  const isOffice = (id: string) => ['MIA', 'NYC'].includes(id);

  it('a role from a string or from a list holding exactly one platform role; a dotted path reaches inside', () => {
    expect(mapOidcClaims({ sub: 'a', imos_role: 'analyst' }, undefined, s, isOffice)).toMatchObject({
      kind: 'accepted',
      role: 'analyst',
      office: null,
    });
    expect(
      mapOidcClaims({ sub: 'a', imos_role: ['staff', 'auditor'] }, undefined, s, isOffice),
    ).toMatchObject({ kind: 'accepted', role: 'auditor' });
    expect(
      mapOidcClaims({ sub: 'a', imos_role: ['auditor', 'analyst'] }, undefined, s, isOffice),
    ).toMatchObject({ kind: 'refused', reason: 'oidc_role' });
    expect(
      mapOidcClaims(
        { sub: 'a', realm_access: { roles: ['officer'] }, imos_office: 'NYC' },
        undefined,
        { ...s, roleClaim: 'realm_access.roles' },
        isOffice,
      ),
    ).toMatchObject({ kind: 'accepted', role: 'officer', office: 'NYC' });
    expect(mapOidcClaims({ sub: 'a', imos_role: 'Admin' }, ['mfa'], s, isOffice)).toMatchObject({
      kind: 'refused',
      reason: 'oidc_role',
    });
  });

  it('admin and supervisor need an mfa amr unless the check is off', () => {
    expect(mapOidcClaims({ sub: 'a', imos_role: 'admin' }, ['pwd'], s, isOffice)).toMatchObject({
      kind: 'refused',
      reason: 'oidc_mfa',
    });
    expect(mapOidcClaims({ sub: 'a', imos_role: 'admin' }, 'mfa', s, isOffice)).toMatchObject({
      kind: 'refused',
    });
    expect(mapOidcClaims({ sub: 'a', imos_role: 'admin' }, ['pwd', 'mfa'], s, isOffice).kind).toBe(
      'accepted',
    );
    expect(
      mapOidcClaims({ sub: 'a', imos_role: 'admin' }, undefined, { ...s, mfaAmr: null }, isOffice).kind,
    ).toBe('accepted');
  });

  it('user names cannot be those of local accounts', () => {
    expect(oidcUsername('Olivia Officer', 'https://id.example.org/x')).toBe('olivia-officer@id.example.org');
    expect(oidcUsername('olivia@example.org', 'https://id.example.org')).toBe('olivia@example.org');
  });

  it('a transaction cookie is sealed: altered or expired, it is not accepted', () => {
    const c = new OidcClient({ ...settings, clientSecret: 'one secret' });
    const sealed = c.seal({ state: 's', nonce: 'n', codeVerifier: 'v', expiresAt: 2_000 });
    expect(c.open(sealed, 1_000)).toEqual({ state: 's', nonce: 'n', codeVerifier: 'v', expiresAt: 2_000 });
    expect(c.open(sealed, 2_000)).toBeNull();
    expect(new OidcClient({ ...settings, clientSecret: 'another secret' }).open(sealed, 1_000)).toBeNull();
    const [body, mac] = sealed.split('.');
    const forged = Buffer.from(
      JSON.stringify({ state: 's', nonce: 'n', codeVerifier: 'v', expiresAt: 9e15 }),
    );
    expect(c.open(`${forged.toString('base64url')}.${mac}`, 1_000)).toBeNull();
    expect(c.open(`${body}.`, 1_000)).toBeNull();
  });
});
