import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { linkageResolver } from '../identity/linkage-resolver.js';
import { loadRulePack } from '../stays/load-rule-pack.js';
import type { Database } from '../store/database.js';
import { openDatabase } from '../store/open-database.js';
import type { AppContext } from './app-context.js';
import { importFeedFiles } from './import-feed.js';
import { searchByParticulars, SearchInputError } from './person-search.js';

const FEED = join(fileURLToPath(new URL('../../test/fixtures/', import.meta.url)), 'small-feed.csv');
let db: Database;
beforeAll(async () => {
  db = await openDatabase({ ephemeral: true });
  const ctx: AppContext = {
    db,
    resolver: linkageResolver(),
    pack: loadRulePack('us'),
    asOf: () => '2026-11-01',
  };
  await importFeedFiles(ctx, [FEED], 'fixture');
});
afterAll(async () => db.close());

describe('finding a person by particulars', () => {
  it('finds a name in any order, misspelt, ranked first', async () => {
    const hits = await searchByParticulars(db, { name: 'Samplewod Cy' });
    expect(hits[0]!.name).toBe('Cy Samplewood');
    expect(hits[0]!.probability).toBeGreaterThan(0.5);
  });
  it('a birth date that differs ranks a namesake below the person', async () => {
    const right = await searchByParticulars(db, { name: 'Cy Samplewood', birthDate: '1979-06-15' });
    const wrong = await searchByParticulars(db, { name: 'Cy Samplewood', birthDate: '1950-01-30' });
    expect(right[0]!.probability).toBeGreaterThan(wrong[0]?.probability ?? 0);
  });
  it('finds by document number without its issuer, and by admission number', async () => {
    const byDoc = await searchByParticulars(db, { document: 'x55555555' });
    expect(byDoc.map((h) => h.name)).toContain('Cy Samplewood');
    const byAdmission = await searchByParticulars(db, { admissionNumber: '90000000003' });
    expect(byAdmission.map((h) => h.name)).toEqual(['Cy Samplewood']);
  });
  it('refuses a search without a name or a number, and a birth date that is not one', async () => {
    await expect(searchByParticulars(db, { birthDate: '1979-06-15' })).rejects.toThrow(SearchInputError);
    await expect(searchByParticulars(db, { name: 'Cy', birthDate: '1979-13-45' })).rejects.toThrow(
      /not a date/,
    );
  });
});
