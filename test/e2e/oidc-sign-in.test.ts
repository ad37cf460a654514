/**
 * Browser suite: sign-in through the organisation's identity provider. A real OpenID provider
 * (oidc-provider) runs in the test at http://localhost:…, the real server at http://127.0.0.1:… (another
 * site, so the browser's SameSite rules apply as in a deployment), driven in Debian's Chromium.
 * Run: npx vitest run --config vitest.browser.config.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  startTestProvider,
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
  type TestProvider,
} from '../support/oidc-test-provider.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';

let provider: TestProvider | undefined;
let server: ChildProcess | undefined;
let serverLog = '';
let base = '';
let browser: Browser | undefined;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function newestSource(dir = join(ROOT, 'web')): number {
  let newest = statSync(join(ROOT, 'vite.config.ts')).mtimeMs;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

async function waitForReady(deadline: number): Promise<void> {
  for (;;) {
    if (server?.exitCode !== null) throw new Error(`the server exited (${server?.exitCode}):\n${serverLog}`);
    const status = await fetch(`${base}/ready`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`/ready never answered 200:\n${serverLog}`);
    await sleep(250);
  }
}

beforeAll(async () => {
  const built = join(ROOT, 'dist/web/index.html');
  if (!existsSync(built) || statSync(built).mtimeMs < newestSource()) {
    await build({ configFile: `${ROOT}vite.config.ts`, logLevel: 'warn' });
  }
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
  server = spawn(process.execPath, ['bin/imos.js', '--ephemeral', 'serve', '--demo-people', '0'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      TZ: 'UTC',
      IMOS_DEMO_PASSWORD: 'demo-password-1',
      IMOS_OIDC_ISSUER: provider.issuer,
      IMOS_OIDC_CLIENT_ID: TEST_CLIENT_ID,
      IMOS_OIDC_CLIENT_SECRET: TEST_CLIENT_SECRET,
      IMOS_OIDC_SCOPES: 'openid profile imos',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (d: Buffer) => (serverLog += d.toString()));
  server.stderr?.on('data', (d: Buffer) => (serverLog += d.toString()));
  const [launched] = await Promise.all([
    chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    }),
    waitForReady(Date.now() + 60_000),
  ]);
  browser = launched;
});

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, sleep(5000)]);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  await provider?.close();
});

async function withPage(fn: (page: Page) => Promise<void>): Promise<void> {
  const context = await browser!.newContext();
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
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
