/**
 * The browser suites' platform: the real server (PGlite in memory, a synthetic demo population) with the
 * built web app, and Debian's Chromium driven by playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
export const DEMO_PASSWORD = 'demo-password-1';
export const AS_OF = '2026-11-01';

export interface Platform {
  readonly base: string;
  log(): string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

/** The newest modification time of the web app's sources (and the Vite config). */
function newestSource(dir = join(ROOT, 'web')): number {
  let newest = statSync(join(ROOT, 'vite.config.ts')).mtimeMs;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds the web app when there is no build or it is older than its sources (a stale build tests old pages). */
export async function buildWebIfStale(): Promise<void> {
  const built = join(ROOT, 'dist/web/index.html');
  if (!existsSync(built) || statSync(built).mtimeMs < newestSource())
    await build({ configFile: `${ROOT}vite.config.ts`, logLevel: 'warn' });
}

/** Starts `imos serve` on a free port and waits until it is ready and its demo population is loaded. */
export async function startPlatform(demoPeople: number, deadlineMs = 150_000): Promise<Platform> {
  await buildWebIfStale();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let log = '';
  const server: ChildProcess = spawn(
    process.execPath,
    ['bin/imos.js', '--ephemeral', 'serve', '--port', String(port), '--demo-people', String(demoPeople)],
    {
      cwd: ROOT,
      env: { ...process.env, IMOS_DEMO_PASSWORD: DEMO_PASSWORD, IMOS_AS_OF: AS_OF, TZ: 'UTC' },
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
  const deadline = Date.now() + deadlineMs;
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
