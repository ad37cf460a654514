import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppContext } from '../app/app-context.js';
import { importFeedFiles } from '../app/import-feed.js';
import { writeFeeds } from '../generate/write-feeds.js';

export const DEMO_SEED = 2026;
export const DEMO_SOURCE = 'demo-synthetic';

/** Loads a synthetic demo population (every name and number fake) into an empty store. */
export async function loadDemoData(
  ctx: AppContext,
  people: number,
  log: (msg: string) => void,
): Promise<boolean> {
  const [row] = await ctx.db.session((s) =>
    s.query<{ n: number }>('select count(*)::int as n from raw_record'),
  );
  if ((row?.n ?? 0) > 0 || people === 0) return false;
  const dir = mkdtempSync(join(tmpdir(), 'imos-demo-'));
  try {
    const started = Date.now();
    await writeFeeds(dir, { people, seed: DEMO_SEED, noise: 1 });
    const files = ['admissions.csv', 'departures.csv', 'status-changes.csv'].map((f) => join(dir, f));
    const results = await importFeedFiles(ctx, files, DEMO_SOURCE);
    const rows = results.reduce((n, r) => n + r.rowsNew, 0);
    const quarantined = results.reduce((n, r) => n + r.rowsQuarantined, 0);
    log(
      `Demo data: ${people} synthetic persons, ${rows} records imported, ${quarantined} quarantined, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return true;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
