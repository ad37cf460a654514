import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../access/roles.js';
import { importFeedFiles } from '../app/import-feed.js';
import { exactResolver } from '../identity/exact-resolver.js';
import { loadRulePack } from '../stays/load-rule-pack.js';
import { startApi, type ApiHarness } from '../../test/support/api-harness.js';

/** Two persons who left in 2019: due (3 years after their departure) on the harness's day, 2026-11-01. */
const OLD_FEED = [
  'record_id,kind,given_names,family_names,birth_date,sex,nationality,doc_number,doc_type,doc_country,doc_expiry,admission_number,date,port,class_of_admission,admit_until,duration_of_status,program_end_date,channel,carrier,flight,change,event,new_admit_until,new_class_of_admission',
  'OA1,Admission,Old,Leaverone,1970-01-01,X,GBR,Q1000001,P,GBR,2030-01-01,70000000001,2019-01-10,MIA,B2,2019-07-09,,,,,,,,,',
  'OD1,Departure,Old,Leaverone,1970-01-01,X,GBR,Q1000001,P,GBR,2030-01-01,70000000001,2019-03-10,MIA,,,,,air,XX,XX1,,,,',
  'OA2,Admission,Old,Leavertwo,1971-01-01,X,GBR,Q1000002,P,GBR,2030-01-01,70000000002,2019-01-10,MIA,B2,2019-07-09,,,,,,,,,',
  'OD2,Departure,Old,Leavertwo,1971-01-01,X,GBR,Q1000002,P,GBR,2030-01-01,70000000002,2019-03-10,MIA,,,,,air,XX,XX2,,,,',
].join('\n');

let api: ApiHarness;
let first: string;
let second: string;

const lastAudit = async () => {
  const [row] = await api.db.session((s) =>
    s.query<{
      action: string;
      outcome: string;
      person_ids: string[];
      record_refs: string[];
      username: string;
    }>(
      'select action, outcome, person_ids::text[] as person_ids, record_refs, username from audit_entry order by seq desc limit 1',
    ),
  );
  return row!;
};
const auditCount = async () =>
  (await api.db.session((s) => s.query<{ n: number }>('select count(*)::int as n from audit_entry')))[0]!.n;
const post = (url: string, role: Role, payload: object) => api.inject({ method: 'POST', url, role, payload });

beforeAll(async () => {
  api = await startApi();
  const dir = mkdtempSync(join(tmpdir(), 'imos-retention-api-'));
  const file = join(dir, 'old.csv');
  writeFileSync(file, OLD_FEED + '\n');
  await importFeedFiles(
    { db: api.db, resolver: exactResolver, pack: loadRulePack('us'), asOf: () => '2026-11-01' },
    [file],
    'old-feed',
  );
  const rows = await api.db.session((s) =>
    s.query<{ rid: string; person_id: string }>(
      `select r.source_record_id as rid, o.person_id::text as person_id from raw_record r join observation o on o.id = r.id
        where r.source_record_id in ('OA1', 'OA2') order by rid`,
    ),
  );
  [first, second] = rows.map((r) => r.person_id) as [string, string];
});
afterAll(async () => {
  await api.close();
});

describe('retention over the API', () => {
  it('a supervisor previews what is due; the preview is audited with the persons it showed, and changes nothing', async () => {
    const res = await api.get('/api/retention/preview', 'supervisor');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ dryRun: boolean; persons: { personId: string }[]; personsTotal: number }>();
    expect(body.dryRun).toBe(true);
    expect(body.persons.map((p) => p.personId)).toEqual([first, second]);
    expect(await lastAudit()).toMatchObject({ action: 'retention.preview', person_ids: [first, second] });
  });

  it('a supervisor places a hold; holds are listed for auditors, and not for analysts', async () => {
    const res = await post('/api/retention/holds', 'supervisor', {
      personId: first,
      reason: 'records requested in litigation 2026-CV-7',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ personId: first, createdBy: 'demo.supervisor', releasedAt: null });
    const id = res.json<{ id: string }>().id;
    expect(await lastAudit()).toMatchObject({
      action: 'retention.holdCreate',
      person_ids: [first],
      record_refs: [`legal-hold:${id}`],
    });
    const list = await api.get('/api/retention/holds', 'auditor', { 'x-purpose': 'audit' });
    expect(list.json<{ holds: { id: string }[] }>().holds.map((h) => h.id)).toEqual([id]);
    expect((await api.get('/api/retention/holds', 'analyst')).statusCode).toBe(403);
  });

  it('a hold names a person or a record, not both', async () => {
    const res = await post('/api/retention/holds', 'admin', {
      personId: first,
      source: 'old-feed',
      reason: 'two targets at once',
    });
    expect(res.statusCode).toBe(400);
    const record = await post('/api/retention/holds', 'admin', {
      source: 'old-feed',
      sourceRecordId: 'nothing-like-this',
      reason: 'a record that never came',
    });
    expect(record.statusCode).toBe(404);
  });

  it('an admin runs retention: it erases the unheld, writes exactly one audit entry naming them, and refuses a future day', async () => {
    const future = await post('/api/retention/run', 'admin', { asOf: '2026-11-02' });
    expect(future.statusCode).toBe(400);
    expect((await post('/api/retention/run', 'supervisor', {})).statusCode).toBe(403);

    const before = await auditCount();
    const res = await post('/api/retention/run', 'admin', {});
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      dryRun: boolean;
      persons: { personId: string }[];
      heldBack: { personIds: string[] };
    }>();
    expect(body.dryRun).toBe(false);
    expect(body.persons.map((p) => p.personId)).toEqual([second]);
    expect(body.heldBack.personIds).toEqual([first]);
    expect((await auditCount()) - before).toBe(1);
    expect(await lastAudit()).toMatchObject({
      action: 'retention.run',
      outcome: 'allowed',
      person_ids: [second],
      username: 'demo.admin',
    });
    expect((await api.get(`/api/persons/${second}`, 'supervisor')).statusCode).toBe(404);
    expect((await api.get(`/api/persons/${first}`, 'supervisor')).statusCode).toBe(200);
  });

  it('a released hold is kept, marked released, and cannot be released twice; then the person goes', async () => {
    const [{ id }] = (await api.get('/api/retention/holds', 'admin')).json<{ holds: { id: string }[] }>()
      .holds as [{ id: string }];
    const released = await post(`/api/retention/holds/${id}/release`, 'supervisor', {
      reason: 'case closed',
    });
    expect(released.statusCode).toBe(200);
    expect(released.json()).toMatchObject({ releasedBy: 'demo.supervisor', releaseReason: 'case closed' });
    expect(await lastAudit()).toMatchObject({ action: 'retention.holdRelease', person_ids: [first] });
    const again = await post(`/api/retention/holds/${id}/release`, 'supervisor', { reason: 'case closed' });
    expect(again.statusCode).toBe(409);
    const all = await api.get('/api/retention/holds?status=all', 'auditor', { 'x-purpose': 'audit' });
    expect(all.json<{ holds: unknown[] }>().holds).toHaveLength(1);

    const run = await post('/api/retention/run', 'admin', {});
    expect(run.json<{ persons: { personId: string }[] }>().persons.map((p) => p.personId)).toEqual([first]);
  });
});
