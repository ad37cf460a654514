import { useState, type FormEvent } from 'react';
import { api, HttpError, type CorrectableRecord, type DisputeView, type FlatRecord } from '../api.js';
import { ErrorMessage, Loading } from '../components/status.js';
import { Link } from '../router.js';
import { useApi } from '../use-api.js';

/** The redress queue: open disputes, oldest first. */
export function RedressQueuePage() {
  const queue = useApi('redress:open', (signal) => api.redressQueue('open', signal));
  return (
    <>
      <h1>Redress queue</h1>
      <p className="hint">
        Disputes filed by the public, oldest first. Work them under the purpose “Redress”: every look is
        recorded.
      </p>
      {queue.status === 'loading' ? <Loading what="the disputes" /> : null}
      {queue.status === 'error' ? <ErrorMessage error={queue.error} retry={queue.reload} /> : null}
      {queue.status === 'ok' && queue.data.disputes.length === 0 ? (
        <p data-testid="redress-empty">No open dispute.</p>
      ) : null}
      {queue.status === 'ok' && queue.data.disputes.length > 0 ? (
        <div className="table-wrap">
          <table data-testid="redress-table">
            <thead>
              <tr>
                <th scope="col">Ticket</th>
                <th scope="col">Filed</th>
                <th scope="col">Status</th>
                <th scope="col">Says they are</th>
                <th scope="col">Person</th>
              </tr>
            </thead>
            <tbody>
              {queue.data.disputes.map((d) => (
                <tr key={d.id} data-testid="redress-row">
                  <td>
                    <Link to={`/redress/${d.id}`}>{d.ticket}</Link>
                  </td>
                  <td>{d.submittedAt.slice(0, 10)}</td>
                  <td>{d.status}</td>
                  <td>
                    {[d.claimedIdentity['givenNames'], d.claimedIdentity['familyNames']]
                      .filter(Boolean)
                      .join(' ')}
                    , born {d.claimedIdentity['birthDate']}
                  </td>
                  <td>
                    {d.personId ? (
                      <Link to={`/persons/${d.personId}`}>person {d.personId}</Link>
                    ) : (
                      'not linked'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

/** One dispute, worked step by step: link the person, verify identity, correct, answer. */
export function DisputeWorkPage({ id }: { id: string }) {
  const dispute = useApi(`dispute:${id}`, (signal) => api.dispute(id, signal));
  const [error, setError] = useState<string | null>(null);
  const act = (action: 'person' | 'identity' | 'corrections' | 'close', body: unknown) => {
    setError(null);
    return api.redressAction(id, action, body).then(
      () => dispute.reload(),
      (err: unknown) => setError(err instanceof HttpError ? err.message : String(err)),
    );
  };
  if (dispute.status === 'loading') return <Loading what="the dispute" />;
  if (dispute.status === 'error') return <ErrorMessage error={dispute.error} retry={dispute.reload} />;
  const d = dispute.data;
  const open = d.status !== 'closed';
  return (
    <div data-testid="dispute-work" data-status={d.status}>
      <p className="breadcrumb">
        <Link to="/redress">← Redress queue</Link>
      </p>
      <h1>Dispute {d.ticket}</h1>
      <p>
        Filed {d.submittedAt.slice(0, 10)} · status <strong>{d.status}</strong> · contact {d.contact}
      </p>
      <blockquote data-testid="dispute-statement">{d.statement}</blockquote>
      <Claimed identity={d.claimedIdentity} />
      {error ? (
        <p className="status error" role="alert" data-testid="redress-error">
          {error}
        </p>
      ) : null}
      {open ? <LinkPerson d={d} onLink={(personId) => act('person', { personId })} /> : null}
      {open && d.personId ? <VerifyIdentity d={d} onVerify={(how) => act('identity', { how })} /> : null}
      {open && d.personId && d.identityVerified ? (
        <Corrections
          records={dispute.data.records}
          onCorrect={(observationId, fields) => act('corrections', { observationId, fields })}
        />
      ) : null}
      {d.changes.length > 0 ? (
        <section>
          <h2>What changed</h2>
          <ul data-testid="dispute-work-changes">
            {d.changes.map((c) => (
              <li key={c.at}>
                {c.summary}{' '}
                <span className="muted">
                  ({c.by}, {c.at.slice(0, 10)})
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {open ? (
        <Close onClose={(answer) => act('close', { answer })} />
      ) : (
        <p data-testid="dispute-answer">{d.answer}</p>
      )}
    </div>
  );
}

function Claimed({ identity }: { identity: Record<string, string | undefined> }) {
  const rows = Object.entries(identity).filter(([, v]) => v);
  return (
    <section>
      <h2>Says they are</h2>
      <dl className="claimed">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <p className="hint">
        Find the person with the search box (document or admission number, family name), then link them here.
      </p>
    </section>
  );
}

function LinkPerson({ d, onLink }: { d: DisputeView; onLink: (personId: string) => Promise<void> }) {
  const [personId, setPersonId] = useState(d.personId ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void onLink(personId.trim());
  };
  return (
    <form onSubmit={submit} className="step" data-testid="redress-link">
      <h2>1. The person</h2>
      {d.personId ? (
        <p>
          Linked to <Link to={`/persons/${d.personId}`}>person {d.personId}</Link>.
        </p>
      ) : null}
      <label htmlFor="redress-person">Person id</label>
      <input
        id="redress-person"
        value={personId}
        pattern="\d{1,18}"
        required
        onChange={(e) => setPersonId(e.target.value)}
      />
      <button type="submit">{d.personId ? 'Link another person' : 'Link'}</button>
    </form>
  );
}

function VerifyIdentity({ d, onVerify }: { d: DisputeView; onVerify: (how: string) => Promise<void> }) {
  const [how, setHow] = useState('');
  if (d.identityVerified)
    return (
      <section className="step">
        <h2>2. Identity</h2>
        <p data-testid="identity-verified">
          Verified by {d.identityVerified.by} on {d.identityVerified.at.slice(0, 10)}:{' '}
          {d.identityVerified.how}
        </p>
      </section>
    );
  return (
    <form
      className="step"
      onSubmit={(e) => {
        e.preventDefault();
        void onVerify(how.trim());
      }}
    >
      <h2>2. Identity</h2>
      <label htmlFor="redress-how">
        How did you verify that the person disputing is this person? (required before a correction)
      </label>
      <textarea
        id="redress-how"
        required
        minLength={10}
        maxLength={500}
        value={how}
        onChange={(e) => setHow(e.target.value)}
      />
      <button type="submit">Record the verification</button>
    </form>
  );
}

function Corrections({
  records,
  onCorrect,
}: {
  records: readonly CorrectableRecord[];
  onCorrect: (observationId: string, fields: FlatRecord) => Promise<void>;
}) {
  const [editing, setEditing] = useState<CorrectableRecord | null>(null);
  const [fields, setFields] = useState<FlatRecord>({});
  if (editing)
    return (
      <form
        className="step"
        onSubmit={(e) => {
          e.preventDefault();
          void onCorrect(editing.observationId, fields).then(() => setEditing(null));
        }}
      >
        <h2>
          3. Correct the {editing.kind.toLowerCase()} record of {editing.date}
        </h2>
        <p className="hint">
          The corrected record supersedes the wrong one, which is kept. Stays and reports are recomputed.
        </p>
        {Object.entries(fields)
          .filter(([k]) => k !== 'record_id')
          .map(([k, v]) => (
            <div className="field" key={k}>
              <label htmlFor={`fix-${k}`}>{k}</label>
              <input
                id={`fix-${k}`}
                value={v ?? ''}
                maxLength={200}
                onChange={(e) => setFields({ ...fields, [k]: e.target.value })}
              />
            </div>
          ))}
        <button type="submit">Save the correction</button>{' '}
        <button type="button" onClick={() => setEditing(null)}>
          Cancel
        </button>
      </form>
    );
  return (
    <section className="step">
      <h2>3. The person's records</h2>
      <ul>
        {records.map((r) => (
          <li key={r.observationId}>
            {r.kind} {r.date}{' '}
            <button
              type="button"
              onClick={() => {
                setEditing(r);
                setFields({ ...r.fields });
              }}
            >
              Correct
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Close({ onClose }: { onClose: (answer: string) => Promise<void> }) {
  const [answer, setAnswer] = useState('');
  return (
    <form
      className="step"
      onSubmit={(e) => {
        e.preventDefault();
        void onClose(answer.trim());
      }}
    >
      <h2>4. Answer and close</h2>
      <label htmlFor="redress-answer">The answer the person reads with their ticket</label>
      <textarea
        id="redress-answer"
        required
        minLength={10}
        maxLength={2000}
        value={answer}
        onChange={(e) => setAnswer(e.target.value)}
      />
      <button type="submit">Close the dispute</button>
    </form>
  );
}
