import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../../../test/support/api-harness.js';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

const MANIFEST = readFileSync(
  new URL('../../../test/fixtures/paxlst/lax-closeout.edi', import.meta.url),
  'latin1',
);

describe('a PAXLST departure manifest posted to the API', () => {
  it('confirms the boarded passenger departed on the right stay, and quarantines the broken message naming its segment', async () => {
    const res = await api.inject({
      method: 'POST',
      url: '/api/imports?source=apis-lh',
      role: 'supervisor',
      payload: MANIFEST,
      headers: { 'content-type': 'application/edifact', 'x-purpose': 'ingestion' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rowsNew: 1, rowsQuarantined: 1 });

    const [stay] = await api.db.session((s) =>
      s.query<{ outcome: string; departed_on: string; channel: string; status: string }>(
        `select st.outcome, to_char(st.departed_on, 'YYYY-MM-DD') as departed_on, st.departure_channel as channel,
                st.departure_evidence->>'status' as status
           from stay st join observation o on o.id = st.admission_id join raw_record r on r.id = o.id
          where r.source_record_id = 'A2'`,
      ),
    );
    expect(stay).toEqual({
      outcome: 'departed-on-time',
      departed_on: '2025-04-20',
      channel: 'air',
      status: 'confirmed',
    });

    const [q] = await api.db.session((s) =>
      s.query<{ errors: { field: string; reason: string }[]; content: string }>(
        "select errors, content from quarantine where source = 'apis-lh'",
      ),
    );
    expect(q!.errors[0]!.field).toBe('UNT');
    expect(q!.errors[0]!.reason).toMatch(/UNT.*segment \d+.*99/);
    expect(q!.content).toContain('NOBODY:BROKEN');

    // The same manifest again changes nothing.
    const again = await api.inject({
      method: 'POST',
      url: '/api/imports?source=apis-lh',
      role: 'supervisor',
      payload: MANIFEST,
      headers: { 'content-type': 'application/edifact', 'x-purpose': 'ingestion' },
    });
    expect(again.json()).toMatchObject({ rowsNew: 0, rowsUnchanged: 2, rowsQuarantined: 0 });
  });
});
