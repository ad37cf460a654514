import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataFolder, DataFolderBusyError } from './data-folder-lock.js';

const dirs: string[] = [];
const folder = () => {
  const d = mkdtempSync(join(tmpdir(), 'imos-lock-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('data folder lock (PGlite allows one process)', () => {
  it('refuses a second process while the holder lives, naming it and its URL', () => {
    const dir = folder();
    // The parent process (the test runner) is alive and is not us: it plays the running server.
    writeFileSync(
      join(dir, 'imos.lock'),
      JSON.stringify({ pid: process.ppid, role: 'server', url: 'http://localhost:3000' }),
    );
    expect(() => acquireDataFolder(dir, { role: 'cli' })).toThrow(DataFolderBusyError);
    expect(() => acquireDataFolder(dir, { role: 'cli' })).toThrow(
      /held by another ImmigrationOS process \(server, pid \d+, http:\/\/localhost:3000\)[\s\S]*DATABASE_URL/,
    );
  });

  it('takes over a lock left by a process that has died, and releases it', () => {
    const dir = folder();
    writeFileSync(join(dir, 'imos.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, role: 'server' }));
    const lock = acquireDataFolder(dir, { role: 'cli' });
    expect(JSON.parse(readFileSync(join(dir, 'imos.lock'), 'utf8'))).toMatchObject({
      pid: process.pid,
      role: 'cli',
    });
    lock.release();
    expect(() => readFileSync(join(dir, 'imos.lock'))).toThrow();
  });
});
