/**
 * Browser suite: the public dispute form on a phone-sized screen, without signing in, then the ticket's
 * status page; an officer's redress queue lists the dispute.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startPlatform, type Platform } from '../support/browser-harness.js';

let platform: Platform;
let browser: Browser;

beforeAll(async () => {
  [platform, browser] = await Promise.all([startPlatform(200), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

describe('the public dispute form', () => {
  it('files a dispute without signing in, gives a ticket and a secret, and shows its status', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
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
      const session = await fetch(`${platform.base}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'demo.officer', password: 'demo-password-1' }),
      }).then((r) => r.json() as Promise<{ token: string }>);
      const queue = await fetch(`${platform.base}/api/redress`, {
        headers: { authorization: `Bearer ${session.token}`, 'x-purpose': 'redress' },
      }).then((r) => r.json() as Promise<{ disputes: { ticket: string }[] }>);
      expect(queue.disputes.map((d) => d.ticket)).toContain(ticket);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
