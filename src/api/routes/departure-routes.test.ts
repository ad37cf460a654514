import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../../../test/support/api-harness.js';

let api: ApiHarness;
let base = '';
beforeAll(async () => {
  api = await startApi();
  base = await api.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await api.close();
});

const CASE = { 'x-purpose': 'case-work', 'x-purpose-reference': 'DEP-1' };

/** Reads server-sent events until `want` is seen (or fails after 10 s). */
async function nextEvent(res: Response, want: string): Promise<unknown> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + 10_000;
  try {
    while (Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      for (const block of text.split('\n\n')) {
        const event = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (event === want && data) return JSON.parse(data);
      }
    }
    throw new Error(`no "${want}" event; received: ${text}`);
  } finally {
    await reader.cancel();
  }
}

const importNdjson = (records: Record<string, string>[]) =>
  api.inject({
    method: 'POST',
    url: '/api/imports?source=carrier-test',
    role: 'supervisor',
    payload: records.map((r) => JSON.stringify(r)).join('\n') + '\n',
    headers: { 'content-type': 'application/x-ndjson', 'x-purpose': 'ingestion' },
  });

describe('departures: report, live events, following a person', () => {
  it('alerts the follower, live, when a followed person is confirmed departed, and updates the dashboard', async () => {
    const bo = (await api.get('/api/persons?q=Z98765432', 'supervisor', CASE)).json<{
      hits: { personId: string }[];
    }>().hits[0]!.personId;
    const follow = await api.inject({
      method: 'POST',
      url: `/api/persons/${bo}/follow`,
      role: 'supervisor',
      headers: CASE,
    });
    expect(follow.statusCode, follow.body).toBe(200);
    expect((await api.get('/api/follows', 'supervisor', CASE)).json()).toEqual({ persons: [bo] });

    const auth = { authorization: `Bearer ${api.tokens.get('supervisor')}` };
    const alerts = await fetch(`${base}/api/follows/events`, { headers: { ...auth, ...CASE } });
    const live = await fetch(`${base}/api/departures/events`, { headers: auth });
    expect(alerts.headers.get('content-type')).toMatch(/text\/event-stream/);
    const alerted = nextEvent(alerts, 'departure-confirmed');
    const changed = nextEvent(live, 'stays-changed');
    const res = await importNdjson([
      {
        record_id: 'D2',
        kind: 'Departure',
        given_names: 'Bo',
        family_names: 'Testington',
        birth_date: '1985-12-24',
        sex: 'M',
        nationality: 'DEU',
        doc_number: 'Z98765432',
        doc_type: 'P',
        doc_country: 'DEU',
        date: '2025-04-20',
        port: 'LAX',
        channel: 'air',
        carrier: 'LH',
        flight: 'LH451',
      },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    expect(await alerted).toMatchObject({ personId: bo, departedOn: '2025-04-20', channel: 'air' });
    expect(await changed).toMatchObject({ persons: 1 });

    const report = await api.get('/api/departures/report?from=2025-01-01&to=2025-12-31', 'analyst');
    expect(report.json()).toMatchObject({ total: 4 });
    const lax = await api.get(
      '/api/departures/report/stays?from=2025-04-01&to=2025-04-30',
      'supervisor',
      CASE,
    );
    expect(lax.json<{ stays: { personId: string }[] }>().stays.map((s) => s.personId)).toEqual([bo]);
    const dashboard = await api.get('/api/departures/live?days=366', 'analyst');
    expect(dashboard.json()).toMatchObject({ selfReports: { reported: 0 }, pendingIdentityReviews: 0 });
  });
});
