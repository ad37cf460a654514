import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../test/support/free-port.js';
import { startApi, type ApiHarness } from '../../../test/support/api-harness.js';

/**
 * The dead-letter routes on a server without a dead-letter stream, and with one that cannot be
 * reached: each says so with its own code, never with an empty list. The routes over a real NATS
 * JetStream are tested in test/integration/dead-letters.nats.test.ts.
 */
const INGESTION = { 'x-purpose': 'ingestion' };

const lastAudit = async (api: ApiHarness) => {
  const [row] = await api.db.session((s) =>
    s.query<{ action: string; outcome: string; status: number; purpose: string | null; route: string }>(
      'select action, outcome, status, purpose, route from audit_entry order by seq desc limit 1',
    ),
  );
  return row;
};

describe('dead letters on a server with the in-process bus (no NATS)', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi({ stream: null });
  });
  afterAll(async () => {
    await api.close();
  });

  it('says plainly that there is no dead-letter stream, to list or to retry, and audits the attempt', async () => {
    for (const [method, url, action] of [
      ['GET', '/api/stream/dead-letters', 'quarantine.list'],
      ['POST', '/api/stream/dead-letters/1/retry', 'quarantine.resubmit'],
      ['POST', '/api/stream/dead-letters/retry', 'quarantine.resubmit'],
    ] as const) {
      const res = await api.inject({ method, url, role: 'supervisor', headers: INGESTION });
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(501);
      const body = res.json<{ error: { code: string; message: string }; letters?: unknown }>();
      expect(body.error.code).toBe('NO_DEAD_LETTER_STREAM');
      expect(body.error.message).toMatch(/no dead-letter stream.*no NATS_URL.*quarantine/);
      expect(body.letters).toBeUndefined();
      expect(await lastAudit(api)).toMatchObject({
        action,
        outcome: 'failed',
        status: 501,
        purpose: 'ingestion',
        route: `${method} ${url.replace('/1/', '/:seq/')}`,
      });
    }
  });

  it('is for supervisors and admins, under a purpose; others are refused before anything else', async () => {
    expect((await api.get('/api/stream/dead-letters', 'admin', INGESTION)).statusCode).toBe(501);
    for (const role of ['analyst', 'officer', 'auditor'] as const) {
      const res = await api.get('/api/stream/dead-letters', role, INGESTION);
      expect([role, res.statusCode, res.json<{ error: { code: string } }>().error.code]).toEqual([
        role,
        403,
        'FORBIDDEN',
      ]);
    }
    expect((await api.get('/api/stream/dead-letters')).statusCode).toBe(401);
    const noPurpose = await api.get('/api/stream/dead-letters', 'supervisor', { 'x-purpose': undefined });
    expect(noPurpose.json()).toMatchObject({ error: { code: 'PURPOSE_REQUIRED' } });
  });

  it('takes only a dead letter number, and a page within bounds', async () => {
    for (const url of [
      '/api/stream/dead-letters?limit=0',
      '/api/stream/dead-letters?limit=501',
      '/api/stream/dead-letters?after=-1',
      '/api/stream/dead-letters?status=open',
    ]) {
      const res = await api.get(url, 'supervisor', INGESTION);
      expect([url, res.statusCode]).toEqual([url, 400]);
    }
    for (const seq of ['0', 'x', '1.5']) {
      const res = await api.inject({
        method: 'POST',
        url: `/api/stream/dead-letters/${seq}/retry`,
        role: 'supervisor',
        headers: INGESTION,
      });
      expect([seq, res.statusCode, res.json<{ error: { code: string } }>().error.code]).toEqual([
        seq,
        400,
        'VALIDATION_FAILED',
      ]);
    }
  });
});

describe('dead letters when NATS is configured but cannot be reached', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    // A port nothing listens on: the connection is refused.
    api = await startApi({
      stream: { natsUrl: `nats://127.0.0.1:${await freePort()}`, prefix: 'UNREACHABLE' },
    });
  });
  afterAll(async () => {
    await api.close();
  });

  it('answers that the stream does not answer (try again later), and tries again on the next request', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await api.get('/api/stream/dead-letters', 'admin', INGESTION);
      expect(res.statusCode, res.body).toBe(503);
      expect(res.json()).toEqual({
        error: {
          code: 'STREAM_UNAVAILABLE',
          message: 'the observation stream (NATS JetStream) does not answer; try again later',
        },
      });
      expect(res.body).not.toContain('127.0.0.1');
    }
    expect(await lastAudit(api)).toMatchObject({ action: 'quarantine.list', outcome: 'failed', status: 503 });
  });
});

describe('dead letters on an app given no stream, in a shell that has NATS_URL', () => {
  let api: ApiHarness;
  const before = process.env['NATS_URL'];
  beforeAll(async () => {
    // Only the server passes its configuration's stream (serve.ts): an app built without one has none,
    // whatever the environment of the process that builds it says.
    process.env['NATS_URL'] = `nats://127.0.0.1:${await freePort()}`;
    api = await startApi();
  });
  afterAll(async () => {
    if (before === undefined) delete process.env['NATS_URL'];
    else process.env['NATS_URL'] = before;
    await api.close();
  });

  it('answers that it keeps none (501), not that a stream does not answer (503)', async () => {
    const res = await api.get('/api/stream/dead-letters', 'supervisor', INGESTION);
    expect([res.statusCode, res.json<{ error: { code: string } }>().error.code]).toEqual([
      501,
      'NO_DEAD_LETTER_STREAM',
    ]);
  });
});
