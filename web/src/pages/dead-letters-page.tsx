import { useCallback, useMemo, useState } from 'react';
import { createColumnHelper } from '@tanstack/react-table';
import { api, HttpError, withQuery, type DeadLetterRetry, type DeadLetterView } from '../api.js';
import { AuditTime } from '../components/audit-entries-table.js';
import { DataTable } from '../components/data-table.js';
import { WithPurpose } from '../components/purpose-prompt.js';
import { ActionError, ErrorMessage, Loading } from '../components/status.js';
import { formatCount } from '../format.js';
import { Link, useLocation } from '../router.js';
import { useApi } from '../use-api.js';

/**
 * The observation stream's dead letters (docs/departures.md): what the stream's consumer gave up on,
 * with its error, to be put back on the stream once the cause is fixed. Dead letters hold records of
 * persons as their feeds sent them, so the page works under a purpose, and each look is audited.
 */
export function DeadLettersPage() {
  return (
    <>
      <h1>Dead letters</h1>
      <p className="hint">
        Observations the stream could not apply: a message that is no observation at once, any other after its
        fifth failed delivery, each with its last error. Retrying puts it back on the stream as a new message;
        if it fails again it comes back here.
      </p>
      <WithPurpose
        code="ingestion"
        label="Loading records from a feed"
        why="Dead letters hold records of persons as their feeds sent them; every look at them is recorded with its purpose."
        testIdPrefix="dead-letters"
      >
        <DeadLetters />
      </WithPurpose>
    </>
  );
}

function DeadLetters() {
  const { search } = useLocation();
  const afterText = search.get('after');
  const after = afterText && /^\d+$/.test(afterText) ? Number(afterText) : null;
  const list = useApi(`dead-letters:${after ?? ''}`, (signal) => api.deadLetters(after, signal));
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<HttpError | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = list.reload;
  const run = useCallback(
    (work: () => Promise<DeadLetterRetry>) => {
      setBusy(true);
      setNotice(null);
      setFailure(null);
      work().then(
        (r) => {
          setBusy(false);
          setNotice(retriedSentence(r));
          reload();
        },
        (err: unknown) => {
          setBusy(false);
          setFailure(HttpError.from(err));
          // A letter retried meanwhile (by someone else) is gone: show the list as it is now.
          reload();
        },
      );
    },
    [reload],
  );
  const retryOne = useCallback((seq: number) => run(() => api.retryDeadLetter(seq)), [run]);

  if (list.status === 'loading') return <Loading what="dead letters" />;
  if (list.status === 'error') {
    // Not an empty list: a server without a dead-letter stream says so, and so does this page.
    if (list.error.code === 'NO_DEAD_LETTER_STREAM')
      return (
        <div
          className="status"
          role="status"
          data-testid="dead-letters-not-configured"
          data-code={list.error.code}
        >
          <strong>Dead letters are not kept on this server.</strong> {sentence(list.error.message)} Records
          that could not be accepted are in <Link to="/quarantine">Quarantine</Link>.
        </div>
      );
    return <ErrorMessage error={list.error} retry={list.reload} />;
  }
  const { total, letters, next, stream } = list.data;
  return (
    <>
      {notice ? (
        <p className="status ok" role="status" data-testid="dead-letters-done">
          {notice}
        </p>
      ) : null}
      {failure ? <ActionError error={failure} testId="dead-letters-error" /> : null}
      <p data-testid="dead-letters-total" data-value={total}>
        {formatCount(total)} {total === 1 ? 'dead letter' : 'dead letters'} waiting in <code>{stream}</code>
        {letters.length < total ? `; ${letters.length} shown here` : ''}.
      </p>
      <div className="pager">
        <button
          type="button"
          onClick={() => run(() => api.retryAllDeadLetters())}
          disabled={busy || total === 0}
          data-testid="dead-letters-retry-all"
        >
          Retry all
        </button>
        <button type="button" onClick={list.reload} disabled={busy} data-testid="dead-letters-refresh">
          Refresh
        </button>
      </div>
      <DeadLetterTable letters={letters} busy={busy} onRetry={retryOne} />
      <nav aria-label="Dead letter pages" className="pager">
        {after !== null ? (
          <Link to="/dead-letters" data-testid="dead-letters-first">
            Oldest
          </Link>
        ) : null}
        {next !== null ? (
          <Link to={withQuery('/dead-letters', { after: next })} data-testid="dead-letters-next">
            Newer
          </Link>
        ) : null}
      </nav>
    </>
  );
}

/** A server message as a sentence: capital first, full stop last. */
const sentence = (message: string) => {
  const m = message.trim();
  return `${m.charAt(0).toUpperCase()}${m.slice(1)}${/[.!?]$/.test(m) ? '' : '.'}`;
};

/** What a retry did, in one sentence. */
function retriedSentence(r: DeadLetterRetry): string {
  const remain = `${formatCount(r.remaining)} ${r.remaining === 1 ? 'remains' : 'remain'}`;
  if (r.retried.length === 0) return `Nothing was waiting to be retried; ${remain}.`;
  if (r.retried.length === 1) {
    const l = r.retried[0]!;
    return `Dead letter ${l.seq}${l.recordId ? ` (${l.source ?? 'unknown source'} record ${l.recordId})` : ''} was put back on the stream; ${remain}.`;
  }
  return `${formatCount(r.retried.length)} dead letters were put back on the stream; ${remain}.`;
}

const col = createColumnHelper<DeadLetterView>();

function DeadLetterTable({
  letters,
  busy,
  onRetry,
}: {
  letters: readonly DeadLetterView[];
  busy: boolean;
  onRetry: (seq: number) => void;
}) {
  const columns = useMemo(
    () => [
      col.accessor('seq', { header: 'No.', meta: { numeric: true } }),
      col.accessor('failedAt', { header: 'Failed', cell: (c) => <AuditTime at={c.getValue()} /> }),
      col.accessor((l) => l.source ?? '', { id: 'source', header: 'Source' }),
      col.accessor((l) => l.recordId ?? '', {
        id: 'recordId',
        header: 'Source record',
        cell: (c) => (c.getValue() ? <code>{c.getValue()}</code> : <span className="muted">none</span>),
      }),
      col.accessor('deliveries', { header: 'Deliveries', meta: { numeric: true } }),
      col.accessor('error', { header: 'Error', enableSorting: false }),
      col.accessor('subject', {
        header: 'Subject',
        enableSorting: false,
        cell: (c) => <code>{c.getValue()}</code>,
      }),
      col.display({
        id: 'action',
        header: () => <span className="visually-hidden">Action</span>,
        cell: (c) => (
          <button
            type="button"
            onClick={() => onRetry(c.row.original.seq)}
            disabled={busy}
            data-testid="dead-letter-retry"
          >
            Retry<span className="visually-hidden"> dead letter {c.row.original.seq}</span>
          </button>
        ),
      }),
    ],
    [busy, onRetry],
  );
  return (
    <DataTable
      data={letters}
      columns={columns}
      caption="Dead letters, oldest first"
      testId="dead-letters-table"
      empty="No dead letters: everything published to the stream has been applied."
      rowAttributes={(l) => ({
        'data-testid': 'dead-letter-row',
        'data-seq': l.seq,
        'data-source': l.source ?? '',
        'data-record-id': l.recordId ?? '',
      })}
    />
  );
}
