import { useMemo, useState, type FormEvent } from 'react';
import { createColumnHelper } from '@tanstack/react-table';
import { api, HttpError, type AccountChangeAnswer, type AccountView, type UsersAnswer } from '../api.js';
import { AuditTime } from '../components/audit-entries-table.js';
import { DataTable } from '../components/data-table.js';
import { ErrorMessage, Loading } from '../components/status.js';
import { useUser } from '../session.js';
import { useApi } from '../use-api.js';

/** Roles that sign in with a second factor (src/access/accounts.ts requiresTotp). */
const TOTP_ROLES = ['supervisor', 'admin'];

const SECOND_FACTOR: Record<AccountView['secondFactor'], string> = {
  enrolled: 'Set up',
  missing: 'Missing: cannot sign in',
  'not-needed': 'Not needed',
};

/** A refused change in the server's words (a taken name, an unknown office); anything else as usual. */
function FormError({ error }: { error: HttpError }) {
  if (error.status === 400 || error.status === 409)
    return (
      <p className="status error" role="alert" data-testid="user-form-error" data-code={error.code}>
        <strong>Not done:</strong> {error.message}.
      </p>
    );
  return <ErrorMessage error={error} />;
}

/** A secret handed over once: who it is for, and why it matters. */
interface Handover {
  readonly username: string;
  readonly why: string;
  readonly totpSecret: string;
  readonly otpauthUri: string;
}

/**
 * Staff accounts (admin): create, change role and office, disable and enable, reset the second factor.
 * Every change is recorded in the audit log. A TOTP secret is shown once, right after it is made.
 */
export function UsersPage() {
  const list = useApi('users', (signal) => api.users(signal));
  const [notice, setNotice] = useState<string | null>(null);
  const [handover, setHandover] = useState<Handover | null>(null);
  const [managing, setManaging] = useState<string | null>(null);

  const changed = (message: string, answer?: AccountChangeAnswer, why = '') => {
    setNotice(message);
    if (answer?.totpSecret && answer.otpauthUri)
      setHandover({
        username: answer.user.username,
        why,
        totpSecret: answer.totpSecret,
        otpauthUri: answer.otpauthUri,
      });
    list.reload();
  };

  return (
    <>
      <h1>User admin</h1>
      <p className="hint">
        Staff accounts and their roles. Accounts are disabled, never deleted, so the audit log keeps naming
        them. Every change here is recorded in the audit log. You cannot change your own account: ask another
        administrator.
      </p>
      {notice ? (
        <p className="status ok" role="status" data-testid="users-notice">
          {notice}
        </p>
      ) : null}
      {handover ? <TotpHandover handover={handover} onDone={() => setHandover(null)} /> : null}
      {list.status === 'loading' ? <Loading what="accounts" /> : null}
      {list.status === 'error' ? <ErrorMessage error={list.error} retry={list.reload} /> : null}
      {list.status === 'ok' ? (
        <>
          <AccountsTable users={list.data.users} managing={managing} onManage={setManaging} />
          {managing && list.data.users.some((u) => u.id === managing) ? (
            <ManageAccount
              key={managing}
              account={list.data.users.find((u) => u.id === managing)!}
              meta={list.data}
              onClose={() => setManaging(null)}
              onChanged={changed}
            />
          ) : null}
          <CreateAccount meta={list.data} onCreated={changed} />
        </>
      ) : null}
    </>
  );
}

const col = createColumnHelper<AccountView>();

function AccountsTable({
  users,
  managing,
  onManage,
}: {
  users: readonly AccountView[];
  managing: string | null;
  onManage: (id: string) => void;
}) {
  const me = useUser();
  const columns = useMemo(
    () => [
      col.accessor('username', { header: 'User name' }),
      col.accessor('role', { header: 'Role' }),
      col.accessor((u) => u.office ?? '', {
        id: 'office',
        header: 'Office',
        cell: (c) => c.row.original.office ?? <span className="muted">none</span>,
      }),
      col.accessor('secondFactor', {
        header: 'Second factor',
        cell: (c) => (
          <span className={c.getValue() === 'missing' ? 'field-error' : undefined}>
            {SECOND_FACTOR[c.getValue()]}
          </span>
        ),
      }),
      col.accessor((u) => u.disabledAt ?? '', {
        id: 'state',
        header: 'State',
        cell: (c) => {
          const at = c.row.original.disabledAt;
          return at ? (
            <span className="badge badge-bad" data-state="disabled">
              Disabled <AuditTime at={at} />
            </span>
          ) : (
            <span className="badge badge-good" data-state="active">
              Active
            </span>
          );
        },
      }),
      col.accessor('createdAt', { header: 'Created', cell: (c) => <AuditTime at={c.getValue()} /> }),
      col.display({
        id: 'actions',
        header: () => <span className="visually-hidden">Actions</span>,
        cell: (c) => {
          const u = c.row.original;
          if (u.id === me?.id) return <span className="muted">your account</span>;
          return (
            <button
              type="button"
              onClick={() => onManage(u.id)}
              aria-expanded={managing === u.id}
              aria-controls="manage-account"
              data-testid="user-manage"
            >
              Manage<span className="visually-hidden"> {u.username}</span>
            </button>
          );
        },
      }),
    ],
    [me?.id, managing, onManage],
  );
  return (
    <DataTable
      data={users}
      columns={columns}
      caption={`${users.length} ${users.length === 1 ? 'account' : 'accounts'}`}
      testId="users-table"
      initialSorting={[{ id: 'username', desc: false }]}
      empty="No accounts."
      rowAttributes={(u) => ({
        'data-testid': 'user-row',
        'data-username': u.username,
        'data-role': u.role,
        'data-disabled': u.disabledAt ? 'true' : 'false',
      })}
    />
  );
}

/** The secret for the user's authenticator app, shown once: it cannot be read back later. */
function TotpHandover({ handover, onDone }: { handover: Handover; onDone: () => void }) {
  return (
    <section className="handover" aria-labelledby="handover-heading" data-testid="totp-handover">
      <h2 id="handover-heading">Second factor for {handover.username}: shown this once</h2>
      <p>
        {handover.why} Give this secret to <strong>{handover.username}</strong> in person or over a trusted
        channel, for their authenticator app. It is not shown again; if it is lost, reset the second factor.
      </p>
      <dl className="facts">
        <dt>Secret</dt>
        <dd>
          <code className="secret" data-testid="totp-secret">
            {handover.totpSecret}
          </code>
        </dd>
        <dt>Link for the app</dt>
        <dd>
          <code className="secret" data-testid="totp-uri">
            {handover.otpauthUri}
          </code>
        </dd>
      </dl>
      <button type="button" onClick={onDone} data-testid="totp-dismiss">
        Handed over: hide it
      </button>
    </section>
  );
}

function RoleSelect({
  id,
  value,
  roles,
  onChange,
  testId,
}: {
  id: string;
  value: string;
  roles: readonly string[];
  onChange: (role: string) => void;
  testId: string;
}) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)} required data-testid={testId}>
      {roles.map((r) => (
        <option key={r} value={r}>
          {r}
          {TOTP_ROLES.includes(r) ? ' (second factor)' : ''}
        </option>
      ))}
    </select>
  );
}

function OfficeSelect({
  id,
  value,
  offices,
  onChange,
  testId,
}: {
  id: string;
  value: string;
  offices: UsersAnswer['offices'];
  onChange: (office: string) => void;
  testId: string;
}) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      <option value="">No office</option>
      {offices.map((o) => (
        <option key={o.id} value={o.id}>
          {o.name} ({o.id})
        </option>
      ))}
    </select>
  );
}

function CreateAccount({
  meta,
  onCreated,
}: {
  meta: UsersAnswer;
  onCreated: (message: string, answer: AccountChangeAnswer, why: string) => void;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState('officer');
  const [office, setOffice] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<HttpError | null>(null);
  const { rules } = meta;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    api.createUser({ username: username.trim(), password, role, office: office || null }).then(
      (answer) => {
        setBusy(false);
        setUsername('');
        setPassword('');
        onCreated(
          `Account ${answer.user.username} (${answer.user.role}) created.`,
          answer,
          `${answer.user.username} signs in with a second factor.`,
        );
      },
      (err: unknown) => {
        setBusy(false);
        setError(HttpError.from(err));
      },
    );
  };

  return (
    <section aria-labelledby="create-heading">
      <h2 id="create-heading">New account</h2>
      <form className="user-form" onSubmit={submit} data-testid="user-create-form">
        <div className="field">
          <label htmlFor="new-username">User name</label>
          <input
            id="new-username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
            pattern={rules.usernamePattern.replace(/^\^|\$$/g, '')}
            maxLength={64}
            autoComplete="off"
            aria-describedby="new-username-rule"
            data-testid="user-create-username"
          />
          <span className="hint" id="new-username-rule">
            {rules.username}.
          </span>
        </div>
        <div className="field">
          <label htmlFor="new-password">First password</label>
          <input
            id="new-password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            minLength={rules.passwordMinLength}
            maxLength={rules.passwordMaxLength}
            autoComplete="new-password"
            aria-describedby="new-password-rule"
            data-testid="user-create-password"
          />
          <span className="hint" id="new-password-rule" data-testid="password-rules">
            {rules.password[0]!.toUpperCase() + rules.password.slice(1)}.
          </span>
        </div>
        <div className="field">
          <label htmlFor="new-role">Role</label>
          <RoleSelect
            id="new-role"
            value={role}
            roles={meta.roles}
            onChange={setRole}
            testId="user-create-role"
          />
          {TOTP_ROLES.includes(role) ? (
            <span className="hint">
              This role signs in with a second factor: its secret is shown once, after creating.
            </span>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="new-office">Office</label>
          <OfficeSelect
            id="new-office"
            value={office}
            offices={meta.offices}
            onChange={setOffice}
            testId="user-create-office"
          />
          {role === 'officer' ? (
            <span className="hint">An officer sees the persons of their own office.</span>
          ) : null}
        </div>
        {error ? <FormError error={error} /> : null}
        <div className="actions">
          <button type="submit" disabled={busy} data-testid="user-create-submit">
            {busy ? 'Creating…' : 'Create account'}
          </button>
        </div>
      </form>
    </section>
  );
}

function ManageAccount({
  account,
  meta,
  onClose,
  onChanged,
}: {
  account: AccountView;
  meta: UsersAnswer;
  onClose: () => void;
  onChanged: (message: string, answer?: AccountChangeAnswer, why?: string) => void;
}) {
  const [role, setRole] = useState(account.role as string);
  const [office, setOffice] = useState(account.office ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<HttpError | null>(null);
  const name = account.username;

  const run = <T,>(call: () => Promise<T>, done: (r: T) => void) => {
    setBusy(true);
    setError(null);
    call().then(
      (r) => {
        setBusy(false);
        done(r);
      },
      (err: unknown) => {
        setBusy(false);
        setError(HttpError.from(err));
      },
    );
  };

  const save = (e: FormEvent) => {
    e.preventDefault();
    const change: { role?: string; office?: string | null } = {};
    if (role !== account.role) change.role = role;
    if (office !== (account.office ?? '')) change.office = office || null;
    if (Object.keys(change).length === 0) return;
    run(
      () => api.updateUser(account.id, change),
      (answer) =>
        onChanged(
          `${name} is now ${answer.user.role}${answer.user.office ? ` of ${answer.user.office}` : ', with no office'}.`,
          answer,
          `The ${answer.user.role} role signs in with a second factor, which ${name} did not have.`,
        ),
    );
  };

  return (
    <section
      id="manage-account"
      className="manage-account"
      aria-labelledby="manage-heading"
      data-testid="user-manage-panel"
      data-username={name}
    >
      <h2 id="manage-heading">Manage {name}</h2>
      <form className="user-form" onSubmit={save} data-testid="user-edit-form">
        <div className="field">
          <label htmlFor="edit-role">Role</label>
          <RoleSelect
            id="edit-role"
            value={role}
            roles={meta.roles}
            onChange={setRole}
            testId="user-edit-role"
          />
        </div>
        <div className="field">
          <label htmlFor="edit-office">Office</label>
          <OfficeSelect
            id="edit-office"
            value={office}
            offices={meta.offices}
            onChange={setOffice}
            testId="user-edit-office"
          />
        </div>
        <div className="actions">
          <button
            type="submit"
            disabled={busy || (role === account.role && office === (account.office ?? ''))}
            data-testid="user-edit-save"
          >
            Save role and office
          </button>
        </div>
      </form>
      <div className="actions">
        {account.disabledAt ? (
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              run(
                () => api.setUserDisabled(account.id, false),
                () => onChanged(`${name} is enabled and may sign in again.`),
              )
            }
            data-testid="user-enable"
          >
            Enable {name}
          </button>
        ) : (
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={() =>
              run(
                () => api.setUserDisabled(account.id, true),
                () => onChanged(`${name} is disabled: their sessions have ended and they cannot sign in.`),
              )
            }
            data-testid="user-disable"
          >
            Disable {name} (ends their sessions)
          </button>
        )}
        {TOTP_ROLES.includes(account.role) ? (
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              run(
                () => api.resetUserTotp(account.id),
                (answer) =>
                  onChanged(
                    `${name} has a new second factor; the old codes no longer work and their sessions have ended.`,
                    answer,
                    'The second factor was reset.',
                  ),
              )
            }
            data-testid="user-reset-totp"
          >
            Reset the second factor
          </button>
        ) : null}
        <button type="button" onClick={onClose} disabled={busy}>
          Close
        </button>
      </div>
      {error ? <FormError error={error} /> : null}
    </section>
  );
}
