import { useState, type FormEvent, type ReactNode } from 'react';
import {
  api,
  HttpError,
  withQuery,
  type AuditEntry,
  type AuditQuery,
  type AuditVerification,
} from '../api.js';
import { AuditEntriesTable } from '../components/audit-entries-table.js';
import { ErrorMessage, Loading } from '../components/status.js';
import { formatCount } from '../format.js';
import { setPurpose, usePurpose } from '../purpose.js';
import { Link, navigate, useLocation } from '../router.js';
import { useUser } from '../session.js';
import { useApi } from '../use-api.js';

/** The purpose audit reads are made for (config/purposes.json). */
const AUDIT_PURPOSE = 'audit';
/** Entries per page; "Older entries" pages back from the last one shown. */
const PAGE = 100;

type View = 'break-glass' | 'person' | 'user' | 'status';

/** The views, and who may use each (the server decides: src/access/policy.ts, audit-routes.ts). */
const VIEWS: readonly { id: View; label: string; roles: readonly string[] }[] = [
  { id: 'break-glass', label: 'Break-glass review', roles: ['auditor', 'supervisor'] },
  { id: 'person', label: 'Who looked at a person', roles: ['auditor'] },
  { id: 'user', label: 'What a user did', roles: ['auditor'] },
  { id: 'status', label: 'Chain status and export', roles: ['auditor', 'admin'] },
];

const auditHref = (query: Record<string, string | undefined>) => withQuery('/audit', query);
const personViewHref = (personId: string) => auditHref({ view: 'person', personId });
const userViewHref = (username: string) => auditHref({ view: 'user', username });
const personPageHref = (personId: string) => `/persons/${encodeURIComponent(personId)}`;

/**
 * Oversight of access to personal data (PRODUCT.md principle 6): who looked at a person and why, what a
 * user did, break-glass accesses to review, and whether the hash chain holds, with an export for an
 * inspector. Auditors see every view; supervisors review break-glass accesses; admins watch the chain.
 */
export function AuditPage() {
  const user = useUser();
  const { search } = useLocation();
  const views = VIEWS.filter((v) => v.roles.includes(user?.role ?? ''));
  if (views.length === 0)
    return (
      <>
        <h1>Audit</h1>
        <ErrorMessage error={new HttpError(403, 'FORBIDDEN', 'not an audit role')} />
      </>
    );
  const view = views.find((v) => v.id === search.get('view')) ?? views[0]!;
  const before = search.get('before') ?? undefined;
  return (
    <>
      <h1>Audit</h1>
      <p className="hint">
        Every access to personal data leaves one entry in an append-only, hash-chained log: who, as what,
        when, which persons, for what purpose, and how it ended. Reading the log is itself recorded.
      </p>
      {views.length > 1 ? (
        <nav aria-label="Audit views" className="tabs">
          {views.map((v) => (
            <Link
              key={v.id}
              to={auditHref({ view: v.id })}
              aria-current={v.id === view.id ? 'page' : undefined}
              data-testid={`audit-tab-${v.id}`}
            >
              {v.label}
            </Link>
          ))}
        </nav>
      ) : null}
      {view.id === 'status' ? <ChainStatus canExport={user?.role === 'auditor'} /> : null}
      {view.id === 'break-glass' ? (
        <WithAuditPurpose>
          <BreakGlassReview before={before} linkPersons={user?.role === 'supervisor'} />
        </WithAuditPurpose>
      ) : null}
      {view.id === 'person' ? (
        <WithAuditPurpose>
          <PersonAccesses personId={search.get('personId')?.trim() ?? ''} before={before} />
        </WithAuditPurpose>
      ) : null}
      {view.id === 'user' ? (
        <WithAuditPurpose>
          <UserActions username={search.get('username')?.trim() ?? ''} before={before} />
        </WithAuditPurpose>
      ) : null}
    </>
  );
}

/**
 * Audit reads name a purpose like any read of personal data. Without one nothing is asked of the server
 * (a refused read would itself be an entry); the page offers the purpose Audit instead.
 */
function WithAuditPurpose({ children }: { children: ReactNode }) {
  const purpose = usePurpose();
  if (!purpose) return <AuditPurposePrompt />;
  return (
    <>
      {purpose.code !== AUDIT_PURPOSE ? (
        <p className="status" role="status" data-testid="audit-purpose-other">
          You are working under the purpose <strong>{purpose.code}</strong>; these reads are recorded with it.{' '}
          <button
            type="button"
            onClick={() => setPurpose({ code: AUDIT_PURPOSE, reference: '' })}
            data-testid="audit-purpose-use"
          >
            Switch to Audit
          </button>
        </p>
      ) : null}
      {children}
    </>
  );
}

function AuditPurposePrompt() {
  return (
    <div className="status purpose-prompt" role="status" data-testid="audit-purpose-prompt">
      <p>
        <strong>Choose a purpose of use first.</strong> Reading the audit log is itself recorded, with its
        purpose. Choose <em>Audit</em> in the Purpose list at the top of the page, or:
      </p>
      <button
        type="button"
        onClick={() => setPurpose({ code: AUDIT_PURPOSE, reference: '' })}
        data-testid="audit-purpose-use"
      >
        Work under the purpose Audit
      </button>
    </div>
  );
}

/** A page of entries, with links to page back in time and to return to the newest. */
function Entries({
  query,
  keyOf,
  what,
  render,
  pageOf,
}: {
  query: AuditQuery;
  keyOf: string;
  what: string;
  render: (entries: AuditEntry[]) => ReactNode;
  /** The address of the page before the given entry number (undefined: the newest). */
  pageOf: (before: string | undefined) => string;
}) {
  // A new purpose asks again by itself (use-api.ts).
  const result = useApi(`audit:${keyOf}:${query.before ?? ''}`, (signal) =>
    api.auditEntries({ ...query, limit: PAGE }, signal),
  );
  if (result.status === 'loading') return <Loading what={what} />;
  if (result.status === 'error') return <ErrorMessage error={result.error} retry={result.reload} />;
  const entries = result.data.entries;
  const last = entries[entries.length - 1];
  return (
    <>
      {entries.length > 0 ? (
        <p data-testid="audit-count">
          {formatCount(entries.length)} {entries.length === 1 ? 'entry' : 'entries'}
          {query.before ? ` before entry ${query.before}` : ''}, newest first
          {entries.length === PAGE ? ' (older ones on the next page)' : ''}.
        </p>
      ) : null}
      {render(entries)}
      <p className="pager">
        {query.before ? (
          <Link to={pageOf(undefined)} data-testid="audit-newest">
            Newest entries
          </Link>
        ) : null}{' '}
        {entries.length === PAGE && last ? (
          <Link to={pageOf(last.seq)} data-testid="audit-older">
            Older entries
          </Link>
        ) : null}
      </p>
    </>
  );
}

function BreakGlassReview({ before, linkPersons }: { before: string | undefined; linkPersons: boolean }) {
  return (
    <section aria-labelledby="break-glass-heading">
      <h2 id="break-glass-heading">Break-glass accesses to review</h2>
      <p className="hint">
        An officer may open a person outside their office by writing down why. Each such access is allowed,
        and listed here with its reason for review.
      </p>
      <Entries
        query={{ breakGlass: true, before }}
        keyOf="break-glass"
        what="break-glass accesses"
        pageOf={(b) => auditHref({ view: 'break-glass', before: b })}
        render={(entries) => (
          <AuditEntriesTable
            entries={entries}
            caption="Accesses opened with a written reason, newest first"
            testId="break-glass-table"
            rowTestId="break-glass-entry"
            empty="No break-glass access has been recorded."
            // Supervisors review the person's record; auditors see who else looked at the person.
            personHref={linkPersons ? personPageHref : personViewHref}
            userHref={linkPersons ? null : userViewHref}
          />
        )}
      />
    </section>
  );
}

/** A search form that puts its one value in the page address, so a view can be bookmarked. */
function FilterForm({
  id,
  label,
  hint,
  initial,
  pattern,
  testId,
  onSubmit,
}: {
  id: string;
  label: string;
  hint: string;
  initial: string;
  pattern?: string;
  testId: string;
  onSubmit: (value: string) => void;
}) {
  const [value, setValue] = useState(initial);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = value.trim();
    if (v) onSubmit(v);
  };
  return (
    <form className="audit-filter" onSubmit={submit} role="search" aria-label={label}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        required
        maxLength={64}
        {...(pattern ? { pattern } : {})}
        aria-describedby={`${id}-hint`}
        data-testid={`${testId}-input`}
      />
      <button type="submit" data-testid={`${testId}-submit`}>
        Show
      </button>
      <span className="hint" id={`${id}-hint`}>
        {hint}
      </span>
    </form>
  );
}

function PersonAccesses({ personId, before }: { personId: string; before: string | undefined }) {
  const valid = /^[0-9]{1,18}$/.test(personId);
  return (
    <section aria-labelledby="person-accesses-heading">
      <h2 id="person-accesses-heading">Who looked at a person, and why</h2>
      <FilterForm
        key={personId}
        id="audit-person-id"
        label="Person id"
        hint="The number in the person's address (/persons/…)."
        initial={personId}
        pattern="[0-9]{1,18}"
        testId="audit-person"
        onSubmit={(v) => navigate(auditHref({ view: 'person', personId: v }))}
      />
      {personId === '' ? (
        <p className="empty-state" data-testid="audit-empty-filter">
          Type a person id to see every access to that person's records.
        </p>
      ) : !valid ? (
        <p className="status error" role="alert">
          A person id is a number.
        </p>
      ) : (
        <Entries
          query={{ personId, before }}
          keyOf={`person:${personId}`}
          what={`accesses to person ${personId}`}
          pageOf={(b) => auditHref({ view: 'person', personId, before: b })}
          render={(entries) => (
            <AuditEntriesTable
              entries={entries}
              caption={`Accesses to person ${personId}, newest first`}
              testId="audit-entries"
              rowTestId="audit-entry"
              empty={`No access to person ${personId} is recorded.`}
              focusPersonId={personId}
              personHref={personViewHref}
              userHref={userViewHref}
            />
          )}
        />
      )}
    </section>
  );
}

function UserActions({ username, before }: { username: string; before: string | undefined }) {
  return (
    <section aria-labelledby="user-actions-heading">
      <h2 id="user-actions-heading">What a user did</h2>
      <FilterForm
        key={username}
        id="audit-username"
        label="User name"
        hint="As the user signs in, e.g. demo.officer."
        initial={username}
        testId="audit-user"
        onSubmit={(v) => navigate(auditHref({ view: 'user', username: v }))}
      />
      {username === '' ? (
        <p className="empty-state" data-testid="audit-empty-filter">
          Type a user name to see every recorded access and change that user made.
        </p>
      ) : (
        <Entries
          query={{ username, before }}
          keyOf={`user:${username}`}
          what={`what ${username} did`}
          pageOf={(b) => auditHref({ view: 'user', username, before: b })}
          render={(entries) => (
            <AuditEntriesTable
              entries={entries}
              caption={`Recorded actions of ${username}, newest first`}
              testId="audit-entries"
              rowTestId="audit-entry"
              empty={`Nothing is recorded for ${username}.`}
              personHref={personViewHref}
              userHref={userViewHref}
            />
          )}
        />
      )}
    </section>
  );
}

/** The whole chain and every signed checkpoint, verified on the server when the view opens. */
function ChainStatus({ canExport }: { canExport: boolean }) {
  const status = useApi('audit:status', (signal) => api.auditStatus(signal));
  return (
    <>
      <section aria-labelledby="chain-heading">
        <h2 id="chain-heading">Chain status</h2>
        {status.status === 'loading' ? <Loading what="the verification of the whole chain" /> : null}
        {status.status === 'error' ? <ErrorMessage error={status.error} retry={status.reload} /> : null}
        {status.status === 'ok' ? <Verification result={status.data} reload={status.reload} /> : null}
      </section>
      {canExport ? <Export /> : null}
    </>
  );
}

function Verification({ result, reload }: { result: AuditVerification; reload: () => void }) {
  const broken = result.firstBroken;
  return (
    <div data-testid="chain-status" data-ok={result.ok ? 'true' : 'false'}>
      {result.ok ? (
        <p className="status ok" role="status" data-testid="chain-verdict">
          <strong>Intact.</strong> All {formatCount(result.entries)} entries link up and hash to what they
          hold;{' '}
          {result.checkpoints === 1 ? 'the signed checkpoint verifies' : 'every signed checkpoint verifies'}
          {result.checkpoints === 0 ? ' (none signed yet)' : ''}.
        </p>
      ) : (
        <div className="status error" role="alert" data-testid="chain-verdict">
          <strong>Broken.</strong>{' '}
          {broken ? (
            <span data-testid="chain-first-broken" data-seq={broken.seq}>
              The first entry that does not hold is number {broken.seq}: {broken.reason}.
            </span>
          ) : (
            'The entries hold, but not every checkpoint does.'
          )}
        </div>
      )}
      <dl className="facts">
        <dt>Entries</dt>
        <dd data-testid="chain-entries">{formatCount(result.entries)}</dd>
        <dt>Head</dt>
        <dd data-testid="chain-head">
          {result.head ? (
            <>
              entry {result.head.seq}, hash <code className="hash">{result.head.hash}</code>
            </>
          ) : (
            <span className="muted">no entries yet</span>
          )}
        </dd>
        <dt>Signed checkpoints</dt>
        <dd data-testid="chain-checkpoints">{formatCount(result.checkpoints)}</dd>
        {result.checkpointProblems.length > 0 ? (
          <>
            <dt>Checkpoint problems</dt>
            <dd>
              <ul data-testid="chain-checkpoint-problems">
                {result.checkpointProblems.map((p) => (
                  <li key={p.seq}>
                    Checkpoint at entry {p.seq}: {p.reason}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        <dt>Signing keys</dt>
        <dd data-testid="chain-keys">
          {result.signedBy.length === 0 ? (
            <span className="muted">no checkpoint signed yet</span>
          ) : (
            <ul className="keys">
              {result.signedBy.map((k) => (
                <li key={k}>
                  <code className="hash">{k}</code>
                </li>
              ))}
            </ul>
          )}
          <span className="hint"> An inspector compares these with the published public key.</span>
        </dd>
      </dl>
      <button type="button" onClick={reload} data-testid="chain-verify-again">
        Verify again
      </button>
    </div>
  );
}

type ExportState =
  | { status: 'idle' }
  | { status: 'busy' }
  | { status: 'done'; bytes: number }
  | { status: 'error'; error: HttpError };

/** The chain with its signed checkpoints as NDJSON, for an inspector (`imos audit verify --file`). */
function Export() {
  const purpose = usePurpose();
  const [state, setState] = useState<ExportState>({ status: 'idle' });
  const download = () => {
    setState({ status: 'busy' });
    api.auditExport().then(
      (blob) => {
        const url = URL.createObjectURL(blob);
        const a = document.createElement('a');
        a.href = url;
        a.download = `imos-audit-${new Date().toISOString().slice(0, 10)}.ndjson`;
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        setState({ status: 'done', bytes: blob.size });
      },
      (err: unknown) =>
        setState({
          status: 'error',
          error: HttpError.from(err),
        }),
    );
  };
  return (
    <section aria-labelledby="export-heading">
      <h2 id="export-heading">Export for an inspector</h2>
      <p className="hint">
        Every entry with the signed checkpoints and their public keys, one JSON object a line. An inspector
        checks it with <code>imos audit verify --file</code>, against the published public key. The export is
        recorded.
      </p>
      {!purpose ? (
        <AuditPurposePrompt />
      ) : (
        <button
          type="button"
          onClick={download}
          disabled={state.status === 'busy'}
          data-testid="audit-export"
        >
          {state.status === 'busy' ? 'Preparing the export…' : 'Download the export (NDJSON)'}
        </button>
      )}
      {state.status === 'done' ? (
        <p className="status ok" role="status" data-testid="audit-export-done">
          Downloaded {formatCount(state.bytes)} bytes.
        </p>
      ) : null}
      {state.status === 'error' ? <ErrorMessage error={state.error} /> : null}
    </section>
  );
}
