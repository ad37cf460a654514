import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../../test/support/api-harness.js';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

const get: ApiHarness['get'] = (...args) => api.get(...args);

describe('API', () => {
  it('every /api route declares who may call it (deny by default)', () => {
    const routes = api.app.routePolicies.filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThanOrEqual(12);
    expect(routes.filter((r) => r.access === undefined)).toEqual([]);
  });

  it('refuses personal data without a session', async () => {
    const res = await get('/api/persons?q=Exampleton');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'sign in first' } });
  });

  it('refuses a wrong password without saying whether the user exists', async () => {
    const a = await api.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'demo.officer', password: 'wrong password!' },
    });
    const b = await api.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'nobody.here', password: 'wrong password!' },
    });
    expect(a.statusCode).toBe(401);
    expect(a.json()).toEqual(b.json());
  });

  it('serves the overstay report as JSON and CSV, with the channels it covers', async () => {
    const res = await get('/api/reports/overstay?from=2024-10-01&to=2025-09-30&by=nationality', 'analyst');
    const body = res.json<{
      total: { expectedDepartures: number; totalOverstays: number };
      coverageNote: string;
    }>();
    expect(body.total).toMatchObject({ expectedDepartures: 3, totalOverstays: 2 });
    expect(body.coverageNote).toMatch(/No sea or land departure feed/);
    const csv = await get('/api/reports/overstay?from=2024-10-01&to=2025-09-30&format=csv', 'analyst');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\n')[0]).toMatch(/^group,expected_departures,out_of_country_overstays/);
    expect(csv.body).toMatch(/\nTotal,3,1,1,2,66\.67,/);
  });

  it('drills down from a figure to the person and their evidence', async () => {
    const d = await get(
      '/api/reports/overstay/stays?from=2024-10-01&to=2025-09-30&cell=out-of-country-overstay',
      'officer',
    );
    const { stays } = d.json<{ stays: { personId: string }[] }>();
    expect(stays).toHaveLength(1);
    const p = await get(`/api/persons/${stays[0]!.personId}`, 'officer');
    const person = p.json<{ names: string[]; stays: { outcome: string; evidence: string[] }[] }>();
    expect(person.names).toEqual(['Cy Samplewood']);
    expect(person.stays[0]).toMatchObject({ outcome: 'departed-late' });
    expect(person.stays[0]!.evidence).toHaveLength(2);
  });

  it('answers bad input with a stable code and no internals', async () => {
    const res = await get('/api/reports/overstay?from=2025-13-99', 'analyst');
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('VALIDATION_FAILED');
    const missing = await get('/api/persons/999999', 'officer');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no person 999999' } });
  });

  it('imports a feed posted to the API, idempotently', async () => {
    const ndjson =
      '{"record_id":"N1","kind":"Admission","doc_number":"X70000001","doc_country":"CAN","birth_date":"1970-07-07","date":"2025-01-01","port":"BUF","class_of_admission":"B2","admit_until":"2025-06-30"}\nnot json\n';
    const post = () =>
      api.inject({
        method: 'POST',
        url: '/api/imports?source=partner',
        payload: ndjson,
        role: 'admin',
        headers: { 'content-type': 'application/x-ndjson', 'x-purpose': 'ingestion' },
      });
    expect((await post()).json()).toMatchObject({ rowsRead: 2, rowsNew: 1, rowsQuarantined: 1 });
    expect((await post()).json()).toMatchObject({
      rowsRead: 2,
      rowsNew: 0,
      rowsUnchanged: 2,
      rowsQuarantined: 0,
    });
  });

  it('publishes an OpenAPI 3 document', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/docs/json' });
    const doc = res.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/reports/overstay', '/api/persons/{id}', '/api/quarantine/{id}/resubmit']),
    );
  });
});

describe('hardening', () => {
  it('every answer carries the security headers; API answers are never cached', async () => {
    const res = await get('/api/reports/overstay', 'analyst');
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self';.*frame-ancestors 'none'/);
  });

  it('a route refuses fields it does not know, and a body over the limit', async () => {
    const extra = await api.app.inject({
      method: 'POST',
      url: '/api/disputes',
      payload: {
        statement: 'something is wrong here',
        identity: { familyNames: 'A', birthDate: '1990-01-01' },
        contact: 'x@y.z',
        extra: 1,
      },
    });
    expect(extra.statusCode).toBe(400);
    const huge = await api.app.inject({
      method: 'POST',
      url: '/api/disputes',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ statement: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('an unexpected failure answers with a request id, never a stack trace or SQL', async () => {
    await api.db.session((s) => s.exec('alter table dispute rename to dispute_away'));
    try {
      const res = await api.app.inject({
        method: 'POST',
        url: '/api/disputes/status',
        payload: { ticket: 'R-1', secret: 's' },
      });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({
        error: { code: 'INTERNAL', message: expect.stringMatching(/^internal error \(request /) as string },
      });
      expect(res.body).not.toMatch(/dispute|select|at |\.ts/);
    } finally {
      await api.db.session((s) => s.exec('alter table dispute_away rename to dispute'));
    }
  });
});
