import { useState, type FormEvent } from 'react';
import { api, HttpError, type PublicDisputeStatus } from '../api.js';
import { Link } from '../router.js';

const FIELDS = [
  ['givenNames', 'Given names', false],
  ['familyNames', 'Family names', true],
  ['birthDate', 'Date of birth (YYYY-MM-DD)', true],
  ['nationality', 'Citizenship (3-letter code, e.g. MEX)', false],
  ['documentNumber', 'Passport or travel document number', false],
  ['documentCountry', 'Country that issued it (3 letters)', false],
  ['admissionNumber', 'Admission (I-94) number, if you know it', false],
] as const;

type Identity = Record<(typeof FIELDS)[number][0], string>;

const failure = (err: unknown) =>
  err instanceof HttpError && err.code === 'TOO_MANY_REQUESTS'
    ? 'Too many requests from this connection. Please try again later.'
    : err instanceof HttpError && err.code === 'VALIDATION_FAILED'
      ? `Please check the form: ${err.message}`
      : 'The form could not be sent. Please try again.';

/**
 * The public dispute form: anyone may say what is wrong with their record. The answer is a ticket and a
 * secret, the same whether or not a record exists; an officer reviews every dispute.
 */
export function DisputePage() {
  const [statement, setStatement] = useState('');
  const [contact, setContact] = useState('');
  const [identity, setIdentity] = useState<Identity>(
    Object.fromEntries(FIELDS.map(([k]) => [k, ''])) as Identity,
  );
  const [receipt, setReceipt] = useState<{ ticket: string; secret: string; message: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const given = Object.fromEntries(
      Object.entries(identity)
        .map(([k, v]) => [k, v.trim()])
        .filter(([, v]) => v !== ''),
    ) as Partial<Identity>;
    api
      .fileDispute({
        statement: statement.trim(),
        contact: contact.trim(),
        identity: {
          ...given,
          familyNames: identity.familyNames.trim(),
          birthDate: identity.birthDate.trim(),
        },
      })
      .then(setReceipt, (err: unknown) => setError(failure(err)))
      .finally(() => setBusy(false));
  };

  if (receipt) {
    return (
      <main className="public-page" id="main">
        <h1>Dispute received</h1>
        <p data-testid="dispute-received">{receipt.message}</p>
        <dl className="receipt">
          <dt>Ticket number</dt>
          <dd data-testid="dispute-ticket">{receipt.ticket}</dd>
          <dt>Secret (shown only now: write it down)</dt>
          <dd data-testid="dispute-secret">{receipt.secret}</dd>
        </dl>
        <p>
          <Link to="/dispute/status">Check the status of your dispute</Link>
        </p>
      </main>
    );
  }
  return (
    <main className="public-page" id="main">
      <h1>Dispute your record</h1>
      <p>
        If a record about your entry, stay or departure is wrong, tell us here. An officer reviews every
        dispute and corrects what is wrong. You will get a ticket number and a secret to follow it.
      </p>
      <form onSubmit={submit} data-testid="dispute-form">
        <label htmlFor="dispute-statement">What is wrong? (dates, places, what really happened)</label>
        <textarea
          id="dispute-statement"
          data-testid="dispute-statement"
          required
          minLength={10}
          maxLength={4000}
          value={statement}
          onChange={(e) => setStatement(e.target.value)}
        />
        <fieldset>
          <legend>Who you are (as on your travel document)</legend>
          {FIELDS.map(([key, label, required]) => (
            <div className="field" key={key}>
              <label htmlFor={`dispute-${key}`}>
                {label}
                {required ? ' *' : ''}
              </label>
              <input
                id={`dispute-${key}`}
                data-testid={`dispute-${key}`}
                required={required}
                value={identity[key]}
                inputMode={key === 'birthDate' ? 'numeric' : undefined}
                pattern={key === 'birthDate' ? '\\d{4}-\\d{2}-\\d{2}' : undefined}
                maxLength={key.endsWith('Country') || key === 'nationality' ? 3 : 100}
                onChange={(e) => setIdentity({ ...identity, [key]: e.target.value })}
              />
            </div>
          ))}
        </fieldset>
        <label htmlFor="dispute-contact">How can we reach you? (e-mail or phone) *</label>
        <input
          id="dispute-contact"
          data-testid="dispute-contact"
          required
          minLength={3}
          maxLength={200}
          value={contact}
          onChange={(e) => setContact(e.target.value)}
        />
        {error ? (
          <p className="status error" role="alert" data-testid="dispute-error">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={busy} data-testid="dispute-submit">
          {busy ? 'Sending…' : 'Send the dispute'}
        </button>
      </form>
      <p>
        <Link to="/dispute/status">Already filed one? Check its status</Link>
      </p>
      <p>
        <Link to="/departure-report">Leaving, or left? Report your departure</Link>
      </p>
    </main>
  );
}

const STATUS_TEXT: Record<PublicDisputeStatus['status'], string> = {
  received: 'Received: waiting for an officer.',
  'in-review': 'In review: an officer is working on it.',
  corrected: 'Corrected: your record was changed (see below).',
  closed: 'Closed: see the answer below.',
};

/** The ticket's status for whoever holds its ticket number and secret. */
export function DisputeStatusPage() {
  const [ticket, setTicket] = useState('');
  const [secret, setSecret] = useState('');
  const [result, setResult] = useState<PublicDisputeStatus | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setResult(null);
    api
      .disputeStatus(ticket.trim(), secret.trim())
      .then(setResult, (err: unknown) =>
        setError(
          err instanceof HttpError && err.code === 'NOT_FOUND'
            ? 'No dispute matches this ticket number and secret.'
            : failure(err),
        ),
      );
  };

  return (
    <main className="public-page" id="main">
      <h1>Your dispute</h1>
      <form onSubmit={submit} data-testid="dispute-status-form">
        <label htmlFor="status-ticket">Ticket number</label>
        <input
          id="status-ticket"
          data-testid="status-ticket"
          required
          value={ticket}
          onChange={(e) => setTicket(e.target.value)}
        />
        <label htmlFor="status-secret">Secret</label>
        <input
          id="status-secret"
          data-testid="status-secret"
          required
          type="password"
          autoComplete="off"
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
        />
        <button type="submit" data-testid="status-submit">
          Check
        </button>
      </form>
      {error ? (
        <p className="status error" role="alert" data-testid="status-error">
          {error}
        </p>
      ) : null}
      {result ? (
        <section data-testid="dispute-status" data-status={result.status}>
          <h2>Ticket {result.ticket}</h2>
          <p>
            Filed {result.submittedAt.slice(0, 10)}. {STATUS_TEXT[result.status]}
          </p>
          {result.changes.length > 0 ? (
            <ul data-testid="dispute-changes">
              {result.changes.map((c) => (
                <li key={c.at}>{c.summary}</li>
              ))}
            </ul>
          ) : null}
          {result.answer ? <p data-testid="dispute-answer">{result.answer}</p> : null}
        </section>
      ) : null}
      <p>
        <Link to="/dispute">File a new dispute</Link>
      </p>
    </main>
  );
}
