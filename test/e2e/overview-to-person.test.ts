/**
 * Browser suite: the real server (PGlite in memory, synthetic demo population) and the built web app,
 * driven in Debian's Chromium by playwright-core. Run: npx vitest run --config vitest.browser.config.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const PASSWORD = 'demo-password-1';
const AS_OF = '2026-11-01';
const DEMO_PEOPLE = 1500;

/** The stay outcome behind each overstay-report cell (src/core/reports/overstay-report.ts). */
const OUTCOME_OF_CELL: Record<string, string> = {
  'suspected-in-country-overstay': 'suspected-in-country-overstay',
  'out-of-country-overstay': 'departed-late',
};

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

/** Waits until the server is ready and the demo population is fully loaded (figures no longer moving). */
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
  const session = await tryJson(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'demo.officer', password: PASSWORD }),
  });
  const token = (session?.body as { token?: string } | null)?.token;
  if (!token) throw new Error(`demo.officer cannot sign in: ${JSON.stringify(session)}\n${serverLog}`);
  // The demo loads after the server listens: expected departures appear once admissions are in, and
  // departures and status changes follow. The server says when the load is done; until then figures move.
  for (;;) {
    failIfExited();
    if (/Demo data could not be loaded/.test(serverLog))
      throw new Error(`the demo did not load:\n${serverLog}`);
    const report = await tryJson(`${base}/api/reports/overstay`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const expected =
      (report?.body as { total?: { expectedDepartures?: number } } | null)?.total?.expectedDepartures ?? 0;
    if (expected > 0 && /Demo data: /.test(serverLog)) return;
    if (Date.now() > deadline) {
      throw new Error(
        `the demo population did not load in time (expected departures: ${expected}; waiting for the "Demo data:" line):\n${serverLog}`,
      );
    }
    await sleep(500);
  }
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByTestId('sign-in-username').fill(username);
  await page.getByTestId('sign-in-password').fill(PASSWORD);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('header-user').waitFor();
}

/** Every look at personal data names its purpose: chosen once in the header. */
async function choosePurpose(page: Page, code: string): Promise<void> {
  await page.getByTestId('purpose-select').selectOption(code);
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

const asNumber = (text: string | null) => Number((text ?? '').replace(/,/g, ''));

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

describe('overview to person', () => {
  it('an officer follows an overstay figure to the stays behind it and to a person whose stay has that outcome', async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await signIn(page, 'demo.officer');
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
    const context = await browser!.newContext();
    const page = await context.newPage();
    try {
      await signIn(page, 'demo.analyst');
      // A real person id, from the drill-down the analyst may see.
      // The analyst's drill-down shows pseudonyms, not person ids; the page is refused for any real id.
      const res = await page.request.get(`${base}/api/reports/overstay/stays?limit=1`, {
        headers: { 'x-purpose': 'data-quality-review' },
      });
      expect(res.status()).toBe(200);
      const body = (await res.json()) as { pseudonymized: boolean; stays: { personId: string }[] };
      expect(body.pseudonymized).toBe(true);
      expect(body.stays[0]?.personId).toMatch(/^P-[0-9a-f]{12}$/);
      const personId = '1';

      await page.goto(`${base}/persons/${personId}`);
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
