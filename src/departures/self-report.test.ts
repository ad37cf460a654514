import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../../test/support/api-harness.js';
import { SELF_REPORT_RECEIVED } from './self-report.js';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

const report = (over: Record<string, string> = {}, ip = '198.51.100.9') =>
  api.app.inject({
    method: 'POST',
    url: '/api/departures/self-reports',
    remoteAddress: ip,
    payload: {
      givenNames: 'Cy',
      familyNames: 'Samplewood',
      birthDate: '1979-06-15',
      documentNumber: 'X55555555',
      documentCountry: 'GBR',
      date: '2026-10-20',
      mode: 'air',
      port: 'MIA',
      carrier: 'BA',
      flight: 'BA208',
      destination: 'GBR',
      ...over,
    },
  });

describe('self-reported departures (public)', () => {
  it('answers with a confirmation number and the same words whether or not the person is on record', async () => {
    const known = await report();
    const unknown = await report(
      { familyNames: 'Nobody-Known', documentNumber: 'Q00000001' },
      '198.51.100.10',
    );
    for (const res of [known, unknown]) {
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json<{ confirmation: string; message: string }>();
      expect(body.confirmation).toMatch(/^SR-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
      expect(body.message).toBe(SELF_REPORT_RECEIVED);
      expect(Object.keys(body).sort()).toEqual(['confirmation', 'message']);
    }
    // Kept as a Departure on the self-report channel, on the person the document names.
    const { confirmation } = known.json<{ confirmation: string }>();
    const [row] = await api.db.session((s) =>
      s.query<{ kind: string; channel: string; content: string; person: string }>(
        `select o.kind, o.channel, r.content, o.person_id::text as person from observation o join raw_record r on r.id = o.id
          where r.source = 'self-report' and r.source_record_id = $1`,
        [confirmation],
      ),
    );
    expect(row).toMatchObject({ kind: 'Departure', channel: 'self-report' });
    expect(JSON.parse(row!.content)).toMatchObject({ mode: 'air', destination: 'GBR' });
    const [cy] = await api.db.session((s) =>
      s.query<{ person: string }>(
        `select o.person_id::text as person from observation o join raw_record r on r.id = o.id where r.source_record_id = 'A3'`,
      ),
    );
    expect(row!.person).toBe(cy!.person);
  });

  it('refuses a date more than 90 days ahead, naming the field, and limits each address', async () => {
    const far = await report({ date: '2099-01-01' }, '198.51.100.11');
    expect(far.statusCode).toBe(400);
    expect(far.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: [{ field: 'date' }] } });
    let last = far;
    for (let i = 0; i < 10; i++) last = await report({ date: '2099-01-01' }, '198.51.100.11');
    expect(last.statusCode).toBe(429);
    expect(last.headers['retry-after']).toBeDefined();
  });
});
