import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exactResolver } from '../identity/exact-resolver.js';
import { loadRulePack } from '../stays/load-rule-pack.js';
import { openDatabase } from '../store/open-database.js';
import { importFeedFiles } from './import-feed.js';
import { searchByParticulars } from './person-search.js';
import { reindexPersons } from './reindex-persons.js';

const FEED = join(fileURLToPath(new URL('../../test/fixtures/', import.meta.url)), 'small-feed.csv');

describe('rebuilding the person index', () => {
  it('makes persons placed before the linkage engine visible to it', async () => {
    const db = await openDatabase({ ephemeral: true });
    try {
      // Placed by the exact resolver alone: no descriptors, no keys for the model or the search.
      await importFeedFiles(
        { db, resolver: exactResolver, pack: loadRulePack('us'), asOf: () => '2026-11-01' },
        [FEED],
        'fixture',
      );
      expect(await searchByParticulars(db, { name: 'Cy Samplewood' })).toEqual([]);
      const n = await reindexPersons(db);
      expect(n).toBeGreaterThanOrEqual(4);
      expect((await searchByParticulars(db, { name: 'Cy Samplewood' }))[0]?.name).toBe('Cy Samplewood');
    } finally {
      await db.close();
    }
  });
});
