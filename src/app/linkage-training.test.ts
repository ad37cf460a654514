import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFeeds } from '../generate/write-feeds.js';
import { activeModel } from '../identity/active-model.js';
import { linkageResolver } from '../identity/linkage-resolver.js';
import { loadRulePack } from '../stays/load-rule-pack.js';
import { openDatabase } from '../store/open-database.js';
import type { AppContext } from './app-context.js';
import { importFeedFiles } from './import-feed.js';
import { reviewLabels, trainFromStore } from './linkage-training.js';

const dir = mkdtempSync(join(tmpdir(), 'imos-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('training the linkage model on the store', () => {
  it("replaces the bundled model with one trained on the store's records and reviewers' decisions", async () => {
    await writeFeeds(dir, { people: 1500, seed: 3, noise: 4, asOf: '2026-11-01' });
    const db = await openDatabase({ ephemeral: true });
    try {
      const ctx: AppContext = {
        db,
        resolver: linkageResolver(),
        pack: loadRulePack('us'),
        asOf: () => '2026-11-01',
      };
      await importFeedFiles(
        ctx,
        ['admissions.csv', 'departures.csv'].map((f) => join(dir, f)),
        'generated',
      );
      const bundled = await db.transaction((s) => activeModel(s, null));
      // One reviewer decision, whatever the queue holds first.
      const [review] = await db.session((s) =>
        s.query<{ id: string }>(
          "select id::text as id from identity_review where status = 'open' order by id limit 1",
        ),
      );
      expect(review, 'the noisy population queues at least one review').toBeDefined();
      await db.session((s) =>
        s.query(
          "update identity_review set status = 'different', decided_by = 'test', decided_at = now() where id = $1",
          [review!.id],
        ),
      );
      expect(await reviewLabels(db)).toHaveLength(1);

      const trained = await trainFromStore(db, 100_000);
      expect(trained.records).toBeGreaterThan(1000);
      expect(trained.labels).toBe(1);
      const now = await db.transaction((s) => activeModel(s, null));
      expect(now.id).toBe(trained.id);
      expect(now.id).not.toBe(bundled.id);
      const [row] = await db.session((s) =>
        s.query<{ trained_on: string }>('select trained_on from linkage_model where active'),
      );
      expect(row!.trained_on).toMatch(/records sampled from the store and 1 reviewers' decisions/);
    } finally {
      await db.close();
    }
  });
});
