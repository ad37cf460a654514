#!/usr/bin/env node
// The `imos` command. TypeScript sources run through tsx, so there is no build step to forget.
process.env.TZ = 'UTC';
import { setFlagsFromString } from 'node:v8';
import { register } from 'tsx/esm/api';
// Imports allocate many short-lived objects: a larger young generation halves the time spent in GC.
setFlagsFromString('--max-semi-space-size=64');
register();
await import('../src/cli/main.ts');
