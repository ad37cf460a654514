/**
 * Browser suite: the audit views and user admin, on the real server (PGlite in memory, a small synthetic
 * demo population) and the built web app, in Debian's Chromium through playwright-core.
 * Run: npx vitest run --config vitest.browser.config.ts
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiToken, openPage, signIn, useBrowserPlatform } from '../support/browser-harness.js';

const DEMO_PEOPLE = 300;

const platform = useBrowserPlatform(DEMO_PEOPLE);

async function tryJson(url: string, init?: RequestInit): Promise<{ status: number; body: unknown } | null> {
  try {
    const res = await fetch(url, init);
    return { status: res.status, body: await res.json().catch(() => null) };
  } catch {
    return null; // no answer
  }
}

describe('audit views', () => {
  it("an auditor finds an officer's break-glass access with its reason, sees who looked at that person, and the chain intact", async () => {
    // The demo officer works for the NYC office: a person of another office opens only with a reason.
    const officer = await apiToken(platform, 'demo.officer');
    const asOfficer = { authorization: `Bearer ${officer}`, 'x-purpose': 'data-quality-review' };
    const drill = await tryJson(`${platform.base}/api/reports/overstay/stays?limit=500`, {
      headers: asOfficer,
    });
    const stays = (drill?.body as { stays?: { personId: string; inOffice: boolean }[] } | null)?.stays ?? [];
    const outside = stays.find((s) => !s.inOffice);
    expect(outside, `no person outside the officer's office among ${stays.length} stays`).toBeDefined();
    const personId = outside!.personId;
    const reason = `travellers' counter query, reference E2E-${Date.now()}`;
    const refused = await tryJson(`${platform.base}/api/persons/${personId}`, { headers: asOfficer });
    expect(refused?.status).toBe(403);
    const opened = await tryJson(`${platform.base}/api/persons/${personId}`, {
      headers: { ...asOfficer, 'x-break-glass': reason },
    });
    expect(opened?.status).toBe(200);

    const { context, page, pageErrors } = await openPage(platform.browser, { acceptDownloads: true });
    try {
      await signIn(page, platform.base, 'demo.auditor');
      await page.getByTestId('nav-audit').click();
      await page.waitForURL((u) => u.pathname === '/audit');

      // No purpose chosen yet: the page asks for one instead of reading the log.
      await page.getByTestId('audit-purpose-prompt').waitFor();
      await page.getByTestId('audit-purpose-use').click();
      expect(await page.getByTestId('purpose-select').inputValue()).toBe('audit');

      // Break-glass review: the officer's access, with the reason they wrote.
      await page.getByTestId('break-glass-table').waitFor();
      const row = page.locator(
        `[data-testid="break-glass-entry"][data-person-ids="${personId}"][data-username="demo.officer"]`,
      );
      await expect.poll(() => row.count()).toBeGreaterThan(0);
      expect(await row.first().locator('td[data-column="reason"]').textContent()).toBe(reason);
      expect(await row.first().locator('td[data-column="user"]').textContent()).toMatch(
        /demo\.officer.*officer/,
      );

      // Who looked at that person, and why: the refused look and the one with a reason.
      await page.getByTestId('audit-tab-person').click();
      await page.getByTestId('audit-empty-filter').waitFor();
      await page.getByTestId('audit-person-input').fill(personId);
      await page.getByTestId('audit-person-submit').click();
      await page.waitForURL((u) => u.searchParams.get('personId') === personId);
      await page.getByTestId('audit-entries').waitFor();
      const entries = page.locator('[data-testid="audit-entry"][data-username="demo.officer"]');
      await expect.poll(() => entries.count()).toBeGreaterThanOrEqual(2);
      const outcomes = await entries
        .locator('td[data-column="outcome"] .badge')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-outcome')));
      expect(outcomes).toEqual(expect.arrayContaining(['allowed', 'denied']));
      const purposes = await entries.locator('td[data-column="purpose"]').allTextContents();
      expect(purposes.every((p) => p.startsWith('data-quality-review'))).toBe(true);
      for (const ids of await entries.evaluateAll((els) => els.map((e) => e.getAttribute('data-person-ids'))))
        expect(ids!.split(',')).toContain(personId);

      // The chain holds, and the export downloads.
      await page.getByTestId('audit-tab-status').click();
      const status = page.getByTestId('chain-status');
      await status.waitFor();
      expect(await status.getAttribute('data-ok')).toBe('true');
      expect(await page.getByTestId('chain-verdict').textContent()).toMatch(/^Intact\./);
      expect(
        Number((await page.getByTestId('chain-entries').textContent())?.replace(/,/g, '')),
      ).toBeGreaterThan(0);

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('audit-export').click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^imos-audit-.*\.ndjson$/);
      const lines = readFileSync(await download.path(), 'utf8')
        .trim()
        .split('\n');
      const reasons = lines
        .map((l) => JSON.parse(l) as { type: string; breakGlassReason?: string | null })
        .filter((e) => e.type === 'entry')
        .map((e) => e.breakGlassReason);
      expect(reasons).toContain(reason);
      await page.getByTestId('audit-export-done').waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('user admin', () => {
  it('an admin creates an officer, who is listed and signs in; a new supervisor gets a second-factor secret once', async () => {
    const { context, page, pageErrors } = await openPage(platform.browser);
    try {
      await signIn(page, platform.base, 'demo.admin');
      await page.getByTestId('nav-users').click();
      await page.waitForURL((u) => u.pathname === '/users');
      await page.getByTestId('users-table').waitFor();
      expect(await page.getByTestId('password-rules').textContent()).toMatch(/at least 12 characters/i);

      const password = 'a first password for e2e';
      await page.getByTestId('user-create-username').fill('e2e.officer');
      await page.getByTestId('user-create-password').fill(password);
      await page.getByTestId('user-create-role').selectOption('officer');
      await page.getByTestId('user-create-office').selectOption('LAX');
      await page.getByTestId('user-create-submit').click();
      await page.getByTestId('users-notice').waitFor();
      const row = page.locator('[data-testid="user-row"][data-username="e2e.officer"]');
      await row.waitFor();
      expect(await row.getAttribute('data-role')).toBe('officer');
      expect(await row.locator('td[data-column="office"]').textContent()).toBe('LAX');
      expect(await page.getByTestId('totp-handover').count()).toBe(0); // officers have no second factor
      expect(await apiToken(platform, 'e2e.officer', password)).toMatch(/./);

      await page.getByTestId('user-create-username').fill('e2e.supervisor');
      await page.getByTestId('user-create-password').fill(password);
      await page.getByTestId('user-create-role').selectOption('supervisor');
      await page.getByTestId('user-create-office').selectOption('');
      await page.getByTestId('user-create-submit').click();
      await page.getByTestId('totp-handover').waitFor();
      expect(await page.getByTestId('totp-secret').textContent()).toMatch(/^[A-Z2-7]{32}$/);
      expect(await page.getByTestId('totp-uri').textContent()).toMatch(/^otpauth:\/\/totp\//);
      await page.locator('[data-testid="user-row"][data-username="e2e.supervisor"]').waitFor();
      await page.getByTestId('totp-dismiss').click();
      expect(await page.getByTestId('totp-handover').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
