import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAuditEntries } from '../../audit/audit-queries.js';
import { startApi, type ApiHarness } from '../../../test/support/api-harness.js';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

const REVIEW = { 'x-purpose': 'identity-review' };
const post = (url: string, role: 'officer' | 'supervisor', payload: unknown) =>
  api.inject({ method: 'POST', url, role, payload: payload as Record<string, unknown>, headers: REVIEW });

/** Cy Samplewood of the fixture feed, back a year later on a renewed passport (same issuer, new number). */
const renewed = {
  record_id: 'A3-RENEWED',
  kind: 'Admission',
  given_names: 'Cy',
  family_names: 'Samplewood',
  birth_date: '1979-06-15',
  sex: 'M',
  nationality: 'GBR',
  doc_number: 'K12121212',
  doc_type: 'P',
  doc_country: 'GBR',
  doc_expiry: '2035-01-31',
  admission_number: '90000000777',
  date: '2026-02-01',
  port: 'MIA',
  class_of_admission: 'B1',
  admit_until: '2026-05-01',
};

/** One record imported through the API by a supervisor, as a feed of one NDJSON line. */
const importRecord = (source: string, record: Record<string, string>) =>
  api.inject({
    method: 'POST',
    url: `/api/imports?source=${source}`,
    role: 'supervisor',
    payload: JSON.stringify(record) + '\n',
    headers: { 'content-type': 'application/x-ndjson', 'x-purpose': 'ingestion' },
  });

const personOfRecord = async (id: string) => {
  const [r] = await api.db.session((s) =>
    s.query<{ p: string }>(
      'select o.person_id::text as p from observation o join raw_record r on r.id = o.id where r.source_record_id = $1',
      [id],
    ),
  );
  return r!.p;
};

describe('identity review through the API', () => {
  let reviewId = '';

  it('an import of a renewed passport puts the pair in the queue instead of linking it', async () => {
    const res = await importRecord('i94-renewal', renewed);
    expect(res.statusCode, res.body).toBe(200);
    expect(await personOfRecord('A3-RENEWED')).not.toBe(await personOfRecord('A3'));
    const list = await api.get('/api/identity/reviews', 'officer', REVIEW);
    expect(list.statusCode).toBe(200);
    const { items, total } = list.json<{
      items: { id: string; reason: string; constraint: string }[];
      total: number;
    }>();
    expect(total).toBe(1);
    expect(items[0]!.reason).toBe('uncertain');
    expect(items[0]!.constraint).toMatch(/renewed document, or two people/);
    reviewId = items[0]!.id;
  });

  it('shows both persons side by side with the waterfall', async () => {
    const res = await api.get(`/api/identity/reviews/${reviewId}`, 'officer', REVIEW);
    expect(res.statusCode).toBe(200);
    const r = res.json<{
      explanation: { fields: { field: string; level: string; weight: number }[] };
      record: { names: string[]; documents: string[] };
      candidate: { names: string[]; documents: string[] };
    }>();
    expect(r.record.documents).toEqual(['GBR K12121212']);
    expect(r.candidate.documents).toEqual(['GBR X55555555']);
    const doc = r.explanation.fields.find((f) => f.field === 'document_number')!;
    expect(doc.level).toBe('else');
    expect(doc.weight).toBeLessThan(0);
    expect(r.explanation.fields.find((f) => f.field === 'birth_date')!.level).toBe('exact');
  });

  it('a decision needs a purpose and a case worker; "same" merges the two and recomputes their stays', async () => {
    const noPurpose = await api.inject({
      method: 'POST',
      url: `/api/identity/reviews/${reviewId}/decision`,
      role: 'officer',
      payload: { decision: 'same' },
      headers: { 'x-purpose': undefined },
    });
    expect(noPurpose.statusCode).toBe(400);
    const analyst = await api.inject({
      method: 'POST',
      url: `/api/identity/reviews/${reviewId}/decision`,
      role: 'analyst',
      payload: { decision: 'same' },
      headers: REVIEW,
    });
    expect(analyst.statusCode).toBe(403);
    const res = await post(`/api/identity/reviews/${reviewId}/decision`, 'officer', {
      decision: 'same',
      note: 'renewal stamped in the old passport',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ status: string }>().status).toBe('same');
    const survivor = await personOfRecord('A3');
    expect(await personOfRecord('A3-RENEWED')).toBe(survivor);
    const [stays] = await api.db.session((s) =>
      s.query<{ n: number }>('select count(*)::int as n from stay where person_id = $1', [survivor]),
    );
    expect(stays!.n).toBe(2);
    // The person index moved with the merge: no key or descriptor names the merged person.
    const [left] = await api.db.session((s) =>
      s.query<{ keys: number; descriptors: number }>(
        `select (select count(*)::int from person_block_key k join person p on p.id = k.person_id where p.merged_into is not null) as keys,
                (select count(*)::int from person_descriptor d join person p on p.id = d.person_id where p.merged_into is not null) as descriptors`,
      ),
    );
    expect(left).toEqual({ keys: 0, descriptors: 0 });
    const again = await post(`/api/identity/reviews/${reviewId}/decision`, 'officer', {
      decision: 'different',
    });
    expect(again.statusCode).toBe(409);
    const entries = await findAuditEntries(api.db, { limit: 20 });
    const decided = entries.find((e) => e.action === 'identity.reviewDecide' && e.outcome === 'allowed');
    expect(decided?.purpose).toBe('identity-review');
    expect(decided?.recordRefs).toContain(`identity-review:${reviewId}`);
    expect(decided?.personIds).toContain(survivor);
  });

  it('identity verified is recorded, and a split clears it and keeps the two apart for good', async () => {
    const person = await personOfRecord('A3');
    const verified = await post(`/api/persons/${person}/identity-verified`, 'officer', {
      how: 'passport inspected at the counter',
    });
    expect(verified.statusCode, verified.body).toBe(200);
    const view = await api.get(`/api/persons/${person}`, 'supervisor', REVIEW);
    expect(view.json<{ identityVerified: { by: string } }>().identityVerified.by).toBe('demo.officer');

    const [obs] = await api.db.session((s) =>
      s.query<{ id: string }>('select r.id::text as id from raw_record r where r.source_record_id = $1', [
        'A3-RENEWED',
      ]),
    );
    const officerSplit = await post(`/api/persons/${person}/split`, 'officer', {
      observationIds: [obs!.id],
      reason: 'not the same man after all',
    });
    expect(officerSplit.statusCode).toBe(403);
    const split = await post(`/api/persons/${person}/split`, 'supervisor', {
      observationIds: [obs!.id],
      reason: 'not the same man after all',
    });
    expect(split.statusCode, split.body).toBe(200);
    const { newPersonId } = split.json<{ newPersonId: string }>();
    expect(await personOfRecord('A3-RENEWED')).toBe(newPersonId);
    const after = await api.get(`/api/persons/${person}`, 'supervisor', REVIEW);
    expect(after.json<{ identityVerified: unknown }>().identityVerified).toBeNull();

    const merge = await post(`/api/persons/${newPersonId}/merge`, 'supervisor', {
      into: person,
      reason: 'try again',
    });
    expect(merge.statusCode).toBe(409);
    expect(merge.json<{ error: { message: string } }>().error.message).toMatch(/decided to be different/);
  });

  it('the quality figure counts decided samples only', async () => {
    const res = await api.get('/api/identity/quality', 'analyst');
    expect(res.statusCode).toBe(200);
    expect(res.json<{ errorRate: number | null; sampled: number }>()).toMatchObject({
      errorRate: null,
      sampled: 0,
    });
  });
});

describe('search by particulars through the API', () => {
  it('ranks by probability, and refuses q with particulars', async () => {
    const res = await api.get('/api/persons?name=Samplewod%20Cy&birthDate=1979-06-15', 'officer', REVIEW);
    expect(res.statusCode, res.body).toBe(200);
    const { hits } = res.json<{ hits: { name: string; probability: number; matchedOn: string }[] }>();
    expect(hits[0]).toMatchObject({ name: 'Cy Samplewood', matchedOn: 'particulars' });
    expect(hits[0]!.probability).toBeGreaterThan(0.9);
    const both = await api.get('/api/persons?q=Samplewood&name=Cy', 'officer', REVIEW);
    expect(both.statusCode).toBe(400);
  });
});

describe('identity reviews and office scope', () => {
  it("an officer opens and decides the reviews of their office's persons; another office's only with a written reason", async () => {
    // Ana Exampleton of the fixture feed (admitted at JFK: the NYC office) back on a renewed passport.
    const ana = {
      ...renewed,
      record_id: 'A1-RENEWED',
      given_names: 'Ana',
      family_names: 'Exampleton',
      birth_date: '1990-04-01',
      sex: 'F',
      nationality: 'MEX',
      doc_number: 'X87654321',
      doc_country: 'MEX',
      admission_number: '90000000888',
      port: 'JFK',
    };
    const imported = await importRecord('i94-renewal-nyc', ana);
    expect(imported.statusCode, imported.body).toBe(200);
    const recordPerson = await personOfRecord('A1-RENEWED');
    const [review] = await api.db.session((s) =>
      s.query<{ id: string }>(
        `select id::text as id from identity_review where status = 'open' and record_person_id = $1`,
        [recordPerson],
      ),
    );
    const url = `/api/identity/reviews/${review!.id}`;

    // The officer's queue lists their office's reviews only; a supervisor's lists every one.
    const listed = async (role: 'officer' | 'supervisor') =>
      (await api.get('/api/identity/reviews', role, REVIEW))
        .json<{ items: { id: string }[]; total: number }>()
        .items.map((i) => i.id);
    expect(await listed('supervisor')).toContain(review!.id);
    expect(await listed('officer')).not.toContain(review!.id);

    const refused = await api.get(url, 'officer', REVIEW);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 'OUTSIDE_OFFICE' } });
    expect(refused.body).not.toMatch(/Exampleton/);
    const notDecided = await post(`${url}/decision`, 'officer', { decision: 'different' });
    expect(notDecided.statusCode).toBe(403);
    expect((await api.get(url, 'supervisor', REVIEW)).json<{ status: string }>().status).toBe('open');

    const reason = 'traveller at the MIA counter holds an NYC case';
    const opened = await api.get(url, 'officer', { ...REVIEW, 'x-break-glass': reason });
    expect(opened.statusCode, opened.body).toBe(200);
    const [entry] = await api.db.session((s) =>
      s.query<{ break_glass_reason: string; outcome: string }>(
        'select break_glass_reason, outcome from audit_entry order by seq desc limit 1',
      ),
    );
    expect(entry).toEqual({ break_glass_reason: reason, outcome: 'allowed' });
    // Supervisors work across offices.
    expect((await api.get(url, 'supervisor', REVIEW)).statusCode).toBe(200);
  });
});
