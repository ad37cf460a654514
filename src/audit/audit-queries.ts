import type { ChainedAuditRecord } from '../core/audit/audit-chain.js';
import type { Database } from '../store/database.js';
import { AUDIT_SELECT, fromAuditRow } from './audit-reader.js';

export interface AuditFilter {
  /** Who looked at this person. */
  readonly personId?: string | undefined;
  /** What this user did. */
  readonly username?: string | undefined;
  /** Only break-glass accesses (for review). */
  readonly breakGlass?: boolean | undefined;
  /** Entries before this number (paging back in time). */
  readonly before?: string | undefined;
  readonly limit: number;
}

/** Audit entries matching a filter, newest first. */
export async function findAuditEntries(db: Database, f: AuditFilter): Promise<ChainedAuditRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.personId !== undefined) add('person_ids @> array[?::bigint]', f.personId);
  if (f.username !== undefined) add('username = ?', f.username);
  if (f.breakGlass) where.push('break_glass_reason is not null');
  if (f.before !== undefined) add('audit_entry.seq < ?', f.before);
  params.push(f.limit);
  const rows = await db.session((s) =>
    s.query<Parameters<typeof fromAuditRow>[0]>(
      `${AUDIT_SELECT} ${where.length ? `where ${where.join(' and ')}` : ''} order by audit_entry.seq desc limit $${params.length}`,
      params,
    ),
  );
  return rows.map(fromAuditRow);
}
