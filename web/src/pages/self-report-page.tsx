import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, HttpError, type SelfReportReceipt, type SelfReportSubmission } from '../api.js';
import { countryOptions } from '../country-names.js';
import { Link } from '../router.js';

type Mode = SelfReportSubmission['mode'];
type Key = keyof SelfReportSubmission;
type Values = Record<Key, string>;

const EMPTY: Values = {
  givenNames: '',
  familyNames: '',
  birthDate: '',
  nationality: '',
  documentNumber: '',
  documentCountry: '',
  date: '',
  mode: '',
  port: '',
  carrier: '',
  flight: '',
  destination: '',
};

/**
 * The server names a field by the flat record's column (src/core/observation/flat-columns.ts) when the
 * record is checked, and by the request's own property when the request's schema refuses it.
 */
const FIELD_OF: Record<string, Key> = {
  given_names: 'givenNames',
  family_names: 'familyNames',
  birth_date: 'birthDate',
  nationality: 'nationality',
  doc_number: 'documentNumber',
  doc_type: 'documentNumber',
  doc_country: 'documentCountry',
  date: 'date',
  channel: 'mode',
  port: 'port',
  carrier: 'carrier',
  flight: 'flight',
  ...Object.fromEntries(Object.keys(EMPTY).map((k) => [k, k as Key])),
};

const LABELS: Record<Key, string> = {
  givenNames: 'Given names',
  familyNames: 'Family names',
  birthDate: 'Date of birth',
  nationality: 'Citizenship',
  documentNumber: 'Passport or travel document number',
  documentCountry: 'Country that issued it',
  date: 'Date you left, or plan to leave',
  mode: 'How',
  port: 'Airport, seaport or border crossing',
  carrier: 'Airline, shipping line or bus company',
  flight: 'Flight or voyage number',
  destination: 'Country you went to',
};

const PORT_LABEL: Record<Mode, string> = {
  air: 'Airport you left from (code, e.g. JFK)',
  sea: 'Seaport you left from (code)',
  land: 'Land border crossing (code)',
};

type FieldErrors = Partial<Record<Key, string>>;

/** A field's problem as a sentence for the person filling the form. */
function reasonText(key: Key, reason: string): string {
  const r = reason.trim();
  if (/^(is required|must have required property)/.test(r)) return 'Please fill this in.';
  if (/must match pattern|YYYY-MM-DD/.test(r) && (key === 'date' || key === 'birthDate'))
    return 'Give a date as year-month-day, e.g. 2026-05-31.';
  if (/must match pattern|alpha-3/.test(r)) return 'Choose a country from the list.';
  if (key === 'date' && r === 'more than 90 days ahead')
    return 'This date is more than 90 days ahead: report a departure planned within the next 90 days.';
  if (key === 'date' && r === 'more than a year ago')
    return 'This date is more than a year ago: for an older departure, dispute your record instead.';
  const s = r.charAt(0).toUpperCase() + r.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

/** The field errors of a refused report, and what could not be placed next to a field. */
function fieldErrorsOf(err: HttpError): { fields: FieldErrors; other: string[] } {
  const fields: FieldErrors = {};
  const other: string[] = [];
  const details = Array.isArray(err.details) ? (err.details as unknown[]) : [];
  for (const d of details) {
    const x = d as {
      field?: string;
      reason?: string;
      instancePath?: string;
      message?: string;
      params?: { missingProperty?: string };
    };
    // A checked record: { field, reason }; the request's schema (Ajv): { instancePath, message, params }.
    const name = x.field ?? x.params?.missingProperty ?? x.instancePath?.replace(/^\//, '') ?? '';
    const reason = x.reason ?? x.message ?? 'is not valid';
    const key = FIELD_OF[name];
    if (key) fields[key] ??= reasonText(key, reason);
    else other.push(`${name ? `${name}: ` : ''}${reason}`);
  }
  return { fields, other };
}

function failure(err: unknown): string {
  if (err instanceof HttpError && err.status === 429) {
    const s = err.retryAfterSeconds;
    const wait =
      s === undefined ? 'later' : s < 90 ? `in ${s} seconds` : `in about ${Math.ceil(s / 60)} minutes`;
    return `Too many reports were sent from this connection. Please try again ${wait}.`;
  }
  if (err instanceof HttpError && err.status === 0)
    return 'The report could not be sent: the service cannot be reached. Check your connection and try again.';
  return 'The report could not be sent. Please try again.';
}

/**
 * The public self-report of a departure (no sign-in): who, which travel document, when, how and where to.
 * The answer is a confirmation number, in the same words whether or not the person is on record; the report
 * alone does not close a record (a carrier or border record confirms it).
 */
export function SelfReportPage() {
  const [values, setValues] = useState<Values>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<{ text: string; status: number } | null>(null);
  const [receipt, setReceipt] = useState<SelfReportReceipt | null>(null);
  const [busy, setBusy] = useState(false);
  const [focusFirstError, setFocusFirstError] = useState(0);

  useEffect(() => {
    if (focusFirstError === 0) return;
    const first = (Object.keys(EMPTY) as Key[]).find((k) => errors[k]);
    if (first) document.getElementById(`sr-${first}`)?.focus();
    // Only after a refused submission, not on every edit.
  }, [focusFirstError]);

  const set = (key: Key, value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    if (errors[key]) setErrors((e) => ({ ...e, [key]: undefined }));
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    setErrors({});
    const t = (k: Key) => values[k].trim();
    const optional = (k: Key, upper = false) => {
      const v = upper ? t(k).toUpperCase() : t(k);
      return v ? { [k]: v } : {};
    };
    const report = {
      familyNames: t('familyNames'),
      birthDate: t('birthDate'),
      documentNumber: t('documentNumber').toUpperCase(),
      documentCountry: t('documentCountry').toUpperCase(),
      date: t('date'),
      mode: values.mode as Mode,
      ...optional('givenNames'),
      ...optional('nationality', true),
      ...optional('port', true),
      ...optional('carrier', true),
      ...(values.mode === 'land' ? {} : optional('flight', true)),
      ...optional('destination', true),
    } satisfies SelfReportSubmission;
    api
      .fileSelfReport(report)
      .then(
        (r) => {
          setReceipt(r);
          window.scrollTo(0, 0);
        },
        (err: unknown) => {
          if (err instanceof HttpError && err.code === 'VALIDATION_FAILED') {
            const { fields, other } = fieldErrorsOf(err);
            setErrors(fields);
            setProblem({
              status: err.status,
              text:
                other.length > 0
                  ? `Please check the form: ${other.join('; ')}.`
                  : 'Please check the fields marked below.',
            });
            setFocusFirstError((n) => n + 1);
          } else setProblem({ status: err instanceof HttpError ? err.status : 0, text: failure(err) });
        },
      )
      .finally(() => setBusy(false));
  };

  if (receipt) {
    return (
      <main className="public-page" id="main">
        <h1>Departure reported</h1>
        <p data-testid="self-report-message">{receipt.message}</p>
        <dl className="receipt">
          <dt>Confirmation number</dt>
          <dd data-testid="self-report-confirmation">{receipt.confirmation}</dd>
        </dl>
        <p>
          <button
            type="button"
            data-testid="self-report-again"
            onClick={() => {
              setReceipt(null);
              setValues(EMPTY);
            }}
          >
            Report another departure
          </button>
        </p>
        <p>
          <Link to="/dispute">Is something on your record wrong? Dispute it</Link>
        </p>
      </main>
    );
  }

  const mode = values.mode as Mode | '';
  const field = (key: Key, input: (common: Common) => ReactNode, hint?: string, required = false) => (
    <Field key={key} id={`sr-${key}`} label={LABELS[key]} required={required} hint={hint} error={errors[key]}>
      {input({
        id: `sr-${key}`,
        'data-testid': `self-report-${key}`,
        required,
        'aria-invalid': errors[key] ? true : undefined,
        'aria-describedby':
          [hint ? `sr-${key}-hint` : '', errors[key] ? `sr-${key}-error` : ''].filter(Boolean).join(' ') ||
          undefined,
      })}
    </Field>
  );
  const text = (key: Key, extra: Record<string, unknown> = {}, hint?: string, required = false) =>
    field(
      key,
      (c) => <input {...c} {...extra} value={values[key]} onChange={(e) => set(key, e.target.value)} />,
      hint,
      required,
    );
  const country = (key: Key, hint?: string, required = false) =>
    field(
      key,
      (c) => (
        <select {...c} value={values[key]} onChange={(e) => set(key, e.target.value)}>
          <option value="">{required ? 'Choose…' : 'Choose (optional)…'}</option>
          {countryOptions().map((o) => (
            <option key={o.code} value={o.code}>
              {o.label}
            </option>
          ))}
        </select>
      ),
      hint,
      required,
    );

  return (
    <main className="public-page" id="main">
      <h1>Report your departure</h1>
      <p>
        Leaving, or already left? Tell us here so your record shows it. You will get a confirmation number.
        The report is checked against airline, shipping and border records when they arrive.
      </p>
      <form onSubmit={submit} data-testid="self-report-form">
        <fieldset>
          <legend>Who you are (as on your travel document)</legend>
          {text('givenNames', { autoComplete: 'given-name', maxLength: 100 })}
          {text('familyNames', { autoComplete: 'family-name', maxLength: 100 }, undefined, true)}
          {text('birthDate', { type: 'date', autoComplete: 'bday' }, undefined, true)}
          {country('nationality')}
        </fieldset>
        <fieldset>
          <legend>Your travel document</legend>
          {text(
            'documentNumber',
            {
              autoComplete: 'off',
              autoCapitalize: 'characters',
              minLength: 3,
              maxLength: 30,
              spellCheck: false,
            },
            undefined,
            true,
          )}
          {country('documentCountry', undefined, true)}
        </fieldset>
        <fieldset>
          <legend>Your departure</legend>
          {text('date', { type: 'date' }, 'The day you left, or the day you plan to leave.', true)}
          <fieldset
            className="choice"
            aria-invalid={errors.mode ? true : undefined}
            aria-describedby={errors.mode ? 'sr-mode-error' : undefined}
          >
            <legend>How did or will you leave? *</legend>
            {(
              [
                ['air', 'By air'],
                ['sea', 'By sea'],
                ['land', 'By land'],
              ] as const
            ).map(([m, label], i) => (
              <label key={m} className="choice-option">
                <input
                  type="radio"
                  name="mode"
                  value={m}
                  id={i === 0 ? 'sr-mode' : undefined}
                  required
                  checked={values.mode === m}
                  onChange={() => set('mode', m)}
                  data-testid={`self-report-mode-${m}`}
                />
                {label}
              </label>
            ))}
            {errors.mode ? (
              <p
                className="field-error"
                id="sr-mode-error"
                data-testid="self-report-field-error"
                data-field="mode"
              >
                {errors.mode}
              </p>
            ) : null}
          </fieldset>
          {field(
            'port',
            (c) => (
              <input
                {...c}
                maxLength={10}
                autoCapitalize="characters"
                value={values.port}
                onChange={(e) => set('port', e.target.value)}
              />
            ),
            mode ? PORT_LABEL[mode] : 'The code of the airport, seaport or crossing, if you know it.',
          )}
          {text('carrier', { maxLength: 10, autoCapitalize: 'characters' }, 'Its code, e.g. LH.')}
          {mode === 'land'
            ? null
            : text('flight', { maxLength: 10, autoCapitalize: 'characters' }, 'e.g. LH451.')}
          {country('destination')}
        </fieldset>
        {problem ? (
          <p
            className="status error"
            role="alert"
            data-testid="self-report-error"
            data-status={problem.status}
          >
            {problem.text}
          </p>
        ) : null}
        <button type="submit" disabled={busy} data-testid="self-report-submit">
          {busy ? 'Sending…' : 'Send the report'}
        </button>
        <p className="hint">
          Fields marked * are needed. We use this report only to keep your record of entry and departure
          right.
        </p>
      </form>
      <p>
        <Link to="/dispute">Something else wrong with your record? Dispute it</Link>
      </p>
    </main>
  );
}

interface Common {
  id: string;
  'data-testid': string;
  required: boolean;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

function Field({
  id,
  label,
  required,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  required: boolean;
  hint?: string | undefined;
  error?: string | undefined;
  children: ReactNode;
}) {
  return (
    <div className={error ? 'field invalid' : 'field'}>
      <label htmlFor={id}>
        {label}
        {required ? ' *' : ''}
      </label>
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {children}
      {error ? (
        <p
          className="field-error"
          id={`${id}-error`}
          data-testid="self-report-field-error"
          data-field={id.slice(3)}
        >
          {error}
        </p>
      ) : null}
    </div>
  );
}
