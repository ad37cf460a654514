/**
 * Browser suite: the audit views and user admin, on the real server (PGlite in memory, a small synthetic
 * demo population) and the built web app, in Debian's Chromium through playwright-core.
 * Run: npx vitest run --config vitest.browser.config.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTotpSecret } from '../../src/access/accounts.js';
import { totpCode } from '../../src/access/totp.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const PASSWORD = 'demo-password-1';
const AS_OF = '2026-11-01';
const DEMO_PEOPLE = 300;

let server: ChildProcess | undefined;
let serverLog = '';
let base = '';
let browser: Browser | undefined;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function tryJson(url: string, init?: RequestInit): Promise<{ status: number; body: unknown } | null> {
  try {
    const res = await fetch(url, init);
    return { status: res.status, body: await res.json().catch(() => null) };
  } catch {
    return null; // not listening yet
  }
}

/** Signs in through the API (a machine client) and returns the bearer token. */
async function apiToken(username: string, password = PASSWORD): Promise<string> {
  const res = await tryJson(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const token = (res?.body as { token?: string } | null)?.token;
  if (!token) throw new Error(`${username} cannot sign in: ${JSON.stringify(res)}\n${serverLog}`);
  return token;
}

/** Waits until the server is ready and the demo population is fully loaded. */
async function waitForDemo(deadline: number): Promise<void> {
  const failIfExited = () => {
    if (server?.exitCode !== null) throw new Error(`the server exited (${server?.exitCode}):\n${serverLog}`);
  };
  for (;;) {
    failIfExited();
    const ready = await tryJson(`${base}/ready`);
    if (ready?.status === 200) break;
    if (Date.now() > deadline) throw new Error(`/ready never answered 200:\n${serverLog}`);
    await sleep(250);
  }
  for (;;) {
    failIfExited();
    if (/Demo data could not be loaded/.test(serverLog))
      throw new Error(`the demo did not load:\n${serverLog}`);
    if (/Demo data: /.test(serverLog)) return;
    if (Date.now() > deadline) throw new Error(`the demo population did not load in time:\n${serverLog}`);
    await sleep(250);
  }
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByTestId('sign-in-username').fill(username);
  await page.getByTestId('sign-in-password').fill(PASSWORD);
  await page.getByTestId('sign-in-submit').click();
  if (username === 'demo.admin' || username === 'demo.supervisor') {
    // The second factor: the demo secrets derive from the fixed demo password (docs/security.md).
    await page.getByTestId('sign-in-totp').waitFor();
    await page.getByTestId('sign-in-totp').fill(totpCode(demoTotpSecret(PASSWORD, username), Date.now()));
    await page.getByTestId('sign-in-submit').click();
  }
  await page.getByTestId('header-user').waitFor();
}

/** The newest modification time of the web app's sources (and the Vite config). */
function newestSource(dir = join(ROOT, 'web')): number {
  let newest = statSync(join(ROOT, 'vite.config.ts')).mtimeMs;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

beforeAll(async () => {
  // Build when there is no build, or it is older than the sources (a stale build would test old pages).
  const built = join(ROOT, 'dist/web/index.html');
  if (!existsSync(built) || statSync(built).mtimeMs < newestSource()) {
    await build({ configFile: `${ROOT}vite.config.ts`, logLevel: 'warn' });
  }
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(
    process.execPath,
    ['bin/imos.js', '--ephemeral', 'serve', '--port', String(port), '--demo-people', String(DEMO_PEOPLE)],
    {
      cwd: ROOT,
      env: { ...process.env, IMOS_DEMO_PASSWORD: PASSWORD, IMOS_AS_OF: AS_OF, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  server.stdout?.on('data', (d: Buffer) => (serverLog += d.toString()));
  server.stderr?.on('data', (d: Buffer) => (serverLog += d.toString()));
  const started = Date.now();
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
    waitForDemo(started + 150_000),
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
});

describe('audit views', () => {
  it("an auditor finds an officer's break-glass access with its reason, sees who looked at that person, and the chain intact", async () => {
    // The demo officer works for the NYC office: a person of another office opens only with a reason.
    const officer = await apiToken('demo.officer');
    const asOfficer = { authorization: `Bearer ${officer}`, 'x-purpose': 'data-quality-review' };
    const drill = await tryJson(`${base}/api/reports/overstay/stays?limit=500`, { headers: asOfficer });
    const stays = (drill?.body as { stays?: { personId: string; inOffice: boolean }[] } | null)?.stays ?? [];
    const outside = stays.find((s) => !s.inOffice);
    expect(outside, `no person outside the officer's office among ${stays.length} stays`).toBeDefined();
    const personId = outside!.personId;
    const reason = `travellers' counter query, reference E2E-${Date.now()}`;
    const refused = await tryJson(`${base}/api/persons/${personId}`, { headers: asOfficer });
    expect(refused?.status).toBe(403);
    const opened = await tryJson(`${base}/api/persons/${personId}`, {
      headers: { ...asOfficer, 'x-break-glass': reason },
    });
    expect(opened?.status).toBe(200);

    const context = await browser!.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await signIn(page, 'demo.auditor');
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
    const context = await browser!.newContext();
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await signIn(page, 'demo.admin');
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
      expect(await apiToken('e2e.officer', password)).toMatch(/./);

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
