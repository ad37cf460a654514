import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../access/totp.js';
import type { AccountView } from '../../access/user-admin.js';
import { verifyAuditStore } from '../../audit/verify-audit.js';
import { startApi, TEST_PASSWORD, type ApiHarness } from '../../../test/support/api-harness.js';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

interface Changed {
  user: AccountView;
  totpSecret: string | null;
  otpauthUri: string | null;
}

const NEW_PASSWORD = 'a new password for staff';
let nextAddress = 1;
const signIn = (username: string, password = NEW_PASSWORD, totp?: string) =>
  api.app.inject({
    method: 'POST',
    url: '/api/session',
    payload: { username, password, ...(totp ? { totp } : {}) },
    // Each sign-in from its own address: the per-address limit is not what is tested here.
    remoteAddress: `198.51.100.${nextAddress++}`,
  });
const asAdmin = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  api.inject({
    method,
    url,
    role: 'admin',
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  });
const create = (body: Record<string, unknown>) => asAdmin('POST', '/api/users', body);
const codeOf = (res: { json: <T>() => T }) => res.json<{ error: { code: string } }>().error.code;
const lastAudit = async () =>
  (
    await api.db.session((s) =>
      s.query<{ action: string; username: string; record_refs: string[]; purpose: string | null }>(
        'select action, username, record_refs, purpose from audit_entry order by seq desc limit 1',
      ),
    )
  )[0];
const auditCount = async () =>
  (await api.db.session((s) => s.query<{ n: number }>('select count(*)::int as n from audit_entry')))[0]!.n;
const idOf = async (username: string) =>
  (await asAdmin('GET', '/api/users'))
    .json<{ users: AccountView[] }>()
    .users.find((u) => u.username === username)!.id;

describe('user admin API', () => {
  it('lists accounts with roles, offices and the account rules, and never a hash or a secret', async () => {
    const res = await asAdmin('GET', '/api/users');
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      users: AccountView[];
      roles: string[];
      offices: { id: string }[];
      rules: { passwordMinLength: number };
    }>();
    expect(body.users.map((u) => u.username)).toContain('demo.officer');
    expect(body.users.find((u) => u.username === 'demo.officer')).toMatchObject({
      role: 'officer',
      office: 'MIA',
      disabledAt: null,
      secondFactor: 'not-needed',
    });
    expect(body.users.find((u) => u.username === 'demo.admin')?.secondFactor).toBe('enrolled');
    expect(body.roles).toContain('auditor');
    expect(body.offices.map((o) => o.id)).toContain('NYC');
    expect(body.rules.passwordMinLength).toBe(12);
    const secrets = await api.db.session((s) =>
      s.query<{ password_hash: string; totp_secret: string | null }>(
        'select password_hash, totp_secret from app_user',
      ),
    );
    for (const s of secrets) {
      expect(res.body).not.toContain(s.password_hash);
      if (s.totp_secret) expect(res.body).not.toContain(s.totp_secret);
    }
    expect(res.body).not.toMatch(/password_hash|totp_secret|passwordHash|totpSecret/);
  });

  it('creates an officer of an office, who signs in; the change is in the audit log', async () => {
    const before = await auditCount();
    const res = await create({
      username: 'new.officer',
      password: NEW_PASSWORD,
      role: 'officer',
      office: 'NYC',
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json<Changed>();
    expect(body).toMatchObject({
      user: { username: 'new.officer', role: 'officer', office: 'NYC', secondFactor: 'not-needed' },
      totpSecret: null,
      otpauthUri: null,
    });
    expect(await auditCount()).toBe(before + 1);
    expect(await lastAudit()).toEqual({
      action: 'users.create',
      username: 'demo.admin',
      record_refs: [`user:${body.user.id}`, 'username=new.officer', 'role=officer', 'office=NYC'],
      purpose: null,
    });
    expect((await signIn('new.officer')).statusCode).toBe(200);
  });

  it('creates a supervisor with a TOTP secret shown once, which signs in', async () => {
    const res = await create({ username: 'new.supervisor', password: NEW_PASSWORD, role: 'supervisor' });
    expect(res.statusCode).toBe(201);
    const body = res.json<Changed>();
    expect(body.user.secondFactor).toBe('enrolled');
    expect(body.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    expect(body.otpauthUri).toMatch(/^otpauth:\/\/totp\/ImmigrationOS:new\.supervisor\?secret=/);
    expect((await asAdmin('GET', '/api/users')).body).not.toContain(body.totpSecret);
    expect(codeOf(await signIn('new.supervisor'))).toBe('TOTP_REQUIRED');
    const ok = await signIn('new.supervisor', NEW_PASSWORD, totpCode(body.totpSecret!, Date.now()));
    expect(ok.statusCode).toBe(200);
  });

  it('refuses a taken name, an unknown office, a short password or an unknown role, and records nothing', async () => {
    const before = await auditCount();
    const taken = await create({ username: 'demo.officer', password: NEW_PASSWORD, role: 'officer' });
    expect([taken.statusCode, codeOf(taken)]).toEqual([409, 'CONFLICT']);
    const office = await create({
      username: 'x.officer',
      password: NEW_PASSWORD,
      role: 'officer',
      office: 'XYZ',
    });
    expect([office.statusCode, codeOf(office)]).toEqual([400, 'VALIDATION_FAILED']);
    const short = await create({ username: 'y.officer', password: 'short', role: 'officer' });
    expect([short.statusCode, codeOf(short)]).toEqual([400, 'VALIDATION_FAILED']);
    const badName = await create({ username: 'Bad Name', password: NEW_PASSWORD, role: 'officer' });
    expect(badName.statusCode).toBe(400);
    const badRole = await create({ username: 'z.user', password: NEW_PASSWORD, role: 'root' });
    expect(badRole.statusCode).toBe(400);
    expect(await auditCount()).toBe(before);
  });

  it('changes role and office; a role that now needs a second factor gets its secret once', async () => {
    await create({ username: 'promo.ted', password: NEW_PASSWORD, role: 'officer', office: 'MIA' });
    const id = await idOf('promo.ted');
    const moved = await asAdmin('PATCH', `/api/users/${id}`, { office: 'LAX' });
    expect(moved.json<Changed>()).toMatchObject({
      user: { office: 'LAX', role: 'officer' },
      totpSecret: null,
    });
    expect((await lastAudit())?.record_refs).toEqual([`user:${id}`, 'office=LAX']);

    const promoted = await asAdmin('PATCH', `/api/users/${id}`, { role: 'supervisor' });
    const body = promoted.json<Changed>();
    expect(body.user).toMatchObject({ role: 'supervisor', office: 'LAX', secondFactor: 'enrolled' });
    expect(body.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await lastAudit()).toMatchObject({
      action: 'users.update',
      record_refs: [`user:${id}`, 'role=supervisor'],
    });
    expect((await signIn('promo.ted', NEW_PASSWORD, totpCode(body.totpSecret!, Date.now()))).statusCode).toBe(
      200,
    );

    const cleared = await asAdmin('PATCH', `/api/users/${id}`, { office: null });
    expect(cleared.json<Changed>().user.office).toBeNull();
    const unknown = await asAdmin('PATCH', `/api/users/${id}`, { office: 'NOPE' });
    expect(unknown.statusCode).toBe(400);
    expect((await asAdmin('PATCH', `/api/users/${id}`, {})).statusCode).toBe(400);
  });

  it('disabling ends the sessions and refuses sign-in like a wrong password; enabling lets the user back in', async () => {
    await create({ username: 'leav.er', password: NEW_PASSWORD, role: 'analyst' });
    const id = await idOf('leav.er');
    const token = (await signIn('leav.er')).json<{ token: string }>().token;
    const me = () =>
      api.app.inject({ method: 'GET', url: '/api/session', headers: { authorization: `Bearer ${token}` } });
    expect((await me()).statusCode).toBe(200);

    const disabled = await asAdmin('POST', `/api/users/${id}/disable`);
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json<{ user: AccountView }>().user.disabledAt).not.toBeNull();
    expect(await lastAudit()).toMatchObject({ action: 'users.disable', record_refs: [`user:${id}`] });
    expect((await me()).statusCode).toBe(401);
    const refused = await signIn('leav.er');
    expect([refused.statusCode, codeOf(refused)]).toEqual([401, 'UNAUTHENTICATED']);

    // Already disabled: nothing changes, nothing is recorded.
    const before = await auditCount();
    expect((await asAdmin('POST', `/api/users/${id}/disable`)).statusCode).toBe(200);
    expect(await auditCount()).toBe(before);

    const enabled = await asAdmin('POST', `/api/users/${id}/enable`);
    expect(enabled.json<{ user: AccountView }>().user.disabledAt).toBeNull();
    expect(await lastAudit()).toMatchObject({ action: 'users.enable' });
    expect((await signIn('leav.er')).statusCode).toBe(200);
  });

  it('resets the second factor: old codes stop working, sessions end, the new secret is shown once', async () => {
    const created = (
      await create({ username: 'lost.phone', password: NEW_PASSWORD, role: 'admin' })
    ).json<Changed>();
    const id = created.user.id;
    const token = (await signIn('lost.phone', NEW_PASSWORD, totpCode(created.totpSecret!, Date.now()))).json<{
      token: string;
    }>().token;
    const reset = await asAdmin('POST', `/api/users/${id}/totp`);
    expect(reset.statusCode).toBe(200);
    const fresh = reset.json<Changed>();
    expect(fresh.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    expect(fresh.totpSecret).not.toBe(created.totpSecret);
    expect(await lastAudit()).toMatchObject({ action: 'users.resetTotp', record_refs: [`user:${id}`] });
    const me = await api.app.inject({
      method: 'GET',
      url: '/api/session',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.statusCode).toBe(401);
    // A code of the old secret for the next step, not yet used: only the reset can make it fail.
    const old = await signIn('lost.phone', NEW_PASSWORD, totpCode(created.totpSecret!, Date.now() + 30_000));
    expect(codeOf(old)).toBe('TOTP_INVALID');
    const ok = await signIn('lost.phone', NEW_PASSWORD, totpCode(fresh.totpSecret!, Date.now()));
    expect(ok.statusCode).toBe(200);

    const officer = await idOf('demo.officer');
    const noFactor = await asAdmin('POST', `/api/users/${officer}/totp`);
    expect([noFactor.statusCode, codeOf(noFactor)]).toEqual([409, 'CONFLICT']);
  });

  it('an admin does not change, disable or reset their own account', async () => {
    const self = await idOf('demo.admin');
    for (const [method, url, payload] of [
      ['POST', `/api/users/${self}/disable`, undefined],
      ['POST', `/api/users/${self}/totp`, undefined],
      ['PATCH', `/api/users/${self}`, { role: 'analyst' }],
    ] as const) {
      const res = await asAdmin(method, url, payload);
      expect([url, res.statusCode, codeOf(res)]).toEqual([url, 409, 'CONFLICT']);
    }
    expect((await signIn('demo.admin', TEST_PASSWORD)).json<{ error: { code: string } }>().error.code).toBe(
      'TOTP_REQUIRED',
    );
  });

  it('leaves the audit chain intact', async () => {
    expect(await verifyAuditStore(api.db)).toMatchObject({ ok: true, firstBroken: null });
  });

  it('no other role reaches user admin', async () => {
    for (const role of ['analyst', 'officer', 'supervisor', 'auditor'] as const) {
      const res = await api.get('/api/users', role);
      expect([role, res.statusCode]).toEqual([role, 403]);
    }
  });
});

describe('user admin when the audit log cannot be written', () => {
  it('takes the change back and answers 503', async () => {
    const broken = await startApi({
      access: { audit: { record: () => Promise.reject(new Error('disk full')) } },
    });
    try {
      const admin = (method: 'POST' | 'PATCH', url: string, payload?: unknown) =>
        broken.inject({
          method,
          url,
          role: 'admin',
          ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
        });
      const res = await admin('POST', '/api/users', {
        username: 'ghost.user',
        password: NEW_PASSWORD,
        role: 'analyst',
      });
      expect([res.statusCode, codeOf(res)]).toEqual([503, 'AUDIT_UNAVAILABLE']);
      const users = () =>
        broken.db.session((s) =>
          s.query<{ username: string; office: string | null; disabled_at: unknown }>(
            'select username, office, disabled_at from app_user order by username',
          ),
        );
      expect((await users()).map((u) => u.username)).not.toContain('ghost.user');

      const officer = (await users()).find((u) => u.username === 'demo.officer')!;
      const [row] = await broken.db.session((s) =>
        s.query<{ id: string }>("select id::text as id from app_user where username = 'demo.officer'"),
      );
      const moved = await admin('PATCH', `/api/users/${row!.id}`, { office: 'HOU', role: 'analyst' });
      expect(moved.statusCode).toBe(503);
      const disabled = await admin('POST', `/api/users/${row!.id}/disable`);
      expect(disabled.statusCode).toBe(503);
      expect((await users()).find((u) => u.username === 'demo.officer')).toEqual(officer);
      const [role] = await broken.db.session((s) =>
        s.query<{ role: string }>("select role from app_user where username = 'demo.officer'"),
      );
      expect(role?.role).toBe('officer');
    } finally {
      await broken.close();
    }
  });
});
