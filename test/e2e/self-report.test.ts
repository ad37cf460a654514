/**
 * Browser suite: the public self-report of a departure on a phone-sized screen, without signing in. The
 * form is reached from the sign-in page; a report gets a confirmation number; a date too far ahead is
 * refused by the server and said next to the date field.
 */
import { describe, expect, it } from 'vitest';
import { AS_OF, openPage, useBrowserPlatform } from '../support/browser-harness.js';

const platform = useBrowserPlatform(200);

/** A day (YYYY-MM-DD) some days after another. */
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('the public departure self-report', () => {
  it('files a report without signing in and shows the confirmation; a date far ahead is refused at the field', async () => {
    const { context, page, pageErrors } = await openPage(platform.browser, {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    try {
      // Linked from the sign-in page, which any address shows to someone signed out.
      await page.goto(`${platform.base}/`);
      await page.getByTestId('sign-in-form').waitFor();
      await page.getByTestId('public-link-departure-report').click();
      await page.waitForURL((u) => u.pathname === '/departure-report');
      await page.getByTestId('self-report-form').waitFor();
      expect(await page.getByTestId('sign-in-form').count()).toBe(0);
      expect(await page.getByTestId('header-user').count()).toBe(0);

      // One column on a phone: nothing wider than the screen.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);

      await page.getByTestId('self-report-givenNames').fill('Ana Maria');
      await page.getByTestId('self-report-familyNames').fill('Nobody-Known');
      await page.getByTestId('self-report-birthDate').fill('1988-04-12');
      await page.getByTestId('self-report-nationality').selectOption('MEX');
      await page.getByTestId('self-report-documentNumber').fill('g1234567');
      await page.getByTestId('self-report-documentCountry').selectOption('MEX');
      await page.getByTestId('self-report-date').fill(addDays(AS_OF, -2));
      await page.getByTestId('self-report-mode-air').check();
      await page.getByTestId('self-report-port').fill('JFK');
      await page.getByTestId('self-report-carrier').fill('AM');
      await page.getByTestId('self-report-flight').fill('AM401');
      await page.getByTestId('self-report-destination').selectOption('MEX');
      await page.getByTestId('self-report-submit').click();

      const confirmation = page.getByTestId('self-report-confirmation');
      await confirmation.waitFor();
      expect(await confirmation.textContent()).toMatch(/^SR-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
      expect(await page.getByTestId('self-report-message').textContent()).toMatch(/confirmation number/);

      // Another report, planned far ahead: the server refuses the date, said next to the date field.
      await page.getByTestId('self-report-again').click();
      await page.getByTestId('self-report-familyNames').fill('Nobody-Known');
      await page.getByTestId('self-report-birthDate').fill('1988-04-12');
      await page.getByTestId('self-report-documentNumber').fill('G1234567');
      await page.getByTestId('self-report-documentCountry').selectOption('MEX');
      await page.getByTestId('self-report-date').fill(addDays(AS_OF, 400));
      await page.getByTestId('self-report-mode-land').check();
      expect(await page.getByTestId('self-report-flight').count()).toBe(0); // no flight by land
      await page.getByTestId('self-report-submit').click();

      const fieldError = page.locator('[data-testid="self-report-field-error"][data-field="date"]');
      await fieldError.waitFor();
      expect(await fieldError.textContent()).toMatch(/more than 90 days ahead/);
      expect(await page.getByTestId('self-report-date').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByTestId('self-report-field-error').count()).toBe(1);
      expect(await page.getByTestId('self-report-error').getAttribute('data-status')).toBe('400');
      expect(await page.getByTestId('self-report-confirmation').count()).toBe(0);
      // The field with the error has the focus, and the rest of the form is kept.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('sr-date');
      expect(await page.getByTestId('self-report-familyNames').inputValue()).toBe('Nobody-Known');

      // Correcting the date clears its error.
      await page.getByTestId('self-report-date').fill(addDays(AS_OF, 10));
      expect(await page.getByTestId('self-report-field-error').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
