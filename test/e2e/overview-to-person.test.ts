/**
 * Browser suite: the real server (PGlite in memory, synthetic demo population) and the built web app,
 * driven in Debian's Chromium by playwright-core. Run: npx vitest run --config vitest.browser.config.ts
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage, signIn, useBrowserPlatform } from '../support/browser-harness.js';

const DEMO_PEOPLE = 1500;

/** The stay outcome behind each overstay-report cell (src/core/reports/overstay-report.ts). */
const OUTCOME_OF_CELL: Record<string, string> = {
  'suspected-in-country-overstay': 'suspected-in-country-overstay',
  'out-of-country-overstay': 'departed-late',
};

const platform = useBrowserPlatform(DEMO_PEOPLE);

/** Every look at personal data names its purpose: chosen once in the header. */
async function choosePurpose(page: Page, code: string): Promise<void> {
  await page.getByTestId('purpose-select').selectOption(code);
}

const asNumber = (text: string | null) => Number((text ?? '').replace(/,/g, ''));

describe('overview to person', () => {
  it('an officer follows an overstay figure to the stays behind it and to a person whose stay has that outcome', async () => {
    const { context, page, pageErrors } = await openPage(platform.browser);
    try {
      await signIn(page, platform.base, 'demo.officer');
      await choosePurpose(page, 'data-quality-review');

      // The overview: summary figures, the table by country of citizenship, the coverage note, the chart.
      const table = page.getByTestId('overstay-table');
      await table.waitFor();
      const expected = asNumber(await page.getByTestId('summary-expected').textContent());
      expect(expected).toBeGreaterThan(0);
      const rows = table.getByTestId('overstay-row');
      expect(await rows.count()).toBeGreaterThan(0);
      const firstRowExpected = await rows
        .first()
        .locator('td[data-column="expectedDepartures"]')
        .textContent();
      expect(firstRowExpected).toMatch(/^\d[\d,]*$/);
      expect(asNumber(firstRowExpected)).toBeGreaterThan(0);
      const footerExpected = await page
        .getByTestId('overstay-table-footer')
        .locator('td[data-column="expectedDepartures"]')
        .textContent();
      expect(asNumber(footerExpected)).toBe(expected);
      await expect
        .poll(() => page.getByTestId('coverage-note').textContent())
        .toMatch(/Departures are counted/);
      await page.getByTestId('departures-chart').locator('svg').first().waitFor();

      // A suspected in-country overstay figure of some row (else an out-of-country one).
      let figure = rows.locator('a[data-testid="figure-suspectedInCountryOverstays"]').first();
      if ((await figure.count()) === 0)
        figure = rows.locator('a[data-testid="figure-outOfCountryOverstays"]').first();
      expect(await figure.count(), 'no overstay figure to click').toBe(1);
      const cell = (await figure.getAttribute('data-cell'))!;
      const group = (await figure.getAttribute('data-group'))!;
      const value = asNumber(await figure.textContent());
      expect(value).toBeGreaterThan(0);
      await figure.click();

      // The drill-down: exactly the stays behind that figure.
      await page.waitForURL((u) => u.pathname === '/report/stays');
      const url = new URL(page.url());
      expect(url.searchParams.get('cell')).toBe(cell);
      expect(url.searchParams.get('group')).toBe(group);
      await page.getByTestId('drilldown-table').waitFor();
      expect(asNumber((await page.getByTestId('drilldown-total').textContent())?.split(' ')[0] ?? '')).toBe(
        value,
      );
      const cells = await page
        .getByTestId('drilldown-cell')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-cell')));
      expect(cells.length).toBe(Math.min(value, 500));
      expect(new Set(cells)).toEqual(new Set([cell]));

      // A person of the officer's own office if the figure has one; else any, opened with a written
      // reason (break-glass). The timeline has an Admission; the stay's badge matches the figure clicked.
      const own = page.locator('[data-testid="person-link"][data-in-office="true"]');
      const link = (await own.count()) > 0 ? own.first() : page.getByTestId('person-link').first();
      const outside = (await link.getAttribute('data-in-office')) === 'false';
      const admissionId = (await link.getAttribute('data-admission-id'))!;
      await link.click();
      await page.waitForURL((u) => u.pathname.startsWith('/persons/'));
      if (outside) {
        await page.getByTestId('break-glass-reason').fill('following up an overstay figure for the demo');
        await page.getByTestId('break-glass-submit').click();
        await page.getByTestId('break-glass-notice').waitFor();
      }
      await page.getByTestId('person-page').waitFor();
      expect(
        await page.getByTestId('timeline-row').and(page.locator('[data-kind="Admission"]')).count(),
      ).toBeGreaterThan(0);
      const stay = page.locator(`[data-testid="stay"][data-admission-id="${admissionId}"]`);
      await expect.poll(() => stay.count()).toBe(1);
      expect(await stay.getByTestId('stay-outcome').getAttribute('data-outcome')).toBe(OUTCOME_OF_CELL[cell]);
      expect(await stay.getByTestId('stay-rule').textContent()).not.toBe('');
      expect(await page.getByTestId('person-identity').getByTestId('identity-names').textContent()).not.toBe(
        '',
      );
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('an analyst who opens a person page is told plainly that the role may not see it', async () => {
    const { context, page } = await openPage(platform.browser);
    try {
      await signIn(page, platform.base, 'demo.analyst');
      // A real person id, from the drill-down the analyst may see.
      // The analyst's drill-down shows pseudonyms, not person ids; the page is refused for any real id.
      const res = await page.request.get(`${platform.base}/api/reports/overstay/stays?limit=1`, {
        headers: { 'x-purpose': 'data-quality-review' },
      });
      expect(res.status()).toBe(200);
      const body = (await res.json()) as { pseudonymized: boolean; stays: { personId: string }[] };
      expect(body.pseudonymized).toBe(true);
      expect(body.stays[0]?.personId).toMatch(/^P-[0-9a-f]{12}$/);
      const personId = '1';

      await page.goto(`${platform.base}/persons/${personId}`);
      const message = page.getByTestId('forbidden');
      await message.waitFor();
      expect(await message.textContent()).toMatch(/Not allowed.*analyst.*may not see this/);
      expect(await page.getByTestId('person-page').count()).toBe(0);
      expect(await page.getByTestId('search-input').count()).toBe(0); // search is not offered to analysts
    } finally {
      await context.close();
    }
  });
});
