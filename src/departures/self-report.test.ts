import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../../test/support/api-harness.js';
import { fileSelfReport, SELF_REPORT_RECEIVED } from './self-report.js';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

const SUBMISSION = {
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
} as const;

const report = (over: Record<string, string> = {}, ip = '198.51.100.9') =>
  api.app.inject({
    method: 'POST',
    url: '/api/departures/self-reports',
    remoteAddress: ip,
    payload: { ...SUBMISSION, ...over },
  });

/** The person a self-report was placed on, once the queue placed it (after the answer). */
async function placedOn(confirmation: string): Promise<string | null> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [row] = await api.db.session((s) =>
      s.query<{ person: string | null }>(
        `select o.person_id::text as person from observation o join raw_record r on r.id = o.id
          where r.source = 'self-report' and r.source_record_id = $1`,
        [confirmation],
      ),
    );
    if (row !== undefined) return row.person;
    if (Date.now() > deadline) throw new Error(`self-report ${confirmation} was not placed`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const personOfRecord = async (recordId: string) => {
  const [row] = await api.db.session((s) =>
    s.query<{ person: string }>(
      `select o.person_id::text as person from observation o join raw_record r on r.id = o.id where r.source_record_id = $1`,
      [recordId],
    ),
  );
  return row!.person;
};

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
    const person = await placedOn(confirmation);
    const [row] = await api.db.session((s) =>
      s.query<{ kind: string; channel: string; content: string }>(
        `select o.kind, o.channel, r.content from observation o join raw_record r on r.id = o.id
          where r.source = 'self-report' and r.source_record_id = $1`,
        [confirmation],
      ),
    );
    expect(row).toMatchObject({ kind: 'Departure', channel: 'self-report' });
    expect(JSON.parse(row!.content)).toMatchObject({ mode: 'air', destination: 'GBR' });
    expect(person).toBe(await personOfRecord('A3'));
  });

  it('does the same work in the request for anyone: stores the report, never looks the person up; it is placed after the answer', async () => {
    // A resolver that fails if asked: the request path must never ask it.
    const lookups: string[] = [];
    const ctx = {
      db: api.db,
      asOf: () => '2026-11-01',
      resolver: {
        resolve: () => {
          lookups.push('resolve');
          return Promise.reject(new Error('the request looked the person up'));
        },
      },
    };
    const onRecord = await fileSelfReport(ctx, SUBMISSION);
    const offRecord = await fileSelfReport(ctx, {
      ...SUBMISSION,
      familyNames: 'Nobody-Else',
      documentNumber: 'Q00000002',
    });
    expect(lookups).toEqual([]);
    expect(Object.keys(onRecord).sort()).toEqual(Object.keys(offRecord).sort());
    expect(onRecord.message).toBe(offRecord.message);
    const pending = await api.db.session((s) =>
      s.query<{ confirmation: string }>(
        'select confirmation from self_report_pending where confirmation = any($1::text[]) order by 1',
        [[onRecord.confirmation, offRecord.confirmation]],
      ),
    );
    expect(pending.map((p) => p.confirmation)).toEqual(
      [onRecord.confirmation, offRecord.confirmation].sort(),
    );

    // Through the API the answer comes first; the queue then places it on the person the document names.
    const res = await report({}, '198.51.100.12');
    expect(res.statusCode).toBe(201);
    const { confirmation } = res.json<{ confirmation: string }>();
    expect(await placedOn(confirmation)).toBe(await personOfRecord('A3'));
    // The two filed above (no queue was woken for them) are placed too, by the same drain.
    expect(await placedOn(onRecord.confirmation)).toBe(await personOfRecord('A3'));
    const stranger = await placedOn(offRecord.confirmation);
    expect(stranger).not.toBe(await personOfRecord('A3'));
    const [left] = await api.db.session((s) =>
      s.query<{ n: number }>('select count(*)::int as n from self_report_pending'),
    );
    expect(left!.n).toBe(0);
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
