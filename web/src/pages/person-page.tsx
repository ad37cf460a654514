import { useEffect, useState, type FormEvent } from 'react';
import { api, HttpError, type PersonStay, type PersonView, type TimelineEntry } from '../api.js';
import { countryLabel } from '../country-names.js';
import { OutcomeBadge } from '../components/outcome-badge.js';
import { ActionError, ErrorMessage, Loading } from '../components/status.js';
import { CHANNEL_LABELS, formatCount, formatInstant } from '../format.js';
import { Link, useLocation } from '../router.js';
import { offered, useUser } from '../session.js';
import { useApi } from '../use-api.js';

/** One person: identity as recorded, every fact with its source, and each stay with the rule that decided it. */
export function PersonPage({ id }: { id: string }) {
  // An officer opening a person outside their office gives a written reason; it travels with the request.
  const [breakGlass, setBreakGlass] = useState<string | null>(null);
  const person = useApi(`person:${id}:${breakGlass ?? ''}`, (signal) =>
    api.person(id, signal, breakGlass ?? undefined),
  );
  const { search } = useLocation();
  const focusStay = search.get('stay');

  useEffect(() => {
    if (person.status !== 'ok' || !focusStay) return;
    document.getElementById(`stay-${focusStay}`)?.scrollIntoView({ block: 'start' });
  }, [person.status, focusStay]);

  return (
    <>
      <h1>
        {person.status === 'ok' && person.data.names[0] ? (
          <>
            {person.data.names[0]} <span className="muted">(person {id})</span>
          </>
        ) : (
          `Person ${id}`
        )}
      </h1>
      {person.status === 'loading' ? <Loading what="the person's record" /> : null}
      {person.status === 'error' && person.error.code === 'OUTSIDE_OFFICE' ? (
        <BreakGlassForm message={person.error.message} onReason={setBreakGlass} />
      ) : null}
      {person.status === 'error' && person.error.code !== 'OUTSIDE_OFFICE' ? (
        <ErrorMessage error={person.error} retry={person.reload} />
      ) : null}
      {breakGlass && person.status === 'ok' ? (
        <p className="status" role="status" data-testid="break-glass-notice">
          Opened outside your office for the reason you gave; the access is recorded for review.
        </p>
      ) : null}
      {person.status === 'ok' ? (
        <Person key={person.data.id} person={person.data} focusStay={focusStay} reload={person.reload} />
      ) : null}
    </>
  );
}

function Person({
  person,
  focusStay,
  reload,
}: {
  person: PersonView;
  focusStay: string | null;
  reload: () => void;
}) {
  const user = useUser();
  // Splitting: the current observations chosen to move to a new person (null: not splitting).
  const [splitting, setSplitting] = useState<ReadonlySet<string> | null>(null);
  const canCorrectLinks = offered(user, 'mergeSplit') && !person.mergedInto;
  return (
    <div data-testid="person-page" data-person-id={person.id}>
      {person.mergedInto ? (
        <p className="status" role="status" data-testid="merged-into">
          This person record was merged into{' '}
          <Link to={`/persons/${person.mergedInto}`}>person {person.mergedInto}</Link>.
        </p>
      ) : null}
      {offered(user, 'follow') && !person.mergedInto ? <FollowToggle personId={person.id} /> : null}
      <Identity person={person} reload={reload} />
      {canCorrectLinks ? (
        <LinkageTools person={person} splitting={splitting} setSplitting={setSplitting} reload={reload} />
      ) : null}
      <section aria-labelledby="stays-heading">
        <h2 id="stays-heading">Stays</h2>
        {person.stays.length === 0 ? <p>No stay: no admission is recorded for this person.</p> : null}
        {person.stays.map((s, i) => (
          <Stay key={s.admissionId} stay={s} n={i + 1} focused={s.admissionId === focusStay} />
        ))}
      </section>
      <Timeline
        observations={person.observations}
        selection={
          splitting
            ? {
                selected: splitting,
                toggle: (id) => {
                  const next = new Set(splitting);
                  if (!next.delete(id)) next.add(id);
                  setSplitting(next);
                },
              }
            : null
        }
      />
      {person.unmatchedDepartureIds.length > 0 ? (
        <section aria-labelledby="unmatched-heading" data-testid="unmatched-departures">
          <h2 id="unmatched-heading">Departures that match no admission</h2>
          <p>
            Kept and shown, never dropped: <ObservationLinks ids={person.unmatchedDepartureIds} />
          </p>
        </section>
      ) : null}
      {person.unmatchedArrivalIds.length > 0 ? (
        <section aria-labelledby="unmatched-arrivals-heading" data-testid="unmatched-arrivals">
          <h2 id="unmatched-arrivals-heading">Arrivals that corroborate no admission</h2>
          <p>
            No admission of this person within a day of them; kept on the timeline, never a stay:{' '}
            <ObservationLinks ids={person.unmatchedArrivalIds} />
          </p>
        </section>
      ) : null}
    </div>
  );
}

function Identity({ person, reload }: { person: PersonView; reload: () => void }) {
  const user = useUser();
  const list = (xs: readonly string[], render: (x: string) => string = (x) => x) =>
    xs.length === 0 ? <span className="muted">not recorded</span> : xs.map(render).join('; ');
  return (
    <section aria-labelledby="identity-heading" data-testid="person-identity">
      <h2 id="identity-heading">Identity as recorded</h2>
      <p className="hint">
        Every name, birth date, document and nationality under which this person's current records arrived.
      </p>
      <dl className="facts">
        <dt>Names</dt>
        <dd data-testid="identity-names">{list(person.names)}</dd>
        <dt>Birth dates</dt>
        <dd data-testid="identity-birth-dates">{list(person.birthDates)}</dd>
        <dt>Documents</dt>
        <dd data-testid="identity-documents">{list(person.documents)}</dd>
        <dt>Nationalities</dt>
        <dd data-testid="identity-nationalities">{list(person.nationalities, countryLabel)}</dd>
        <dt>Identity verified</dt>
        <dd>
          {person.identityVerified ? (
            <span data-testid="identity-verified" data-by={person.identityVerified.by}>
              <span className="badge badge-good">Verified</span> by {person.identityVerified.by} on{' '}
              {formatInstant(person.identityVerified.at)}: {person.identityVerified.how}
            </span>
          ) : (
            <span className="muted" data-testid="identity-not-verified">
              not verified by a person
            </span>
          )}
        </dd>
      </dl>
      {!person.identityVerified && !person.mergedInto && offered(user, 'identityVerify') ? (
        <VerifyIdentityForm personId={person.id} onDone={reload} />
      ) : null}
    </section>
  );
}

/** Officers and supervisors record that they verified who the person is, and how; a merge or split clears it. */
function VerifyIdentityForm({ personId, onDone }: { personId: string; onDone: () => void }) {
  const [how, setHow] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<HttpError | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    api.markIdentityVerified(personId, how.trim()).then(
      () => {
        setBusy(false);
        setHow('');
        onDone();
      },
      (err: unknown) => {
        setBusy(false);
        setError(HttpError.from(err));
      },
    );
  };
  return (
    <form className="inline-form" onSubmit={submit} data-testid="identity-verify-form">
      <label htmlFor="identity-verify-how">
        Verified who this is? Say how (e.g. passport inspected in person):
      </label>
      <input
        id="identity-verify-how"
        data-testid="identity-verify-how"
        value={how}
        minLength={3}
        maxLength={300}
        required
        onChange={(e) => setHow(e.target.value)}
      />
      <button type="submit" data-testid="identity-verify-submit" disabled={busy || how.trim().length < 3}>
        Mark identity verified
      </button>
      {error ? <ActionError error={error} testId="identity-verify-error" /> : null}
    </form>
  );
}

/**
 * Officers and supervisors follow a person to be alerted (in the header) once their departure is confirmed:
 * a departure that ends a stay, not a self-report alone.
 */
function FollowToggle({ personId }: { personId: string }) {
  const follows = useApi(`follows:${personId}`, (signal) => api.follows(signal));
  // What the last change answered; until one, what the list says.
  const [changed, setChanged] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<HttpError | null>(null);
  if (follows.status === 'loading') return null;
  if (follows.status === 'error' && changed === null)
    return <ActionError error={follows.error} testId="follow-error" />;
  const following = changed ?? (follows.status === 'ok' && follows.data.persons.includes(personId));
  const toggle = () => {
    setBusy(true);
    setError(null);
    api.setFollowing(personId, !following).then(
      (r) => {
        setBusy(false);
        setChanged(r.following);
      },
      (err: unknown) => {
        setBusy(false);
        setError(HttpError.from(err));
      },
    );
  };
  return (
    <div className="follow" data-testid="follow">
      <button
        type="button"
        onClick={toggle}
        disabled={busy}
        aria-pressed={following}
        data-testid="follow-toggle"
        data-following={String(following)}
      >
        {following ? 'Following (stop)' : 'Follow'}
      </button>
      <span className="hint">
        {following
          ? "You will be alerted at the top of the page when this person's departure is confirmed."
          : "Follow to be alerted when this person's departure is confirmed."}
      </span>
      {error ? <ActionError error={error} testId="follow-error" /> : null}
    </div>
  );
}

/**
 * Supervisors correct the linkage by hand: merge this person into another (both into the older one), or
 * split some of its current records off to a new person, kept apart from this one for good.
 */
function LinkageTools({
  person,
  splitting,
  setSplitting,
  reload,
}: {
  person: PersonView;
  splitting: ReadonlySet<string> | null;
  setSplitting: (s: ReadonlySet<string> | null) => void;
  reload: () => void;
}) {
  const [done, setDone] = useState<
    { kind: 'split'; newPersonId: string } | { kind: 'merge'; survivor: string; merged: string } | null
  >(null);
  return (
    <section aria-labelledby="linkage-heading" data-testid="linkage-tools">
      <h2 id="linkage-heading">Correct the linkage</h2>
      <p className="hint">
        When the records here are not all one person, split some off; when another person record is this
        person too, merge them. Both are recorded with your reason, and the stays are recomputed.
      </p>
      {done?.kind === 'split' ? (
        <p className="status ok" role="status" data-testid="split-done">
          Split: the records moved to{' '}
          <Link to={`/persons/${done.newPersonId}`} data-testid="split-new-person-link">
            person {done.newPersonId}
          </Link>
          , kept apart from this person for good.
        </p>
      ) : null}
      {done?.kind === 'merge' ? (
        <p className="status ok" role="status" data-testid="merge-done">
          Merged: person {done.merged} into{' '}
          <Link to={`/persons/${done.survivor}`} data-testid="merge-survivor-link">
            person {done.survivor}
          </Link>
          .
        </p>
      ) : null}
      <div className="linkage-tools">
        <SplitForm
          person={person}
          splitting={splitting}
          setSplitting={setSplitting}
          onDone={(newPersonId) => {
            setDone({ kind: 'split', newPersonId });
            setSplitting(null);
            reload();
          }}
        />
        <MergeForm
          personId={person.id}
          onDone={(survivor, merged) => {
            setDone({ kind: 'merge', survivor, merged });
            reload();
          }}
        />
      </div>
    </section>
  );
}

function SplitForm({
  person,
  splitting,
  setSplitting,
  onDone,
}: {
  person: PersonView;
  splitting: ReadonlySet<string> | null;
  setSplitting: (s: ReadonlySet<string> | null) => void;
  onDone: (newPersonId: string) => void;
}) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<HttpError | null>(null);
  const current = person.observations.filter((o) => !o.superseded).length;
  if (!splitting)
    return (
      <div className="tool">
        <h3>Split</h3>
        <button
          type="button"
          data-testid="split-start"
          disabled={current < 2}
          onClick={() => {
            setError(null);
            setSplitting(new Set());
          }}
        >
          Split this person…
        </button>
        {current < 2 ? <p className="hint">One current record: nothing to split.</p> : null}
      </div>
    );
  const chosen = splitting.size;
  const all = chosen >= current;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    api.splitPerson(person.id, [...splitting], reason.trim()).then(
      (r) => {
        setBusy(false);
        setReason('');
        onDone(r.newPersonId);
      },
      (err: unknown) => {
        setBusy(false);
        setError(HttpError.from(err));
      },
    );
  };
  return (
    <form className="tool" onSubmit={submit} data-testid="split-form">
      <h3>Split</h3>
      <p className="hint">
        Tick, in the timeline below, the records that belong to someone else ({chosen} chosen). At least one
        current record stays here.
      </p>
      <label htmlFor="split-reason">Reason</label>
      <textarea
        id="split-reason"
        data-testid="split-reason"
        value={reason}
        minLength={3}
        maxLength={500}
        required
        onChange={(e) => setReason(e.target.value)}
      />
      {all ? (
        <p className="field-error" role="alert">
          Leave at least one current record on this person.
        </p>
      ) : null}
      <div className="actions">
        <button
          type="submit"
          data-testid="split-submit"
          disabled={busy || chosen === 0 || all || reason.trim().length < 3}
        >
          Move {chosen} {chosen === 1 ? 'record' : 'records'} to a new person
        </button>
        <button type="button" onClick={() => setSplitting(null)} data-testid="split-cancel">
          Cancel
        </button>
      </div>
      {error ? <ActionError error={error} testId="split-error" /> : null}
    </form>
  );
}

function MergeForm({
  personId,
  onDone,
}: {
  personId: string;
  onDone: (survivor: string, merged: string) => void;
}) {
  const [into, setInto] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<HttpError | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    api.mergePerson(personId, into.trim(), reason.trim()).then(
      (r) => {
        setBusy(false);
        setInto('');
        setReason('');
        onDone(r.survivor, r.merged);
      },
      (err: unknown) => {
        setBusy(false);
        setError(HttpError.from(err));
      },
    );
  };
  return (
    <form className="tool" onSubmit={submit} data-testid="merge-form">
      <h3>Merge into…</h3>
      <p className="hint">The two become one person under the older (lower) id.</p>
      <label htmlFor="merge-into">The other person's id</label>
      <input
        id="merge-into"
        data-testid="merge-into"
        value={into}
        pattern="\d{1,18}"
        inputMode="numeric"
        required
        onChange={(e) => setInto(e.target.value)}
      />
      <label htmlFor="merge-reason">Reason</label>
      <textarea
        id="merge-reason"
        data-testid="merge-reason"
        value={reason}
        minLength={3}
        maxLength={500}
        required
        onChange={(e) => setReason(e.target.value)}
      />
      <div className="actions">
        <button
          type="submit"
          data-testid="merge-submit"
          disabled={
            busy || !/^\d{1,18}$/.test(into.trim()) || into.trim() === personId || reason.trim().length < 3
          }
        >
          Merge
        </button>
      </div>
      {error ? <ActionError error={error} testId="merge-error" /> : null}
    </form>
  );
}

function Stay({ stay, n, focused }: { stay: PersonStay; n: number; focused: boolean }) {
  return (
    <article
      id={`stay-${stay.admissionId}`}
      className={focused ? 'stay focused' : 'stay'}
      aria-current={focused ? 'true' : undefined}
      aria-labelledby={`stay-${stay.admissionId}-heading`}
      data-testid="stay"
      data-admission-id={stay.admissionId}
      data-outcome={stay.outcome}
    >
      <h3 id={`stay-${stay.admissionId}-heading`}>
        Stay {n}: admitted {stay.admittedOn} at {stay.port} as {stay.classOfAdmission}{' '}
        <OutcomeBadge outcome={stay.outcome} />
      </h3>
      <dl className="facts">
        <dt>Authorized until</dt>
        <dd data-testid="stay-authorized-until">{stay.authorizedUntil ?? 'open (no fixed end)'}</dd>
        <dt>Departure</dt>
        <dd data-testid="stay-departure">
          {stay.departureObservationId === null ? (
            'no departure record'
          ) : (
            <>
              {stay.departedOn ?? 'date unknown'}
              {stay.departureChannel
                ? `, ${CHANNEL_LABELS[stay.departureChannel] ?? stay.departureChannel}`
                : ''}{' '}
              {stay.departureInferred ? (
                <span
                  className="tag"
                  data-testid="stay-departure-inferred"
                  title="Inferred: a later admission proves the person left, not when."
                >
                  inferred
                </span>
              ) : null}{' '}
              (<a href={`#obs-${stay.departureObservationId}`}>record {stay.departureObservationId}</a>)
            </>
          )}
        </dd>
        <dt>Days overstay</dt>
        <dd data-testid="stay-days-overstay">
          {stay.daysOverstay === null ? '—' : formatCount(stay.daysOverstay)}
        </dd>
        <dt>Judged on</dt>
        <dd data-testid="stay-judged-on">{stay.judgedOn}</dd>
        <dt>Rule</dt>
        <dd>
          <code data-testid="stay-rule">{stay.rule}</code>
        </dd>
        <dt>Why</dt>
        <dd data-testid="stay-explanation">{stay.explanation}</dd>
        <dt>Evidence</dt>
        <dd data-testid="stay-evidence">
          {stay.evidence.map((oid, i) => (
            <span key={oid}>
              {i > 0 ? ', ' : ''}
              <a href={`#obs-${oid}`}>{oid}</a>
            </span>
          ))}
        </dd>
      </dl>
    </article>
  );
}

function details(o: TimelineEntry): string {
  switch (o.kind) {
    case 'Admission': {
      const until = o.durationOfStatus
        ? `duration of status${o.programEndDate ? ` (programme ends ${o.programEndDate})` : ''}`
        : o.admitUntil
          ? `admit until ${o.admitUntil}`
          : 'admit-until set by class';
      return `Admitted at ${o.port} as ${o.classOfAdmission}; ${until}`;
    }
    case 'Departure': {
      const via = [o.carrier, o.flight].filter(Boolean).join(' ');
      return `Departed by ${CHANNEL_LABELS[o.channel] ?? o.channel}${o.port ? ` from ${o.port}` : ''}${via ? ` on ${via}` : ''}`;
    }
    case 'Arrival': {
      const via = [o.carrier, o.flight].filter(Boolean).join(' ');
      return `Arrived by ${CHANNEL_LABELS[o.channel] ?? o.channel} at ${o.port}${via ? ` on ${via}` : ''}`;
    }
    case 'StatusChange': {
      const extra = [
        o.newAdmitUntil ? `new admit until ${o.newAdmitUntil}` : null,
        o.newClassOfAdmission ? `new class ${o.newClassOfAdmission}` : null,
      ].filter(Boolean);
      return `${o.change.replace(/-/g, ' ')} ${o.event}${extra.length ? `; ${extra.join(', ')}` : ''}`;
    }
  }
}

function asRecorded(o: TimelineEntry): string {
  const p = o.person;
  const name = [p.givenNames, p.familyNames].filter(Boolean).join(' ') || 'no name';
  const doc = p.document ? `${p.document.type} ${p.document.issuingCountry} ${p.document.number}` : null;
  return [name, p.birthDate ? `born ${p.birthDate}` : null, p.nationality, doc].filter(Boolean).join(', ');
}

const KIND_LABELS: Record<TimelineEntry['kind'], string> = {
  Admission: 'Admission',
  Departure: 'Departure',
  StatusChange: 'Status change',
  Arrival: 'Arrival',
};

interface TimelineSelection {
  readonly selected: ReadonlySet<string>;
  readonly toggle: (observationId: string) => void;
}

function Timeline({
  observations,
  selection,
}: {
  observations: PersonView['observations'];
  /** When splitting: a checkbox on each current observation. */
  selection: TimelineSelection | null;
}) {
  return (
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      <p className="hint">
        Every fact, oldest first, with the record it came from. A superseded fact (replaced by a correction)
        is struck through.
      </p>
      <div className="table-wrap">
        <table className="grid timeline" data-testid="timeline">
          <caption className="visually-hidden">Admissions, departures and status changes</caption>
          <thead>
            <tr>
              {selection ? <th scope="col">Move</th> : null}
              <th scope="col">Date</th>
              <th scope="col">Kind</th>
              <th scope="col">Details</th>
              <th scope="col">As recorded</th>
              <th scope="col">Admission no.</th>
              <th scope="col">Source</th>
              <th scope="col">Source record</th>
              <th scope="col">Raw record</th>
            </tr>
          </thead>
          <tbody>
            {observations.map((o) => (
              <tr
                key={o.id}
                id={`obs-${o.id}`}
                className={o.superseded ? 'superseded' : undefined}
                data-testid="timeline-row"
                data-kind={o.kind}
                data-superseded={o.superseded ? 'true' : 'false'}
                data-observation-id={o.id}
              >
                {selection ? (
                  <td>
                    {o.superseded ? null : (
                      <input
                        type="checkbox"
                        aria-label={`Move the ${KIND_LABELS[o.kind].toLowerCase()} of ${o.date} (record ${o.id}) to a new person`}
                        data-testid="split-select"
                        data-observation-id={o.id}
                        checked={selection.selected.has(o.id)}
                        onChange={() => selection.toggle(o.id)}
                      />
                    )}
                  </td>
                ) : null}
                <th scope="row">
                  {o.superseded ? <s>{o.date}</s> : o.date}
                  {o.superseded ? <span className="tag">superseded</span> : null}
                </th>
                <td data-testid="timeline-kind">{KIND_LABELS[o.kind]}</td>
                <td>{details(o)}</td>
                <td>{asRecorded(o)}</td>
                <td>{o.admissionNumber ?? '—'}</td>
                <td>{o.provenance.source}</td>
                <td>
                  <code>{o.provenance.sourceRecordId}</code>
                </td>
                <td>
                  <code>{o.provenance.rawRecordId ?? '—'}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const MIN_REASON = 15;

/** Opening a record outside one's office: allowed with a written reason, recorded and reviewed. */
function BreakGlassForm({ message, onReason }: { message: string; onReason: (reason: string) => void }) {
  const [reason, setReason] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim().length >= MIN_REASON) onReason(reason.trim());
  };
  return (
    <form className="status forbidden break-glass" onSubmit={submit} data-testid="break-glass">
      <p role="alert">
        <strong>Outside your office.</strong> {message}
      </p>
      <label htmlFor="break-glass-reason">
        Why do you need this record? (at least {MIN_REASON} characters)
      </label>
      <textarea
        id="break-glass-reason"
        data-testid="break-glass-reason"
        value={reason}
        minLength={MIN_REASON}
        maxLength={500}
        required
        onChange={(e) => setReason(e.target.value)}
      />
      <button type="submit" data-testid="break-glass-submit" disabled={reason.trim().length < MIN_REASON}>
        Open the record and record my reason
      </button>
    </form>
  );
}

/** Observation ids, each a link to its entry on the timeline, separated by commas. */
function ObservationLinks({ ids }: { ids: readonly string[] }) {
  return (
    <>
      {ids.map((oid, i) => (
        <span key={oid}>
          {i > 0 ? ', ' : ''}
          <a href={`#obs-${oid}`}>{oid}</a>
        </span>
      ))}
    </>
  );
}
