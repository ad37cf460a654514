/**
 * Browser suite: the public dispute form on a phone-sized screen, without signing in, then the ticket's
 * status page; an officer's redress queue lists the dispute.
 */
import { describe, expect, it } from 'vitest';
import { apiToken, openPage, signIn, useBrowserPlatform } from '../support/browser-harness.js';

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

  it('an officer finds the dispute in the redress queue and opens it, statement and claimed identity shown', async () => {
    const filed = await fetch(`${platform.base}/api/disputes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        statement: 'My departure by land on 2025-04-02 is missing from the record.',
        identity: { familyNames: 'Queue-Test', birthDate: '1970-01-02' },
        contact: 'queue@example.invalid',
      }),
    }).then((r) => r.json() as Promise<{ ticket: string }>);
    const { context, page, pageErrors } = await openPage(platform.browser);
    try {
      await signIn(page, platform.base, 'demo.officer');
      await page.getByTestId('purpose-select').selectOption('redress');
      await page.getByTestId('nav-redress').click();
      const row = page.getByTestId('redress-row').filter({ hasText: filed.ticket });
      await row.waitFor();
      await row.getByRole('link', { name: filed.ticket }).click();
      const work = page.getByTestId('dispute-work');
      await work.waitFor();
      expect(await work.getAttribute('data-status')).toBe('received');
      expect(await page.getByTestId('dispute-statement').textContent()).toMatch(/missing from the record/);
      expect(await work.textContent()).toMatch(/Queue-Test/);
      expect(await page.getByTestId('redress-link').count()).toBe(1); // step 1: link the person
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
