import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ImosRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `imos ...` in a process of its own, as an operator runs it, with extra environment; never rejects on an exit code. */
export function runImos(args: readonly string[], env: Record<string, string> = {}): Promise<ImosRun> {
  const child = spawn(process.execPath, ['bin/imos.js', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
