import { useState, type FormEvent } from 'react';
import { FLAT_COLUMNS } from '../../../src/core/observation/flat-columns.js';
import { OBSERVATION_KINDS } from '../../../src/core/observation/observation.js';
import { api, HttpError, withQuery, type FieldError, type FlatRecord, type QuarantineEntry } from '../api.js';
import { ErrorMessage, Loading } from '../components/status.js';
import { formatCount } from '../format.js';
import { Link, useLocation } from '../router.js';
import { useApi } from '../use-api.js';

type Entry = QuarantineEntry & { fields?: FlatRecord };
const STATUSES = ['open', 'resubmitted', 'discarded'] as const;

/** Records that failed validation, with every field error; a data engineer fixes and resubmits, or discards with a reason. */
export function QuarantinePage() {
  const { search } = useLocation();
  const raw = search.get('status');
  const status = (STATUSES as readonly string[]).includes(raw ?? '') ? raw! : 'open';
  const list = useApi(`quarantine:${status}`, (signal) => api.quarantine(status, signal));
  // Said at page level: a resolved record leaves the open list when it reloads.
  const [notice, setNotice] = useState<string | null>(null);
  const resolved = (message: string) => {
    setNotice(message);
    list.reload();
  };
  return (
    <>
      <h1>Quarantine</h1>
      <p className="hint">
        Records that could not be accepted, kept exactly as received, with the reason for each field.
      </p>
      <nav aria-label="Quarantine status" className="tabs">
        {STATUSES.map((s) => (
          <Link
            key={s}
            to={withQuery('/quarantine', { status: s === 'open' ? undefined : s })}
            aria-current={s === status ? 'page' : undefined}
          >
            {s[0]!.toUpperCase() + s.slice(1)}
          </Link>
        ))}
      </nav>
      {notice ? (
        <p className="status ok" role="status" data-testid="quarantine-done">
          {notice}
        </p>
      ) : null}
      {list.status === 'loading' ? <Loading what="quarantined records" /> : null}
      {list.status === 'error' ? <ErrorMessage error={list.error} retry={list.reload} /> : null}
      {list.status === 'ok' ? (
        <>
          <p data-testid="quarantine-total">
            {formatCount(list.data.total)} {status} {list.data.total === 1 ? 'record' : 'records'}
            {list.data.entries.length < list.data.total
              ? `; the first ${list.data.entries.length} are shown`
              : ''}
            .
          </p>
          <ol className="quarantine-list" data-testid="quarantine-list">
            {list.data.entries.map((e) => (
              <QuarantineItem key={e.id} entry={e} onResolved={resolved} />
            ))}
          </ol>
        </>
      ) : null}
    </>
  );
}

function QuarantineItem({ entry, onResolved }: { entry: Entry; onResolved: (message: string) => void }) {
  const [open, setOpen] = useState(false);
  const where = [entry.file, entry.line !== null ? `line ${entry.line}` : null].filter(Boolean).join(', ');
  return (
    <li className="quarantine-entry" data-testid="quarantine-entry" data-entry-id={entry.id}>
      <h2>
        Record {entry.id}{' '}
        <span className="muted">
          from {entry.source}
          {where ? ` (${where})` : ''}
        </span>
      </h2>
      {entry.sourceRecordId ? (
        <p>
          Source record id: <code>{entry.sourceRecordId}</code>
        </p>
      ) : null}
      <pre className="raw" aria-label="The record as received">
        {entry.content}
      </pre>
      <ul className="field-errors" data-testid="quarantine-errors">
        {entry.errors.map((err, i) => (
          <li key={i} data-field={err.field}>
            <code>{err.field === '*' ? 'whole record' : err.field}</code>: {err.reason}
          </li>
        ))}
      </ul>
      {entry.resolution ? <p className="muted">{entry.resolution}</p> : null}
      {entry.status === 'open' ? (
        open ? (
          <FixForm
            entry={entry}
            onCancel={() => setOpen(false)}
            onDone={(message) => {
              setOpen(false);
              onResolved(`Record ${entry.id}: ${message}`);
            }}
          />
        ) : (
          <button type="button" onClick={() => setOpen(true)} data-testid="quarantine-fix">
            Fix this record
          </button>
        )
      ) : null}
    </li>
  );
}

/** Splits one CSV line (RFC 4180 quoting). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Where the fix form's starting values came from, so the form can say how far to trust them. */
export type FieldsOrigin = 'server' | 'json' | 'standard-columns' | 'none';

/**
 * The record's fields as a starting point for the fix: from the server when it sends them; else read
 * from the raw content: JSON, or a CSV line when it has exactly the standard columns (docs/formats.md)
 * with a record kind in the kind column. Otherwise nothing is guessed.
 */
export function initialFields(entry: Entry): { fields: FlatRecord; origin: FieldsOrigin } {
  if (entry.fields) return { fields: entry.fields, origin: 'server' };
  const text = entry.content.trim();
  if (text.startsWith('{')) {
    try {
      const obj = JSON.parse(text) as Record<string, unknown>;
      const out: FlatRecord = {};
      for (const c of FLAT_COLUMNS)
        if (typeof obj[c] === 'string' || typeof obj[c] === 'number') out[c] = String(obj[c]);
      return { fields: out, origin: 'json' };
    } catch {
      return { fields: {}, origin: 'none' };
    }
  }
  const cells = splitCsvLine(text);
  const kindAt = FLAT_COLUMNS.indexOf('kind');
  if (
    cells.length !== FLAT_COLUMNS.length ||
    !(OBSERVATION_KINDS as readonly string[]).includes(cells[kindAt] ?? '')
  )
    return { fields: {}, origin: 'none' };
  const out: FlatRecord = {};
  FLAT_COLUMNS.forEach((c, i) => {
    if (cells[i]) out[c] = cells[i];
  });
  return { fields: out, origin: 'standard-columns' };
}

const ORIGIN_NOTE: Record<FieldsOrigin, string | null> = {
  server: null,
  json: null,
  'standard-columns':
    'The fields were read from the record assuming the standard column order. Check them before resubmitting.',
  none: "The record's columns could not be read (its feed's header is not at hand). Type the fields from the record as received above.",
};

function FixForm({
  entry,
  onCancel,
  onDone,
}: {
  entry: Entry;
  onCancel: () => void;
  onDone: (message: string) => void;
}) {
  const [initial] = useState(() => initialFields(entry));
  const [fields, setFields] = useState<FlatRecord>(initial.fields);
  const [errors, setErrors] = useState<readonly FieldError[]>(entry.errors);
  const [failure, setFailure] = useState<HttpError | null>(null);
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState('');
  const formId = `fix-${entry.id}`;
  const errorsOf = (field: string) => errors.filter((e) => e.field === field);
  const recordErrors = errors.filter((e) => !(FLAT_COLUMNS as readonly string[]).includes(e.field));

  const resubmit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    const filled: FlatRecord = {};
    for (const c of FLAT_COLUMNS) {
      const v = fields[c]?.trim();
      if (v) filled[c] = v;
    }
    api.resubmit(entry.id, filled).then(
      (r) => onDone(`Resubmitted${r.rawRecordId ? ` as raw record ${r.rawRecordId}` : ''}.`),
      (err: unknown) => {
        setBusy(false);
        if (err instanceof HttpError && err.code === 'STILL_INVALID' && Array.isArray(err.details))
          setErrors(err.details as FieldError[]);
        else if (err instanceof HttpError && err.code === 'VALIDATION_FAILED')
          setErrors([{ field: '*', reason: err.message }]);
        else setFailure(HttpError.from(err));
      },
    );
  };

  const discard = () => {
    setBusy(true);
    setFailure(null);
    api.discard(entry.id, reason.trim()).then(
      () => onDone('Discarded. The record is kept, marked discarded, with your reason.'),
      (err: unknown) => {
        setBusy(false);
        setFailure(HttpError.from(err));
      },
    );
  };

  return (
    <form
      id={formId}
      className="fix-form"
      onSubmit={resubmit}
      data-testid="quarantine-fix-form"
      aria-label={`Fix record ${entry.id}`}
    >
      {ORIGIN_NOTE[initial.origin] ? (
        <p className="hint" data-testid="quarantine-fields-origin" data-origin={initial.origin}>
          {ORIGIN_NOTE[initial.origin]}
        </p>
      ) : null}
      {recordErrors.length > 0 ? (
        <ul className="status error" role="alert" data-testid="quarantine-form-errors">
          {recordErrors.map((e, i) => (
            <li key={i}>{e.reason}</li>
          ))}
        </ul>
      ) : null}
      <div className="fields">
        {FLAT_COLUMNS.map((c) => {
          const errs = errorsOf(c);
          const inputId = `${formId}-${c}`;
          return (
            <div className={errs.length > 0 ? 'field invalid' : 'field'} key={c}>
              <label htmlFor={inputId}>{c}</label>
              <input
                id={inputId}
                value={fields[c] ?? ''}
                maxLength={200}
                onChange={(e) => setFields((f) => ({ ...f, [c]: e.target.value }))}
                aria-invalid={errs.length > 0 ? true : undefined}
                aria-describedby={errs.length > 0 ? `${inputId}-error` : undefined}
                data-testid={`quarantine-field-${c}`}
              />
              {errs.length > 0 ? (
                <span
                  id={`${inputId}-error`}
                  className="field-error"
                  data-testid="quarantine-field-error"
                  data-field={c}
                >
                  {errs.map((e) => e.reason).join('; ')}
                </span>
              ) : null}
            </div>
          );
        })}
      </div>
      {failure ? <ErrorMessage error={failure} /> : null}
      <div className="actions">
        <button type="submit" disabled={busy} data-testid="quarantine-resubmit">
          Resubmit
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
      <div className="discard">
        <label htmlFor={`${formId}-reason`}>Or discard it, with a reason</label>
        <input
          id={`${formId}-reason`}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          minLength={3}
          maxLength={500}
          data-testid="quarantine-discard-reason"
        />
        <button
          type="button"
          onClick={discard}
          disabled={busy || reason.trim().length < 3}
          data-testid="quarantine-discard"
        >
          Discard
        </button>
      </div>
    </form>
  );
}
