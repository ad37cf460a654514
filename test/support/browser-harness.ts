/**
 * The browser suites' platform: the real server (PGlite in memory, a synthetic demo population) with the
 * built web app, and Debian's Chromium driven by playwright-core; and signing in to it, in the page or
 * through the API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import { demoTotpSecret } from '../../src/access/accounts.js';
import { totpCode } from '../../src/access/totp.js';
import { freePort } from './free-port.js';

export { freePort };

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
export const DEMO_PASSWORD = 'demo-password-1';
export const AS_OF = '2026-11-01';

/** The demo accounts that sign in with a second factor (their secrets derive from the demo password). */
const SECOND_FACTOR = new Set(['demo.supervisor', 'demo.admin']);

export interface Platform {
  readonly base: string;
  /** What the server has written so far (stdout and stderr), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/** A platform with a browser to drive it; `stop` closes the browser, then stops the server. */
export interface BrowserPlatform extends Platform {
  readonly browser: Browser;
}

export interface PlatformOptions {
  /** The port to serve on, when the test must know it before the server starts (default: a free one). */
  readonly port?: number;
  /** More environment for the server (e.g. IMOS_OIDC_*); it overrides the harness's own. */
  readonly env?: Readonly<Record<string, string>>;
  /** How long the server may take to be ready with its demo population loaded. */
  readonly deadlineMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The newest modification time of the web app's sources (and the Vite config). */
function newestSource(dir = join(ROOT, 'web')): number {
  let newest = statSync(join(ROOT, 'vite.config.ts')).mtimeMs;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Builds the web app when there is no build or it is older than its sources (a stale build tests old
 * pages). It builds what `npm start` serves, as production: the test runner sets NODE_ENV to "test",
 * which decides what the bundle holds (React's build among it), and the page built that way failed after
 * an identity decision ("n is not a function") where the production build works.
 */
export async function buildWebIfStale(): Promise<void> {
  const built = join(ROOT, 'dist/web/index.html');
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource()) return;
  const runner = process.env['NODE_ENV'];
  process.env['NODE_ENV'] = 'production';
  try {
    await build({ configFile: `${ROOT}vite.config.ts`, logLevel: 'warn' });
  } finally {
    if (runner === undefined) delete process.env['NODE_ENV'];
    else process.env['NODE_ENV'] = runner;
  }
}

/**
 * Starts `imos serve` and waits until it is ready and its demo population is loaded. The port and host
 * go in the environment (PORT, HOST), where the server's OpenID Connect settings read them too.
 */
export async function startPlatform(demoPeople: number, options: PlatformOptions = {}): Promise<Platform> {
  await buildWebIfStale();
  const port = options.port ?? (await freePort());
  const base = `http://127.0.0.1:${port}`;
  let log = '';
  const server: ChildProcess = spawn(
    process.execPath,
    ['bin/imos.js', '--ephemeral', 'serve', '--demo-people', String(demoPeople)],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        IMOS_DEMO_PASSWORD: DEMO_PASSWORD,
        IMOS_AS_OF: AS_OF,
        TZ: 'UTC',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  server.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  server.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const stop = async () => {
    if (server.exitCode !== null) return;
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, sleep(5000)]);
    if (server.exitCode === null) server.kill('SIGKILL');
  };
  const deadline = Date.now() + (options.deadlineMs ?? 150_000);
  try {
    for (;;) {
      if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode}):\n${log}`);
      if (/Demo data could not be loaded/.test(log)) throw new Error(`the demo did not load:\n${log}`);
      const ready = await fetch(`${base}/ready`).catch(() => null);
      if (ready?.status === 200 && (demoPeople === 0 || /Demo data: /.test(log))) break;
      if (Date.now() > deadline) throw new Error(`the platform did not become ready in time:\n${log}`);
      await sleep(250);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { base, log: () => log, stop };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

/** Starts the platform and launches Chromium side by side; if either fails, the other is ended. */
export async function startBrowserPlatform(
  demoPeople: number,
  options: PlatformOptions = {},
): Promise<BrowserPlatform> {
  const [platform, browser] = await Promise.allSettled([
    startPlatform(demoPeople, options),
    launchChromium(),
  ]);
  if (platform.status === 'rejected' || browser.status === 'rejected') {
    if (browser.status === 'fulfilled') await browser.value.close();
    if (platform.status === 'fulfilled') await platform.value.stop();
    throw platform.status === 'rejected' ? platform.reason : (browser as PromiseRejectedResult).reason;
  }
  return {
    base: platform.value.base,
    log: () => platform.value.log(),
    browser: browser.value,
    async stop() {
      await browser.value.close();
      await platform.value.stop();
    },
  };
}

/**
 * The platform and browser of a test file: started before its tests (beforeAll), stopped after them
 * (afterAll). Options given as a function are worked out in that beforeAll, for what must come first
 * (an identity provider that must know the platform's port). Its fields are there once it has started.
 */
export function useBrowserPlatform(
  demoPeople: number,
  options: PlatformOptions | (() => Promise<PlatformOptions>) = {},
): BrowserPlatform {
  let started: BrowserPlatform | undefined;
  const get = () => {
    if (!started) throw new Error('the platform has not started (it starts in beforeAll)');
    return started;
  };
  beforeAll(async () => {
    started = await startBrowserPlatform(
      demoPeople,
      typeof options === 'function' ? await options() : options,
    );
  });
  afterAll(async () => {
    await started?.stop();
  });
  return {
    get base() {
      return get().base;
    },
    get browser() {
      return get().browser;
    },
    log: () => get().log(),
    stop: () => get().stop(),
  };
}

/** A page in a context of its own (close the context when done), and the errors the page throws. */
export async function openPage(
  browser: Browser,
  options?: BrowserContextOptions,
): Promise<{ context: BrowserContext; page: Page; pageErrors: string[] }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { context, page, pageErrors };
}

/** The current code of a demo account's second factor (a code works once: one sign-in per 30 s step). */
const demoTotp = (username: string) => totpCode(demoTotpSecret(DEMO_PASSWORD, username), Date.now());

/** Signs in on the web app's sign-in page, typing the second factor's code when the page asks for one. */
export async function signIn(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByTestId('sign-in-username').fill(username);
  await page.getByTestId('sign-in-password').fill(DEMO_PASSWORD);
  await page.getByTestId('sign-in-submit').click();
  const signedIn = page.getByTestId('header-user');
  const totp = page.getByTestId('sign-in-totp');
  await signedIn.or(totp).waitFor();
  if (await totp.isVisible()) {
    await totp.fill(demoTotp(username));
    await page.getByTestId('sign-in-submit').click();
  }
  await signedIn.waitFor();
}

/** Signs in through the API (a machine client) and returns the bearer token; the server log on failure. */
export async function apiToken(
  platform: Pick<Platform, 'base' | 'log'>,
  username: string,
  password = DEMO_PASSWORD,
): Promise<string> {
  const totp = SECOND_FACTOR.has(username) ? demoTotp(username) : undefined;
  const res = await fetch(`${platform.base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, totp }),
  }).then(
    async (r) => ({ status: r.status, body: (await r.json().catch(() => null)) as unknown }),
    () => null,
  );
  const token = (res?.body as { token?: string } | null)?.token;
  if (!token) throw new Error(`${username} cannot sign in: ${JSON.stringify(res)}\n${platform.log()}`);
  return token;
}
