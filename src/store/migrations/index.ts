import * as spine from './0001-spine.js';

/** Versioned migrations, applied in order, each once, recorded in schema_migration. */
export const MIGRATIONS: readonly { readonly version: number; readonly name: string; readonly up: string }[] =
  [{ version: 1, name: 'spine', up: spine.up }];
