import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMALL_FEED } from '../../test/contract/store-contract.js';
import type { AppContext } from '../app/app-context.js';
import { importFeedFiles } from '../app/import-feed.js';
import { linkageResolver } from '../identity/linkage-resolver.js';
import type { IdentityResolver } from '../identity/identity-resolver.js';
import { loadRulePack } from '../stays/load-rule-pack.js';
import type { Database } from '../store/database.js';
import { openDatabase } from '../store/open-database.js';
import { placePendingSelfReports } from './place-self-reports.js';
import { fileSelfReport, type SelfReportSubmission } from './self-report.js';
import { SelfReportQueue } from './self-report-queue.js';

let db: Database;
let ctx: AppContext;
beforeAll(async () => {
  db = await openDatabase({ ephemeral: true });
  ctx = { db, resolver: linkageResolver(), pack: loadRulePack('us'), asOf: () => '2026-11-01' };
  await importFeedFiles(ctx, [SMALL_FEED], 'fixture');
});
afterAll(async () => {
  await db.close();
});

const CY: SelfReportSubmission = {
  givenNames: 'Cy',
  familyNames: 'Samplewood',
  birthDate: '1979-06-15',
  documentNumber: 'X55555555',
  documentCountry: 'GBR',
  date: '2026-10-20',
  mode: 'air',
};

const one = async <T>(sql: string, params: unknown[] = []) => {
  const [row] = await db.session((s) => s.query<T>(sql, params));
  return row;
};
const personOfRecord = async (recordId: string) =>
  (
    await one<{ person: string }>(
      `select o.person_id::text as person from observation o join raw_record r on r.id = o.id
        where r.source_record_id = $1`,
      [recordId],
    )
  )?.person ?? null;
const pending = (confirmation: string) =>
  one<{ attempts: number; last_error: string | null }>(
    'select attempts, last_error from self_report_pending where confirmation = $1',
    [confirmation],
  );

describe('placing pending self-reports', () => {
  it('keeps a report whose placing failed pending, with its error, and places it on a later try', async () => {
    let failures = 1;
    const real = ctx.resolver;
    const flaky: IdentityResolver = {
      resolve: (session, inputs) =>
        failures-- > 0 ? Promise.reject(new Error('the store went away')) : real.resolve(session, inputs),
    };
    const { confirmation } = await fileSelfReport(ctx, CY);

    const first = await placePendingSelfReports({ ...ctx, resolver: flaky }, { retryDelayMs: () => 0 });
    expect(first).toMatchObject({ claimed: 1, placed: 0, failed: [{ confirmation }] });
    expect(first.failed[0]!.error).toMatch(/the store went away/);
    const kept = await pending(confirmation);
    expect(kept?.attempts).toBe(1);
    expect(kept?.last_error).toMatch(/went away/);
    expect(await personOfRecord(confirmation)).toBeNull();

    const second = await placePendingSelfReports({ ...ctx, resolver: flaky }, { retryDelayMs: () => 0 });
    expect(second).toEqual({ claimed: 1, placed: 1, failed: [] });
    expect(await pending(confirmation)).toBeUndefined();
    expect(await personOfRecord(confirmation)).toBe(await personOfRecord('A3'));
  });

  it('places on start what a process that died left pending, but not what a live one holds', async () => {
    const left = await fileSelfReport(ctx, CY);
    const held = await fileSelfReport(ctx, { ...CY, date: '2026-10-21' });
    // The first was taken by a process that died (its lease ran out); the second is being placed elsewhere.
    await db.session((s) =>
      s.query(
        `update self_report_pending set attempts = 1,
           not_before = case when confirmation = $1 then now() - interval '1 second' else now() + interval '1 hour' end
          where confirmation in ($1, $2)`,
        [left.confirmation, held.confirmation],
      ),
    );
    const errors: unknown[] = [];
    const queue = new SelfReportQueue(
      () => placePendingSelfReports(ctx),
      (err) => errors.push(err),
    );
    queue.start();
    await queue.idle();
    await queue.close();
    expect(errors).toEqual([]);
    expect(await personOfRecord(left.confirmation)).toBe(await personOfRecord('A3'));
    expect(await pending(left.confirmation)).toBeUndefined();
    expect(await personOfRecord(held.confirmation)).toBeNull();
    expect(await pending(held.confirmation)).toMatchObject({ attempts: 1 });
  });
});
