/**
 * Browser suite: sign-in through the organisation's identity provider. A real OpenID provider
 * (oidc-provider) runs in the test at http://localhost:…, the real server at http://127.0.0.1:… (another
 * site, so the browser's SameSite rules apply as in a deployment), driven in Debian's Chromium.
 * Run: npx vitest run --config vitest.browser.config.ts
 */
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, openPage, useBrowserPlatform } from '../support/browser-harness.js';
import {
  startTestProvider,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
  type TestProvider,
} from '../support/oidc-test-provider.js';

let provider: TestProvider | undefined;
let base = '';

// Registered before the platform's hooks, so it runs after the platform has stopped (hooks run as a stack).
afterAll(async () => {
  await provider?.close();
});

const platform = useBrowserPlatform(0, async () => {
  // The provider must know where the platform's callback is before the platform starts.
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  provider = await startTestProvider({
    hostname: 'localhost',
    redirectUrl: `${base}/api/session/oidc/callback`,
    accounts: {
      'sub-olivia': { preferred_username: 'olivia.officer', imos_role: 'officer', imos_office: 'MIA' },
      'sub-root': { preferred_username: 'root', imos_role: 'superuser' },
    },
  });
  return {
    port,
    deadlineMs: 60_000,
    env: {
      IMOS_OIDC_ISSUER: provider.issuer,
      IMOS_OIDC_CLIENT_ID: TEST_CLIENT_ID,
      IMOS_OIDC_CLIENT_SECRET: TEST_CLIENT_SECRET,
      IMOS_OIDC_SCOPES: 'openid profile imos',
    },
  };
});

async function withPage(fn: (page: Page) => Promise<void>): Promise<void> {
  const { context, page, pageErrors } = await openPage(platform.browser);
  try {
    await fn(page);
    expect(pageErrors).toEqual([]);
  } finally {
    await context.close();
  }
}

describe('sign-in with the organisation (OpenID Connect)', () => {
  it('an officer signs in at the provider and comes back signed in, with a session like a local sign-in', async () => {
    await withPage(async (page) => {
      provider!.next({ accountId: 'sub-olivia', amr: ['pwd'] });
      await page.goto(`${base}/`);
      await page.getByTestId('sign-in-oidc').click();
      await page.getByTestId('header-user').waitFor();
      expect(await page.getByTestId('header-user').textContent()).toContain('olivia.officer@localhost');
      const cookies = await page.context().cookies(base);
      expect(cookies.find((c) => c.name === 'imos_session')).toMatchObject({
        httpOnly: true,
        sameSite: 'Strict',
      });
      expect(cookies.find((c) => c.name === 'imos_csrf')).toMatchObject({ httpOnly: false });
      expect(cookies.some((c) => c.name === 'imos_oidc')).toBe(false);
    });
  });

  it('a person whose provider names no platform role comes back to the sign-in page, told why', async () => {
    await withPage(async (page) => {
      provider!.next({ accountId: 'sub-root', amr: ['pwd', 'mfa'] });
      await page.goto(`${base}/`);
      await page.getByTestId('sign-in-oidc').click();
      const error = page.getByTestId('sign-in-error');
      await error.waitFor();
      expect(await error.textContent()).toMatch(/gives you no role in ImmigrationOS/);
      await expect.poll(() => new URL(page.url()).search).toBe('');
      expect(await page.getByTestId('header-user').count()).toBe(0);
    });
  });
});
