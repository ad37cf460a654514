// Worker-thread entry for reading and preparing a feed (src/ingest/prepare-worker.ts). The TypeScript
// sources run through tsx, registered here because a worker does not inherit the parent's loader.
import { register } from 'tsx/esm/api';
register();
await import('../src/ingest/prepare-worker.ts');
