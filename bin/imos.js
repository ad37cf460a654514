#!/usr/bin/env -S node --max-semi-space-size=64 --heap-growing-percent=100
// The `imos` command. TypeScript sources run through tsx, so there is no build step to forget.
// Imports allocate many short-lived objects: the larger young generation
// (--max-semi-space-size, in the shebang and the npm scripts) cuts the time spent in GC by two thirds.
// A million-row import keeps about 300 MB alive, but V8 lets the old generation grow to four times what
// survived its last full collection before the next: garbage, 1.8 GB at the peak. Twice
// (--heap-growing-percent=100) holds the import near 1.2 GB for the same time; the heap's limit is
// unchanged, so a large in-memory job (imos link) still has all of it.
process.env.TZ = 'UTC';
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
