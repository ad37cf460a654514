import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICY, permissionOf, type Permission } from '../access/policy.js';
import { ROLES, type Role } from '../access/roles.js';
import { auditCheckpoints, auditEntries } from '../audit/audit-reader.js';
import { verifyAuditChain } from '../audit/verify-audit.js';
import { startApi, type ApiHarness } from '../../test/support/api-harness.js';

/**
 * Who may call what, written out by hand: a route added without a line here, or a policy changed
 * without changing this table, fails the first two tests.
 */
const EXPECTED: Record<string, 'public' | 'signed-in' | readonly Role[]> = {
  'GET /api/purposes': 'signed-in',
  'POST /api/session': 'public',
  'GET /api/session': 'public',
  'DELETE /api/session': 'public',
  'GET /api/persons': ['officer', 'supervisor'],
  'GET /api/persons/:id': ['officer', 'supervisor'],
  'GET /api/reports/overstay': ROLES,
  'GET /api/reports/overstay/stays': ['analyst', 'officer', 'supervisor'],
  'GET /api/stats/departures': ROLES,
  'POST /api/imports': ['supervisor', 'admin'],
  'GET /api/imports': ['supervisor', 'admin'],
  'GET /api/quarantine': ['supervisor', 'admin'],
  'GET /api/quarantine/:id': ['supervisor', 'admin'],
  'POST /api/quarantine/:id/resubmit': ['supervisor', 'admin'],
  'POST /api/quarantine/:id/discard': ['supervisor', 'admin'],
  'GET /api/stream/dead-letters': ['supervisor', 'admin'],
  'POST /api/stream/dead-letters/:seq/retry': ['supervisor', 'admin'],
  'POST /api/stream/dead-letters/retry': ['supervisor', 'admin'],
  'GET /api/audit/entries': ['auditor', 'supervisor'],
  'GET /api/audit/status': ['auditor', 'admin'],
  'GET /api/audit/export': ['auditor'],
  // <- users (user admin)
  'GET /api/users': ['admin'],
  'POST /api/users': ['admin'],
  'PATCH /api/users/:id': ['admin'],
  'POST /api/users/:id/disable': ['admin'],
  'POST /api/users/:id/enable': ['admin'],
  'POST /api/users/:id/totp': ['admin'],
  'GET /api/retention/preview': ['supervisor', 'admin'],
  'POST /api/retention/run': ['admin'],
  'GET /api/retention/holds': ['supervisor', 'auditor', 'admin'],
  'POST /api/retention/holds': ['supervisor', 'admin'],
  'POST /api/retention/holds/:id/release': ['supervisor', 'admin'],
  // <- retention
  'POST /api/disputes': 'public',
  'POST /api/disputes/status': 'public',
  'GET /api/redress': ['officer', 'supervisor'],
  'GET /api/redress/:id': ['officer', 'supervisor'],
  'POST /api/redress/:id/person': ['officer', 'supervisor'],
  'POST /api/redress/:id/identity': ['officer', 'supervisor'],
  'POST /api/redress/:id/corrections': ['officer', 'supervisor'],
  'POST /api/redress/:id/close': ['officer', 'supervisor'],
  // <- redress
  'POST /api/departures/self-reports': 'public',
  'GET /api/departures/report': ROLES,
  'GET /api/departures/report/stays': ['officer', 'supervisor'],
  'GET /api/departures/live': ROLES,
  'GET /api/departures/events': ROLES,
  'GET /api/follows': ['officer', 'supervisor'],
  'GET /api/follows/events': ['officer', 'supervisor'],
  'POST /api/persons/:id/follow': ['officer', 'supervisor'],
  'DELETE /api/persons/:id/follow': ['officer', 'supervisor'],
  'GET /api/identity/reviews': ['officer', 'supervisor'],
  'GET /api/identity/reviews/:id': ['officer', 'supervisor'],
  'POST /api/identity/reviews/:id/decision': ['officer', 'supervisor'],
  'GET /api/identity/quality': ['analyst', 'supervisor', 'auditor', 'admin'],
  'POST /api/persons/:id/merge': ['supervisor'],
  'POST /api/persons/:id/split': ['supervisor'],
  'POST /api/persons/:id/identity-verified': ['officer', 'supervisor'],
  'GET /api/session/oidc': 'public',
  'GET /api/session/oidc/start': 'public',
  'GET /api/session/oidc/callback': 'public',
};

/** A request that reaches each route (without changing anything when it is let through). */
const SAMPLE: Record<string, { url: string; payload?: unknown; contentType?: string }> = {
  'GET /api/purposes': { url: '/api/purposes' },
  'GET /api/persons': { url: '/api/persons?q=Samplewood' },
  'GET /api/persons/:id': { url: '/api/persons/1' },
  'GET /api/reports/overstay': { url: '/api/reports/overstay' },
  'GET /api/reports/overstay/stays': { url: '/api/reports/overstay/stays?from=2024-10-01&to=2025-09-30' },
  'GET /api/stats/departures': { url: '/api/stats/departures' },
  'POST /api/imports': {
    url: '/api/imports?source=matrix',
    payload: '',
    contentType: 'application/x-ndjson',
  },
  'GET /api/imports': { url: '/api/imports' },
  'GET /api/quarantine': { url: '/api/quarantine' },
  'GET /api/quarantine/:id': { url: '/api/quarantine/999' },
  'POST /api/quarantine/:id/resubmit': { url: '/api/quarantine/999/resubmit', payload: { fields: {} } },
  'POST /api/quarantine/:id/discard': { url: '/api/quarantine/999/discard', payload: { reason: 'matrix' } },
  // Dead letters: a list, and a retry of a dead letter that does not exist (retry-all: EXPECTED only, as it
  // would put back whatever a stream configured from the environment holds).
  'GET /api/stream/dead-letters': { url: '/api/stream/dead-letters' },
  'POST /api/stream/dead-letters/:seq/retry': { url: '/api/stream/dead-letters/999999999/retry' },
  'GET /api/audit/entries': { url: '/api/audit/entries?breakGlass=true' },
  'GET /api/audit/status': { url: '/api/audit/status' },
  'GET /api/audit/export': { url: '/api/audit/export' },
  // <- users (user admin)
  'GET /api/users': { url: '/api/users' },
  // Let through, each is refused without changing anything: a password too short, no such user.
  'POST /api/users': {
    url: '/api/users',
    payload: { username: 'matrix.user', password: 'short', role: 'officer' },
  },
  'PATCH /api/users/:id': { url: '/api/users/999999', payload: { office: null } },
  'POST /api/users/:id/disable': { url: '/api/users/999999/disable' },
  'POST /api/users/:id/enable': { url: '/api/users/999999/enable' },
  'POST /api/users/:id/totp': { url: '/api/users/999999/totp' },
  // Retention samples change nothing: a preview; a run as of a day long before any fixture record is due;
  // a hold on a person and a release of a hold that do not exist.
  'GET /api/retention/preview': { url: '/api/retention/preview' },
  'POST /api/retention/run': { url: '/api/retention/run', payload: { asOf: '2000-01-01' } },
  'GET /api/retention/holds': { url: '/api/retention/holds?status=all' },
  'POST /api/retention/holds': {
    url: '/api/retention/holds',
    payload: { personId: '999999', reason: 'matrix sample: no such person' },
  },
  'POST /api/retention/holds/:id/release': {
    url: '/api/retention/holds/999999/release',
    payload: { reason: 'matrix sample' },
  },
  // <- retention
  'GET /api/redress': { url: '/api/redress' },
  'GET /api/redress/:id': { url: '/api/redress/999' },
  'POST /api/redress/:id/person': { url: '/api/redress/999/person', payload: { personId: '1' } },
  'POST /api/redress/:id/identity': {
    url: '/api/redress/999/identity',
    payload: { how: 'matrix test only' },
  },
  'POST /api/redress/:id/corrections': {
    url: '/api/redress/999/corrections',
    payload: { observationId: '1', fields: {} },
  },
  'POST /api/redress/:id/close': { url: '/api/redress/999/close', payload: { answer: 'matrix test only' } },
  // <- redress
  // (the event streams never end: their roles are checked in EXPECTED only, and by the departures tests)
  'GET /api/departures/report': { url: '/api/departures/report?from=2025-01-01&to=2025-12-31' },
  'GET /api/departures/report/stays': { url: '/api/departures/report/stays?from=2025-01-01&to=2025-12-31' },
  'GET /api/departures/live': { url: '/api/departures/live' },
  'GET /api/follows': { url: '/api/follows' },
  'POST /api/persons/:id/follow': { url: '/api/persons/999999/follow' },
  'DELETE /api/persons/:id/follow': { url: '/api/persons/999999/follow' },
  // Identity samples change nothing: no such review, no such person.
  'GET /api/identity/reviews': { url: '/api/identity/reviews' },
  'GET /api/identity/reviews/:id': { url: '/api/identity/reviews/999999' },
  'POST /api/identity/reviews/:id/decision': {
    url: '/api/identity/reviews/999999/decision',
    payload: { decision: 'different' },
  },
  'GET /api/identity/quality': { url: '/api/identity/quality' },
  'POST /api/persons/:id/merge': {
    url: '/api/persons/999998/merge',
    payload: { into: '999999', reason: 'matrix' },
  },
  'POST /api/persons/:id/split': {
    url: '/api/persons/999999/split',
    payload: { observationIds: ['1'], reason: 'matrix' },
  },
  'POST /api/persons/:id/identity-verified': {
    url: '/api/persons/999999/identity-verified',
    payload: { how: 'matrix test only' },
  },
  // (the OpenID Connect routes are public, like the session's: EXPECTED only)
};

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

const declaredRoutes = () =>
  api.app.routePolicies.filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD');

const call = (route: string, role?: Role, headers: Record<string, string> = {}) => {
  const [method] = route.split(' ');
  const s = SAMPLE[route]!;
  return api.inject({
    method: method as 'GET',
    url: s.url,
    ...(role ? { role } : {}),
    ...(s.payload !== undefined ? { payload: s.payload as string } : {}),
    headers: { ...(s.contentType ? { 'content-type': s.contentType } : {}), ...headers },
  });
};

const auditCount = async () =>
  (await api.db.session((s) => s.query<{ n: number }>('select count(*)::int as n from audit_entry')))[0]!.n;

const lastAudit = async () => {
  const [row] = await api.db.session((s) =>
    s.query<{
      action: string;
      outcome: string;
      person_ids: string[];
      purpose: string | null;
      break_glass_reason: string | null;
      username: string | null;
    }>(
      'select action, outcome, person_ids::text[] as person_ids, purpose, break_glass_reason, username from audit_entry order by seq desc limit 1',
    ),
  );
  return row!;
};

describe('access control: deny by default, one allow-table per resource', () => {
  it('every registered /api route declares an action of the allow-tables, and the table below lists each', () => {
    const routes = declaredRoutes();
    expect(routes.filter((r) => r.access === undefined)).toEqual([]);
    expect(routes.map((r) => `${r.method} ${r.url}`).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('each route is wired to the action whose roles the table expects', () => {
    for (const r of declaredRoutes()) {
      const expected = EXPECTED[`${r.method} ${r.url}`];
      const declared = permissionOf(r.access!).allow;
      expect([r.method, r.url, declared]).toEqual([r.method, r.url, expected === ROLES ? ROLES : expected]);
    }
  });

  it('the role matrix: each role against each route, and no session at all', async () => {
    const failures: string[] = [];
    for (const route of Object.keys(SAMPLE)) {
      const expected = EXPECTED[route]!;
      const allowed = expected === 'signed-in' ? ROLES : (expected as readonly Role[]);
      const anonymous = await call(route);
      if (anonymous.statusCode !== 401) failures.push(`${route} anonymous: ${anonymous.statusCode}`);
      for (const role of ROLES) {
        const res = await call(route, role);
        const refused =
          res.statusCode === 403 && res.json<{ error: { code: string } }>().error.code === 'FORBIDDEN';
        if (refused === allowed.includes(role))
          failures.push(`${route} as ${role}: ${res.statusCode} ${res.body}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('purpose of use', () => {
  it('a read of personal data without a purpose is refused, and says which purposes exist', async () => {
    const res = await api.get('/api/persons?q=Samplewood', 'supervisor', { 'x-purpose': undefined });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'PURPOSE_REQUIRED' } });
    expect(res.json<{ error: { message: string } }>().error.message).toMatch(
      /case-work, data-quality-review/,
    );
  });

  it('an unknown purpose, or case work without its case reference, is refused', async () => {
    const unknown = await api.get('/api/persons?q=Samplewood', 'supervisor', { 'x-purpose': 'curiosity' });
    expect(unknown.json()).toMatchObject({ error: { code: 'PURPOSE_REQUIRED' } });
    const noCase = await api.get('/api/persons?q=Samplewood', 'supervisor', { 'x-purpose': 'case-work' });
    expect(noCase.json<{ error: { message: string } }>().error.message).toMatch(/x-purpose-reference/);
    const withCase = await api.get('/api/persons?q=Samplewood', 'supervisor', {
      'x-purpose': 'case-work',
      'x-purpose-reference': 'CASE-2026-0042',
    });
    expect(withCase.statusCode).toBe(200);
  });

  it('figures need no purpose', async () => {
    expect((await api.get('/api/reports/overstay', 'analyst', { 'x-purpose': undefined })).statusCode).toBe(
      200,
    );
  });
});

describe('audit: one entry per access to personal data', () => {
  it('every personal-data route writes exactly one entry per request, allowed or refused; others write none', async () => {
    const personal = new Set(
      Object.entries(POLICY).flatMap(([resource, actions]) =>
        Object.entries(actions as Record<string, Permission>)
          .filter(([, p]) => p.sensitivity === 'personal')
          .map(([action]) => `${resource}.${action}`),
      ),
    );
    for (const r of declaredRoutes()) {
      const route = `${r.method} ${r.url}`;
      if (!SAMPLE[route]) continue;
      const expected = EXPECTED[route]!;
      const allowed = expected === 'signed-in' ? ROLES : (expected as readonly Role[]);
      for (const role of [allowed[0]!, ROLES.find((x) => !allowed.includes(x))].filter(Boolean) as Role[]) {
        const before = await auditCount();
        await call(route, role);
        const written = (await auditCount()) - before;
        expect([route, role, written]).toEqual([route, role, personal.has(r.access!) ? 1 : 0]);
      }
    }
  });

  it('an entry names who, as what, which persons, why and how it ended: ids, not content', async () => {
    const hits = await api.get('/api/persons?q=Samplewood', 'supervisor');
    const id = hits.json<{ hits: { personId: string }[] }>().hits[0]!.personId;
    await api.get(`/api/persons/${id}`, 'supervisor');
    expect(await lastAudit()).toEqual({
      action: 'person.read',
      outcome: 'allowed',
      person_ids: [id],
      purpose: 'data-quality-review',
      break_glass_reason: null,
      username: 'demo.supervisor',
    });
    await api.get(`/api/persons/${id}`, 'analyst');
    expect(await lastAudit()).toMatchObject({
      action: 'person.read',
      outcome: 'denied',
      username: 'demo.analyst',
    });
  });

  it('fails closed: when the entry cannot be written, the person is not served', async () => {
    const broken = await startApi({
      access: { audit: { record: () => Promise.reject(new Error('disk full')) } },
    });
    try {
      const res = await broken.get('/api/persons/1', 'supervisor');
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: { code: 'AUDIT_UNAVAILABLE' } });
      expect(res.body).not.toMatch(/Samplewood|Example|observations/);
      expect((await broken.get('/api/reports/overstay', 'analyst')).statusCode).toBe(200);
    } finally {
      await broken.close();
    }
  });
});

describe('data-level checks', () => {
  const idOf = async (q: string) =>
    (await api.get(`/api/persons?q=${q}`, 'supervisor')).json<{ hits: { personId: string }[] }>().hits[0]!
      .personId;

  it("an officer opens the persons of their own office; another office's only with a written reason, which is flagged and reviewable", async () => {
    const inOffice = await idOf('Samplewood'); // admitted at MIA, the officer's office
    expect((await api.get(`/api/persons/${inOffice}`, 'officer')).statusCode).toBe(200);

    const elsewhere = await idOf('X12345678'); // admitted at JFK: the NYC office
    const refused = await api.get(`/api/persons/${elsewhere}`, 'officer');
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 'OUTSIDE_OFFICE' } });
    expect(await lastAudit()).toMatchObject({ outcome: 'denied', person_ids: [elsewhere] });

    const tooShort = await api.get(`/api/persons/${elsewhere}`, 'officer', { 'x-break-glass': 'urgent' });
    expect(tooShort.statusCode).toBe(403);

    const reason = 'traveller at the MIA counter holds an NYC case';
    const opened = await api.get(`/api/persons/${elsewhere}`, 'officer', { 'x-break-glass': reason });
    expect(opened.statusCode).toBe(200);
    expect(await lastAudit()).toMatchObject({ outcome: 'allowed', break_glass_reason: reason });

    const review = await api.get('/api/audit/entries?breakGlass=true', 'supervisor');
    expect(
      review.json<{ entries: { breakGlassReason: string; username: string }[] }>().entries[0],
    ).toMatchObject({
      breakGlassReason: reason,
      username: 'demo.officer',
    });
    const notReview = await api.get('/api/audit/entries', 'supervisor');
    expect(notReview.statusCode).toBe(403);
  });

  it('an auditor sees who looked at a person and why', async () => {
    const id = await idOf('Samplewood');
    const res = await api.get(`/api/audit/entries?personId=${id}`, 'auditor', { 'x-purpose': 'audit' });
    const entries = res.json<{ entries: { action: string; personIds: string[]; purpose: string }[] }>()
      .entries;
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) expect(e.personIds).toContain(id);
  });

  it('analysts get pseudonymized drill-downs, never person ids', async () => {
    const q = '/api/reports/overstay/stays?from=2024-10-01&to=2025-09-30';
    const asOfficer = (await api.get(q, 'officer')).json<{ stays: { personId: string }[] }>().stays;
    const asAnalyst = (await api.get(q, 'analyst')).json<{
      pseudonymized: boolean;
      stays: { personId: string; admissionId: string }[];
    }>();
    expect(asAnalyst.pseudonymized).toBe(true);
    expect(asAnalyst.stays).toHaveLength(asOfficer.length);
    for (const st of asAnalyst.stays) {
      expect(st.personId).toMatch(/^P-[0-9a-f]{12}$/);
      expect(st.admissionId).toMatch(/^P-[0-9a-f]{12}$/);
    }
    const again = (await api.get(q, 'analyst')).json<{ stays: { personId: string }[] }>().stays;
    expect(again.map((s) => s.personId)).toEqual(asAnalyst.stays.map((s) => s.personId));
  });
});

describe('the audit chain', () => {
  const verify = async () => verifyAuditChain(auditEntries(api.db), await auditCheckpoints(api.db));

  it('is intact after all of the above, and an export verifies the same', async () => {
    const r = await verify();
    expect(r).toMatchObject({ ok: true, firstBroken: null });
    expect(r.entries).toBe(await auditCount());
  });

  it('refuses UPDATE and DELETE through SQL', async () => {
    await expect(
      api.db.session((s) => s.query("update audit_entry set purpose = 'x' where seq = 1")),
    ).rejects.toThrow(/append-only/);
    await expect(api.db.session((s) => s.query('delete from audit_entry where seq = 1'))).rejects.toThrow(
      /append-only/,
    );
  });

  it('a row altered behind the trigger is caught by verify, which names it', async () => {
    const tamper = async (sql: string) =>
      api.db.session((s) =>
        s.exec(`alter table audit_entry disable trigger audit_entry_append_only; ${sql};
                alter table audit_entry enable trigger audit_entry_append_only;`),
      );
    await tamper("update audit_entry set purpose = 'redress' where seq = 3");
    expect((await verify()).firstBroken).toEqual({
      seq: '3',
      reason: 'entry 3 was altered: its content does not give its hash',
    });
    await tamper(
      'update audit_entry set purpose = (select purpose from audit_entry where seq = 2) where seq = 3',
    );
  });
});

describe('strict schemas', () => {
  it('every /api input schema refuses unknown fields', () => {
    const loose: string[] = [];
    for (const r of declaredRoutes()) {
      const s = r.schema as {
        body?: { additionalProperties?: boolean };
        querystring?: { additionalProperties?: boolean };
      };
      // The OpenID Connect callback takes whatever parameters the provider sends (code, state, iss, …).
      const callback = r.url.endsWith('/oidc/callback');
      if (s.querystring && s.querystring.additionalProperties !== false && !callback)
        loose.push(`${r.method} ${r.url} query`);
      if (s.body && s.body.additionalProperties !== false) loose.push(`${r.method} ${r.url} body`);
    }
    expect(loose).toEqual([]);
  });
});
