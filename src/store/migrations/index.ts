import * as spine from './0001-spine.js';
import * as authentication from './0002-authentication.js';
import * as audit from './0003-audit.js';
import * as retention from './0005-retention.js';
import * as oidc from './0004-oidc.js';
import * as userAdmin from './0007-user-admin.js';
import * as redress from './0006-redress.js';
import * as linkage from './0008-linkage.js';
import * as departures from './0009-departures.js';
import * as selfReportQueue from './0010-self-report-queue.js';
import * as stayClock from './0011-stay-clock.js';
import * as personList from './0012-person-list.js';
import * as stayExplainedOnRead from './0013-stay-explained-on-read.js';
import * as arrivalIdentityReview from './0014-arrival-identity-review.js';

/** Versioned migrations, applied in order, each once, recorded in schema_migration. */
export const MIGRATIONS: readonly { readonly version: number; readonly name: string; readonly up: string }[] =
  [
    { version: 1, name: 'spine', up: spine.up },
    { version: 2, name: 'authentication', up: authentication.up },
    { version: 3, name: 'audit', up: audit.up },
    { version: 4, name: 'oidc', up: oidc.up },
    { version: 5, name: 'retention', up: retention.up },
    { version: 6, name: 'redress', up: redress.up },
    // <- version 6: redress
    { version: 7, name: 'user-admin', up: userAdmin.up },
    { version: 8, name: 'linkage', up: linkage.up },
    { version: 9, name: 'departures', up: departures.up },
    { version: 10, name: 'self-report-queue', up: selfReportQueue.up },
    { version: 11, name: 'stay-clock', up: stayClock.up },
    { version: 12, name: 'person-list', up: personList.up },
    { version: 13, name: 'stay-explained-on-read', up: stayExplainedOnRead.up },
    { version: 14, name: 'arrival-identity-review', up: arrivalIdentityReview.up },
  ];
