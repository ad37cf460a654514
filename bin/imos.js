#!/usr/bin/env node
// The `imos` command. TypeScript sources run through tsx, so there is no build step to forget.
process.env.TZ = 'UTC';
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
