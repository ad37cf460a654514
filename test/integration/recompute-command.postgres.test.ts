import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { runImos } from '../support/run-imos.js';
import { createScratchDatabase } from './scratch-database.js';

/**
 * `imos import` then `imos recompute` against the machine's PostgreSQL, as an operator runs them on a
 * pipe: both say how far the stays have come on stderr, and a full recompute (the pipeline whose
 * compute yields to its writes, in ranges of persons) rebuilds exactly the stays the import computed.
 */
const scratch = createScratchDatabase('imos_recompute_cli');
const work = mkdtempSync(join(tmpdir(), 'imos-recompute-cli-'));
let db: Database;
const env = () => ({ DATABASE_URL: scratch.url, IMOS_AS_OF: '2026-11-01' });

beforeAll(async () => {
  db = await scratch.open();
});

afterAll(async () => {
  await db.close();
  await scratch.drop();
  rmSync(work, { recursive: true, force: true });
});

const staysNow = () =>
  db.session((s) =>
    s.query<{ person_id: string; seq: number; outcome: string; authorized_until: string | null }>(
      `select person_id::text as person_id, seq, outcome, authorized_until::text as authorized_until
         from stay order by person_id, seq`,
    ),
  );

describe('imos recompute, as an operator runs it', () => {
  it('shows its progress and rebuilds the stays the import computed, no more and no fewer', async () => {
    const generated = await runImos(['generate', '--people', '600', '--seed', '7', '-o', work]);
    expect(generated.code).toBe(0);
    const feeds = ['admissions', 'departures', 'status-changes'].map((f) => join(work, `${f}.csv`));

    const imported = await runImos(['import', ...feeds, '--source', 'generated'], env());
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/^stays of the persons imported: \d+ %$/m);
    const afterImport = await staysNow();
    expect(afterImport.length).toBeGreaterThan(600);

    // Stays edited behind the engine's back are derived state: the recompute puts them right.
    await db.session((s) => s.exec(`update stay set outcome = 'unresolved' where seq = 0`));
    const recomputed = await runImos(['recompute'], env());
    expect(recomputed.code, recomputed.stderr).toBe(0);
    expect(recomputed.stderr).toMatch(/^recompute stays: \d+ %$/m);
    expect(recomputed.stdout).toMatch(
      new RegExp(`^${afterImport.length} stays of \\d+ persons recomputed in [\\d.]+ s$`, 'm'),
    );
    expect(await staysNow()).toEqual(afterImport);
  });
});
