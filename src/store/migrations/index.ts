import * as spine from './0001-spine.js';
import * as authentication from './0002-authentication.js';
import * as audit from './0003-audit.js';

/** Versioned migrations, applied in order, each once, recorded in schema_migration. */
export const MIGRATIONS: readonly { readonly version: number; readonly name: string; readonly up: string }[] =
  [
    { version: 1, name: 'spine', up: spine.up },
    { version: 2, name: 'authentication', up: authentication.up },
    { version: 3, name: 'audit', up: audit.up },
    // <- version 4: oidc
    // <- version 5: retention
    // <- version 6: redress
  ];
