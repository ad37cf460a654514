/**
 * Browser suite: the public dispute form on a phone-sized screen, without signing in, then the ticket's
 * status page; an officer's redress queue lists the dispute.
 */
import { describe, expect, it } from 'vitest';
import { apiToken, openPage, useBrowserPlatform } from '../support/browser-harness.js';

const platform = useBrowserPlatform(200);

describe('the public dispute form', () => {
  it('files a dispute without signing in, gives a ticket and a secret, and shows its status', async () => {
    const { context, page, pageErrors } = await openPage(platform.browser, {
      viewport: { width: 390, height: 844 },
      isMobile: true,
    });
    try {
      await page.goto(`${platform.base}/dispute`);
      await page.getByTestId('dispute-form').waitFor();
      expect(await page.getByTestId('sign-in-form').count()).toBe(0);
      await page
        .getByTestId('dispute-statement')
        .fill('I left the country on 2025-05-28 by air; the record says I never left.');
      await page.getByTestId('dispute-familyNames').fill('Nobody-Known');
      await page.getByTestId('dispute-birthDate').fill('1985-02-03');
      await page.getByTestId('dispute-documentNumber').fill('X00000001');
      await page.getByTestId('dispute-contact').fill('me@example.invalid');
      await page.getByTestId('dispute-submit').click();

      await page.getByTestId('dispute-received').waitFor();
      const ticket = (await page.getByTestId('dispute-ticket').textContent())!;
      const secret = (await page.getByTestId('dispute-secret').textContent())!;
      expect(ticket).toMatch(/^R-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
      expect(await page.getByTestId('dispute-received').textContent()).toMatch(/An officer will review it/);

      await page.goto(`${platform.base}/dispute/status`);
      await page.getByTestId('status-ticket').fill(ticket);
      await page.getByTestId('status-secret').fill('wrong secret');
      await page.getByTestId('status-submit').click();
      expect(await page.getByTestId('status-error').textContent()).toMatch(/No dispute matches/);
      await page.getByTestId('status-secret').fill(secret);
      await page.getByTestId('status-submit').click();
      const status = page.getByTestId('dispute-status');
      await status.waitFor();
      expect(await status.getAttribute('data-status')).toBe('received');

      // The officer's queue lists it (through the API, with the redress purpose).
      const token = await apiToken(platform, 'demo.officer');
      const queue = await fetch(`${platform.base}/api/redress`, {
        headers: { authorization: `Bearer ${token}`, 'x-purpose': 'redress' },
      }).then((r) => r.json() as Promise<{ disputes: { ticket: string }[] }>);
      expect(queue.disputes.map((d) => d.ticket)).toContain(ticket);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
