import type { AuditSink } from '../audit/audit-log.js';
import type { RulePack } from '../core/stays/rule-pack.js';
import type { IdentityResolver } from '../identity/identity-resolver.js';
import type { Database } from '../store/database.js';
import type { ChangeFeed } from './change-feed.js';

/** What every use case needs: the store, the resolver, the rule pack and the day outcomes are judged on. */
export interface AppContext {
  readonly db: Database;
  readonly resolver: IdentityResolver;
  readonly pack: RulePack;
  /** Today (UTC) unless pinned (IMOS_AS_OF), so a demo or a test reads the same figures every day. */
  readonly asOf: () => string;
  /** Where accesses to personal data are recorded; the API builds an in-memory-keyed log when absent. */
  readonly audit?: AuditSink;
  /** Announces recomputed stays to live views; absent: nobody listens (a CLI run). */
  readonly changes?: ChangeFeed;
}

export const todayUtc = (): string => new Date().toISOString().slice(0, 10);
