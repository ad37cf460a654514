#!/usr/bin/env node
// `npm start`: build the web app when it is missing or older than its sources, then serve.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

process.env.TZ = 'UTC';
const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'dist/web/index.html');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

if (!existsSync(built) || newest(join(root, 'web')) > statSync(built).mtimeMs) {
  console.log('Building the web app…');
  const { build } = await import('vite');
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
}
if (!process.argv.slice(2).length) process.argv.push('serve');
else process.argv.splice(2, 0, 'serve');
await import('./imos.js');
