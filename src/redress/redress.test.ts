import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../../test/support/api-harness.js';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

const REDRESS = { 'x-purpose': 'redress' };

const dispute = (identity: Record<string, string>, ip = '203.0.113.7') =>
  api.app.inject({
    method: 'POST',
    url: '/api/disputes',
    remoteAddress: ip,
    payload: {
      statement: 'I left on time on 2025-05-28; the record says I left late.',
      identity,
      contact: 'cy@example.invalid',
    },
  });

const status = (ticket: string, secret: string) =>
  api.app.inject({ method: 'POST', url: '/api/disputes/status', payload: { ticket, secret } });

const outOfCountryOverstays = async () =>
  (await api.get('/api/reports/overstay?from=2024-10-01&to=2025-09-30', 'analyst')).json<{
    total: { outOfCountryOverstays: number };
  }>().total.outOfCountryOverstays;

describe('redress: a dispute filed in public, worked by an officer to a correction', () => {
  it('answers the same whether or not the person is on record, and needs no sign-in', async () => {
    const onRecord = await dispute({
      familyNames: 'Samplewood',
      birthDate: '1979-06-15',
      documentNumber: 'X55555555',
    });
    const unknown = await dispute({ familyNames: 'Nobody', birthDate: '1950-01-01' }, '203.0.113.8');
    expect(onRecord.statusCode).toBe(201);
    expect(unknown.statusCode).toBe(201);
    const a = onRecord.json<{ ticket: string; secret: string; message: string }>();
    const b = unknown.json<{ ticket: string; secret: string; message: string }>();
    expect(Object.keys(a)).toEqual(Object.keys(b));
    expect(a.message).toBe(b.message);
    expect(a.ticket).toMatch(/^R-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    expect((await status(a.ticket, a.secret)).json()).toMatchObject({ status: 'received', changes: [] });
  });

  it('a wrong secret and an unknown ticket get the same answer', async () => {
    const { ticket } = (
      await dispute({ familyNames: 'Samplewood', birthDate: '1979-06-15' }, '203.0.113.9')
    ).json<{
      ticket: string;
    }>();
    const wrong = await status(ticket, 'not-the-secret');
    const none = await status('R-00000-00000', 'not-the-secret');
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json()).toEqual(none.json());
  });

  it('is rate-limited per client address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++)
      codes.push(
        (await dispute({ familyNames: 'Flood', birthDate: '1980-01-01' }, '198.51.100.1')).statusCode,
      );
    expect(codes).toEqual([201, 201, 201, 201, 201, 429]);
  });

  it('an officer links the person, verifies identity, corrects the wrong departure; stays, reports and the ticket change', async () => {
    const { ticket, secret } = (
      await dispute({ familyNames: 'Samplewood', birthDate: '1979-06-15' }, '203.0.113.20')
    ).json<{ ticket: string; secret: string }>();
    const queue = await api.get('/api/redress', 'officer', REDRESS);
    const item = queue
      .json<{ disputes: { id: string; ticket: string }[] }>()
      .disputes.find((d) => d.ticket === ticket)!;
    expect(item).toBeDefined();

    const hits = await api.get('/api/persons?q=X55555555', 'officer', REDRESS);
    const personId = hits.json<{ hits: { personId: string }[] }>().hits[0]!.personId;
    const person = (await api.get(`/api/persons/${personId}`, 'officer', REDRESS)).json<{
      observations: { id: string; kind: string; date: string }[];
    }>();
    const departure = person.observations.find((o) => o.kind === 'Departure')!;
    const fix = {
      observationId: departure.id,
      fields: {
        kind: 'Departure',
        given_names: 'Cy',
        family_names: 'Samplewood',
        birth_date: '1979-06-15',
        sex: 'M',
        nationality: 'GBR',
        doc_number: 'X55555555',
        doc_type: 'P',
        doc_country: 'GBR',
        doc_expiry: '2029-09-09',
        date: '2025-05-28',
        port: 'MIA',
        channel: 'air',
        carrier: 'BA',
        flight: 'BA208',
      },
    };
    const post = (path: string, payload: unknown) =>
      api.inject({
        method: 'POST',
        url: `/api/redress/${item.id}${path}`,
        role: 'officer',
        headers: REDRESS,
        payload: payload as object,
      });

    expect((await post('/corrections', fix)).json()).toMatchObject({ error: { code: 'CONFLICT' } }); // no person yet
    expect((await post('/person', { personId })).statusCode).toBe(200);
    // While the dispute is open the person's records are on legal hold: retention erases nothing of them.
    const holds = await api.get(`/api/retention/holds`, 'supervisor', { 'x-purpose': 'retention' });
    const held = holds.json<{
      holds: { personId: string | null; reason: string; releasedAt: string | null }[];
    }>().holds;
    expect(held).toContainEqual(
      expect.objectContaining({ personId, reason: `open dispute ${ticket}`, releasedAt: null }),
    );
    const early = await post('/corrections', fix);
    expect(early.json<{ error: { message: string } }>().error.message).toMatch(/identity was verified/);
    expect(
      (await post('/identity', { how: 'passport shown at the MIA counter, photo matches' })).statusCode,
    ).toBe(200);

    const before = await outOfCountryOverstays();
    const corrected = await post('/corrections', fix);
    expect(corrected.statusCode).toBe(200);
    expect(corrected.json()).toMatchObject({ status: 'corrected' });
    expect(await outOfCountryOverstays()).toBe(before - 1);

    const after = (await api.get(`/api/persons/${personId}`, 'officer', REDRESS)).json<{
      stays: { outcome: string }[];
      observations: { kind: string; date: string; superseded: boolean }[];
    }>();
    expect(after.stays[0]!.outcome).toBe('departed-on-time');
    expect(
      after.observations.filter((o) => o.kind === 'Departure').map((o) => [o.date, o.superseded]),
    ).toEqual([
      ['2025-05-28', false],
      ['2025-06-20', true],
    ]);

    const publicView = (await status(ticket, secret)).json<{
      status: string;
      changes: { summary: string }[];
    }>();
    expect(publicView.status).toBe('corrected');
    expect(publicView.changes[0]!.summary).toMatch(/departure record of 2025-06-20 was corrected \(date\)/);
    expect(publicView.changes[0]!.summary).toMatch(/now reads "departed-on-time" \(was "departed-late"\)/);

    expect(
      (await post('/close', { answer: 'Your departure date is corrected; no overstay is recorded.' }))
        .statusCode,
    ).toBe(200);
    expect((await status(ticket, secret)).json()).toMatchObject({
      status: 'closed',
      answer: 'Your departure date is corrected; no overstay is recorded.',
    });
    expect((await post('/identity', { how: 'too late, it is closed' })).statusCode).toBe(409);
    const after2 = await api.get(`/api/retention/holds`, 'supervisor', { 'x-purpose': 'retention' });
    expect(
      after2
        .json<{ holds: { reason: string; releasedAt: string | null }[] }>()
        .holds.find((h) => h.reason === `open dispute ${ticket}`)?.releasedAt,
    ).not.toBeNull();
  });

  it("never joins two persons: a correction carrying another person's identity is refused", async () => {
    const { ticket } = (
      await dispute({ familyNames: 'Exampleton', birthDate: '1990-04-01' }, '203.0.113.30')
    ).json<{
      ticket: string;
    }>();
    const id = (await api.get('/api/redress', 'supervisor', REDRESS))
      .json<{ disputes: { id: string; ticket: string }[] }>()
      .disputes.find((d) => d.ticket === ticket)!.id;
    const ana = (await api.get('/api/persons?q=X12345678', 'supervisor', REDRESS)).json<{
      hits: { personId: string }[];
    }>().hits[0]!.personId;
    const obs = (await api.get(`/api/persons/${ana}`, 'supervisor', REDRESS))
      .json<{
        observations: { id: string; kind: string }[];
      }>()
      .observations.find((o) => o.kind === 'Departure')!;
    const post = (path: string, payload: unknown) =>
      api.inject({
        method: 'POST',
        url: `/api/redress/${id}${path}`,
        role: 'supervisor',
        headers: REDRESS,
        payload: payload as object,
      });
    await post('/person', { personId: ana });
    await post('/identity', { how: 'document checked by video call' });
    const res = await post('/corrections', {
      observationId: obs.id,
      fields: {
        kind: 'Departure',
        doc_number: 'X55555555',
        doc_country: 'GBR',
        birth_date: '1979-06-15',
        date: '2025-07-01',
        channel: 'air',
      },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ error: { message: string } }>().error.message).toMatch(/identity review/);
  });
});
