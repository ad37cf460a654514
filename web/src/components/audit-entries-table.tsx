import { useMemo, type ReactNode } from 'react';
import { createColumnHelper } from '@tanstack/react-table';
import type { AuditEntry } from '../api.js';
import { Link } from '../router.js';
import { DataTable } from './data-table.js';

/** An entry's time as the log keeps it: UTC, to the second. */
export function AuditTime({ at }: { at: string }) {
  return (
    <time dateTime={at} className="audit-time">
      {at.replace('T', ' ').slice(0, 19)} UTC
    </time>
  );
}

const OUTCOME_TONE: Record<AuditEntry['outcome'], string> = {
  allowed: 'badge-good',
  denied: 'badge-bad',
  failed: 'badge-warn',
};

const col = createColumnHelper<AuditEntry>();

/** A drill-down names hundreds of persons: the first few are shown, the rest on request. */
const PERSONS_SHOWN = 5;

function PersonIds({
  ids: all,
  href,
  focus,
}: {
  ids: readonly string[];
  href: ((personId: string) => string) | null;
  /** Shown first (the person a view is about). */
  focus: string | undefined;
}) {
  const ids = focus && all.includes(focus) ? [focus, ...all.filter((id) => id !== focus)] : all;
  const one = (id: string, i: number) => (
    <span key={id}>
      {i > 0 ? ', ' : ''}
      {href ? (
        <Link to={href(id)} data-testid="audit-person-link" data-person-id={id}>
          {id}
        </Link>
      ) : (
        id
      )}
    </span>
  );
  if (ids.length <= PERSONS_SHOWN + 1) return <>{ids.map(one)}</>;
  return (
    <>
      {ids.slice(0, PERSONS_SHOWN).map(one)}
      <details className="more-persons">
        <summary>and {ids.length - PERSONS_SHOWN} more</summary>
        {ids.slice(PERSONS_SHOWN).map(one)}
      </details>
    </>
  );
}

/**
 * Audit entries, newest first: when, who (as what), what, which persons, why, and how it ended. The
 * entry's number and request id tie a row to the exported chain. Person ids and user names link to the
 * other audit views (or to the person) where `personHref` and `userHref` say so.
 */
export function AuditEntriesTable({
  entries,
  caption,
  testId,
  rowTestId,
  empty,
  personHref,
  userHref,
  focusPersonId,
}: {
  entries: readonly AuditEntry[];
  caption: ReactNode;
  testId: string;
  rowTestId: string;
  empty: ReactNode;
  /** Where a person id leads (null: plain text). */
  personHref: ((personId: string) => string) | null;
  /** Where a user name leads (null: plain text). */
  userHref: ((username: string) => string) | null;
  /** The person a view is about: listed first among an entry's persons. */
  focusPersonId?: string;
}) {
  const columns = useMemo(
    () => [
      col.accessor('at', {
        header: 'When',
        cell: (c) => <AuditTime at={c.getValue()} />,
      }),
      col.accessor((e) => e.username ?? '', {
        id: 'user',
        header: 'Who',
        cell: (c) => {
          const e = c.row.original;
          if (!e.username) return <span className="muted">not signed in</span>;
          return (
            <>
              {userHref ? <Link to={userHref(e.username)}>{e.username}</Link> : e.username}{' '}
              <span className="muted">({e.role})</span>
            </>
          );
        },
      }),
      col.accessor('action', {
        header: 'What',
        cell: (c) => (
          <>
            <code>{c.getValue()}</code>
            <br />
            <span className="muted">{c.row.original.route}</span>
          </>
        ),
      }),
      col.accessor((e) => e.personIds.join(', '), {
        id: 'persons',
        header: 'Persons and records',
        enableSorting: false,
        cell: (c) => {
          const ids = c.row.original.personIds;
          const refs = c.row.original.recordRefs;
          if (ids.length === 0 && refs.length === 0) return <span className="muted">none</span>;
          return (
            <>
              <PersonIds ids={ids} href={personHref} focus={focusPersonId} />
              {refs.length > 0 ? (
                <span className="muted">
                  {ids.length > 0 ? '; ' : ''}
                  {refs.join(', ')}
                </span>
              ) : null}
            </>
          );
        },
      }),
      col.accessor((e) => e.purpose ?? '', {
        id: 'purpose',
        header: 'Purpose',
        cell: (c) => {
          const e = c.row.original;
          if (!e.purpose) return <span className="muted">none</span>;
          return (
            <>
              {e.purpose}
              {e.purposeReference ? <span className="muted"> ({e.purposeReference})</span> : null}
            </>
          );
        },
      }),
      col.accessor((e) => e.breakGlassReason ?? '', {
        id: 'reason',
        header: 'Break-glass reason',
        cell: (c) => c.row.original.breakGlassReason ?? <span className="muted">—</span>,
      }),
      col.accessor('outcome', {
        header: 'Outcome',
        cell: (c) => (
          <span className={`badge nowrap ${OUTCOME_TONE[c.getValue()]}`} data-outcome={c.getValue()}>
            {c.getValue()} <span className="status-code">{c.row.original.status}</span>
          </span>
        ),
      }),
      col.accessor((e) => Number(e.seq), {
        id: 'seq',
        header: 'Entry',
        meta: { numeric: true },
        cell: (c) => <span title={`request ${c.row.original.requestId}`}>{c.row.original.seq}</span>,
      }),
    ],
    [personHref, userHref, focusPersonId],
  );
  return (
    <DataTable
      data={entries}
      columns={columns}
      caption={caption}
      testId={testId}
      empty={empty}
      rowAttributes={(e) => ({
        'data-testid': rowTestId,
        'data-seq': e.seq,
        'data-username': e.username ?? undefined,
        'data-person-ids': e.personIds.join(','),
        'data-break-glass': e.breakGlassReason ? 'true' : 'false',
      })}
    />
  );
}
