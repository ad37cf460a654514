import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createColumnHelper } from '@tanstack/react-table';
import {
  api,
  HttpError,
  withQuery,
  type PersonView,
  type ReviewDetail,
  type ReviewReason,
  type ReviewStatus,
  type ReviewSummary,
} from '../api.js';
import { countryLabel } from '../country-names.js';
import { DataTable } from '../components/data-table.js';
import { MatchWaterfall } from '../components/match-waterfall.js';
import { WithPurpose } from '../components/purpose-prompt.js';
import { ActionError, ErrorMessage, Loading } from '../components/status.js';
import { formatBits, formatCount, formatInstant, formatProbability } from '../format.js';
import { Link, navigate, useLocation } from '../router.js';
import { offered, useUser } from '../session.js';
import { useApi } from '../use-api.js';

/** The purpose identity review is done under (config/purposes.json). */
const REVIEW_PURPOSE = { code: 'identity-review', label: 'Identity review (record linkage)' };

/** The queue's filters (src/app/identity-review.ts REVIEW_STATUSES, REVIEW_REASONS), as a reader says them. */
const STATUS_LABELS = {
  open: 'Open',
  same: 'Decided: same person',
  different: 'Decided: different people',
  withdrawn: 'Withdrawn (merged otherwise)',
} as const satisfies Record<ReviewStatus, string>;
const REASON_LABELS = {
  uncertain: 'Uncertain pair',
  'quality-sample': 'Quality sample',
  'departure-identity': 'Departure to confirm',
  'arrival-identity': 'Arrival to confirm',
} as const satisfies Record<ReviewReason, string>;
const STATUSES = Object.keys(STATUS_LABELS) as ReviewStatus[];
const REASONS = Object.keys(REASON_LABELS) as ReviewReason[];

const pick = <T extends string>(value: string | null, among: readonly T[]): T | undefined =>
  among.find((x) => x === value);

const queueHref = (status: ReviewStatus, reason: ReviewReason | undefined) =>
  withQuery('/identity/reviews', { status: status === 'open' ? undefined : status, reason });

function WithReviewPurpose({ children }: { children: ReactNode }) {
  return (
    <WithPurpose
      code={REVIEW_PURPOSE.code}
      label={REVIEW_PURPOSE.label}
      why="Every pair shows two persons' records, and each look is recorded with its purpose."
      testIdPrefix="identity"
    >
      {children}
    </WithPurpose>
  );
}

/**
 * The identity review queue: pairs the model was not sure of (or may not link by itself), and samples of
 * its automatic links to check. Case workers work it; the error rate of the automatic links is a figure
 * for supervisors, analysts, auditors and admins.
 */
export function IdentityReviewQueuePage() {
  const user = useUser();
  const canWork = offered(user, 'identityReview');
  const canSeeQuality = offered(user, 'linkageQuality');
  const { search } = useLocation();
  const status = pick(search.get('status'), STATUSES) ?? 'open';
  const reason = pick(search.get('reason'), REASONS);
  return (
    <>
      <h1>Identity review</h1>
      <p className="hint">
        Record linkage decides which records are one person. Where the model is unsure, or may not decide by
        itself (two passports of one issuer: renewed, or two people?), a person decides. A sample of the
        model's automatic links is checked here too: that measures how often it is wrong.
      </p>
      {canSeeQuality ? <QualityFigure /> : null}
      {canWork ? (
        <WithReviewPurpose>
          <QueueFilter status={status} reason={reason} />
          <Queue status={status} reason={reason} />
        </WithReviewPurpose>
      ) : null}
      {!canWork && !canSeeQuality ? (
        <ErrorMessage error={new HttpError(403, 'FORBIDDEN', 'not an identity review role')} />
      ) : null}
    </>
  );
}

/** The measured error rate of automatic links, from decided quality samples. */
function QualityFigure() {
  const quality = useApi('identity-quality', (signal) => api.identityQuality(signal));
  if (quality.status === 'loading') return <Loading what="the linkage quality" />;
  if (quality.status === 'error') return <ErrorMessage error={quality.error} retry={quality.reload} />;
  const q = quality.data;
  return (
    <section className="summary" aria-labelledby="quality-heading" data-testid="identity-quality">
      <h2 id="quality-heading">Quality of the automatic links</h2>
      <dl>
        <div className="figure-card">
          <dt>Error rate of automatic links</dt>
          <dd data-testid="quality-error-rate" data-value={q.errorRate ?? ''}>
            {q.errorRate === null ? 'not measured yet' : `${(q.errorRate * 100).toFixed(1)}%`}
          </dd>
        </div>
        <div className="figure-card">
          <dt>Quality samples</dt>
          <dd className="figure-text" data-testid="quality-counts">
            {formatCount(q.confirmed)} confirmed, {formatCount(q.wrong)} wrong, {formatCount(q.open)} open
          </dd>
        </div>
        <div className="figure-card">
          <dt>Automatic links made</dt>
          <dd data-testid="quality-links">{formatCount(q.automaticLinks)}</dd>
        </div>
      </dl>
      <p className="hint">
        The error rate is the share of decided samples a reviewer found wrong (a wrong link is undone when
        decided). {q.errorRate === null ? 'No sample has been decided yet.' : null}
      </p>
    </section>
  );
}

function QueueFilter({ status, reason }: { status: ReviewStatus; reason: ReviewReason | undefined }) {
  return (
    <form className="audit-filter" onSubmit={(e) => e.preventDefault()} aria-label="Filter the queue">
      <label htmlFor="review-status">Status</label>
      <select
        id="review-status"
        data-testid="review-filter-status"
        value={status}
        onChange={(e) => navigate(queueHref(e.target.value as ReviewStatus, reason))}
      >
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {STATUS_LABELS[s]}
          </option>
        ))}
      </select>
      <label htmlFor="review-reason">Reason</label>
      <select
        id="review-reason"
        data-testid="review-filter-reason"
        value={reason ?? ''}
        onChange={(e) => navigate(queueHref(status, pick(e.target.value, REASONS)))}
      >
        <option value="">Any</option>
        {REASONS.map((r) => (
          <option key={r} value={r}>
            {REASON_LABELS[r]}
          </option>
        ))}
      </select>
    </form>
  );
}

const col = createColumnHelper<ReviewSummary>();
const LIMIT = 200;

function Queue({ status, reason }: { status: ReviewStatus; reason: ReviewReason | undefined }) {
  const result = useApi(`identity-reviews:${status}:${reason ?? ''}`, (signal) =>
    api.identityReviews({ status, ...(reason ? { reason } : {}), limit: LIMIT }, signal),
  );
  const decided = status !== 'open';
  const columns = useMemo(
    () => [
      col.accessor('id', {
        header: 'Review',
        sortingFn: (a, b) => Number(a.original.id) - Number(b.original.id),
        cell: (c) => (
          <Link to={`/identity/reviews/${c.getValue()}`} className="nowrap" data-testid="review-link">
            Review {c.getValue()}
          </Link>
        ),
      }),
      col.accessor('reason', { header: 'Reason', cell: (c) => REASON_LABELS[c.getValue()] }),
      col.accessor('probability', {
        header: 'Probability',
        meta: { numeric: true },
        cell: (c) => formatProbability(c.getValue()),
      }),
      col.accessor('matchWeight', {
        header: 'Match weight (bits)',
        meta: { numeric: true },
        cell: (c) => formatBits(c.getValue()),
      }),
      col.accessor('constraint', {
        header: 'Model may not decide',
        sortingFn: (a, b) => Number(!!a.original.constraint) - Number(!!b.original.constraint),
        cell: (c) =>
          c.getValue() ? (
            <span className="badge badge-warn" title={c.getValue()!} data-testid="review-constraint-flag">
              a person must decide
            </span>
          ) : (
            <span className="muted">—</span>
          ),
      }),
      col.display({
        id: 'persons',
        header: 'Persons',
        cell: (c) => `${c.row.original.recordPersonId} ↔ ${c.row.original.candidatePersonId}`,
      }),
      col.accessor('createdAt', { header: 'Queued', cell: (c) => formatInstant(c.getValue()) }),
      ...(decided
        ? [
            col.accessor('decidedBy', { header: 'Decided by', cell: (c) => c.getValue() ?? '—' }),
            col.accessor('decidedAt', {
              header: 'Decided',
              cell: (c) => (c.getValue() ? formatInstant(c.getValue()!) : '—'),
            }),
            col.accessor('note', { header: 'Note', cell: (c) => c.getValue() ?? '' }),
          ]
        : []),
    ],
    [decided],
  );
  if (result.status === 'loading') return <Loading what="the review queue" />;
  if (result.status === 'error') return <ErrorMessage error={result.error} retry={result.reload} />;
  const { items, total } = result.data;
  const what = `${STATUS_LABELS[status].toLowerCase()}${reason ? `, ${REASON_LABELS[reason].toLowerCase()}` : ''}`;
  return (
    <>
      <p role="status" data-testid="review-total" data-total={total}>
        {total === 0
          ? `No review item (${what}).`
          : `${formatCount(total)} ${total === 1 ? 'item' : 'items'} (${what})${total > items.length ? `; the first ${formatCount(items.length)} shown` : ''}.`}
      </p>
      {items.length > 0 ? (
        <DataTable
          data={items}
          columns={columns}
          testId="review-table"
          caption={
            decided ? 'Decided items, newest first.' : 'Open items, oldest first: work them in this order.'
          }
          rowAttributes={(r) => ({
            'data-testid': 'review-row',
            'data-review-id': r.id,
            'data-reason': r.reason,
            'data-status': r.status,
            'data-constraint': r.constraint ? 'true' : 'false',
          })}
        />
      ) : null}
    </>
  );
}

/** One pair: both persons side by side, why the model hesitated, the waterfall, and the decision. */
export function IdentityReviewPage({ id }: { id: string }) {
  const user = useUser();
  return (
    <>
      <p className="breadcrumb">
        <Link to="/identity/reviews">← Identity review queue</Link>
      </p>
      <h1>Identity review {id}</h1>
      {offered(user, 'identityReview') ? (
        <WithReviewPurpose>
          <Pair key={id} id={id} />
        </WithReviewPurpose>
      ) : (
        <ErrorMessage error={new HttpError(403, 'FORBIDDEN', 'not an identity review role')} />
      )}
    </>
  );
}

function Pair({ id }: { id: string }) {
  const review = useApi(`identity-review:${id}`, (signal) => api.identityReview(id, signal));
  // The decision's answer is the review as it stands after it; shown until the page loads it again.
  const [answer, setAnswer] = useState<ReviewDetail | null>(null);
  if (review.status === 'loading') return <Loading what="the pair" />;
  if (review.status === 'error') return <ErrorMessage error={review.error} retry={review.reload} />;
  const r = answer?.id === review.data.id ? answer : review.data;
  const open = r.status === 'open';
  const onePerson = r.record !== null && r.candidate !== null && r.record.id === r.candidate.id;
  return (
    <div data-testid="review-page" data-review-id={r.id} data-status={r.status} data-reason={r.reason}>
      <p>
        {REASON_LABELS[r.reason]} · queued {formatInstant(r.createdAt)} · status{' '}
        <strong data-testid="review-status">{STATUS_LABELS[r.status]}</strong>
      </p>
      <p className="hint">
        {r.reason === 'uncertain'
          ? 'The model was not sure these records are one person, or may not link them by itself: the record was kept on a person of its own until someone decides.'
          : r.reason === 'departure-identity'
            ? 'The model linked a departure to this person by itself: it counts as the person’s departure only once someone confirms it is theirs.'
            : r.reason === 'arrival-identity'
              ? 'The model linked an arrival to this person by itself: it corroborates the person’s admission only once someone confirms it is theirs.'
              : 'A sample of the model’s automatic links: it linked these records by itself. Check that it was right.'}
      </p>
      {r.constraint ? (
        <p className="status forbidden" data-testid="review-constraint">
          <strong>The model may not link these two by itself:</strong> {r.constraint}.
        </p>
      ) : null}
      {open ? null : <Decided review={r} />}
      <section aria-labelledby="pair-heading">
        <h2 id="pair-heading">{onePerson ? 'Now one person' : 'The two persons'}</h2>
        {onePerson ? (
          <div className="pair one">
            <PersonCard side="record" storedId={r.recordPersonId} person={r.record} review={r} />
          </div>
        ) : (
          <div className="pair">
            <PersonCard side="record" storedId={r.recordPersonId} person={r.record} review={r} />
            <PersonCard side="candidate" storedId={r.candidatePersonId} person={r.candidate} review={r} />
          </div>
        )}
      </section>
      <section aria-labelledby="waterfall-heading">
        <h2 id="waterfall-heading">Why the model weighed it so</h2>
        <MatchWaterfall explanation={r.explanation} />
      </section>
      {open ? (
        <Decision
          review={r}
          onDecided={setAnswer}
          onConflict={() => {
            setAnswer(null);
            review.reload();
          }}
        />
      ) : null}
    </div>
  );
}

const SIDE_TITLES = { record: 'The record’s person', candidate: 'The candidate' } as const;

function PersonCard({
  side,
  storedId,
  person,
  review,
}: {
  side: 'record' | 'candidate';
  storedId: string;
  person: PersonView | null;
  review: ReviewDetail;
}) {
  const list = (xs: readonly string[], render: (x: string) => string = (x) => x) =>
    xs.length === 0 ? <span className="muted">not recorded</span> : xs.map(render).join('; ');
  if (!person)
    return (
      <article className="pair-person" data-testid="review-person" data-side={side} data-person-id="">
        <h3>{SIDE_TITLES[side]}</h3>
        <p className="muted">Person {storedId} no longer exists (erased under the retention rules).</p>
      </article>
    );
  const reviewed = new Set(review.observationIds);
  const current = person.observations.filter((o) => !o.superseded);
  return (
    <article className="pair-person" data-testid="review-person" data-side={side} data-person-id={person.id}>
      <h3>
        {SIDE_TITLES[side]}:{' '}
        <Link to={`/persons/${person.id}`} data-testid="review-person-link" data-person-id={person.id}>
          person {person.id}
        </Link>
      </h3>
      {person.id !== storedId ? (
        <p className="hint">Person {storedId} of the review was merged into this one since.</p>
      ) : null}
      <p data-testid="review-person-verified" data-verified={person.identityVerified ? 'true' : 'false'}>
        {person.identityVerified ? (
          <span className="badge badge-good" title={person.identityVerified.how}>
            Identity verified by {person.identityVerified.by}, {person.identityVerified.at.slice(0, 10)}:{' '}
            {person.identityVerified.how}
          </span>
        ) : (
          <span className="muted">Identity not verified by a person.</span>
        )}
      </p>
      <dl className="facts">
        <dt>Names</dt>
        <dd>{list(person.names)}</dd>
        <dt>Birth dates</dt>
        <dd>{list(person.birthDates)}</dd>
        <dt>Documents</dt>
        <dd>{list(person.documents)}</dd>
        <dt>Nationalities</dt>
        <dd>{list(person.nationalities, countryLabel)}</dd>
      </dl>
      <div className="table-wrap">
        <table className="grid" data-testid="review-observations">
          <caption className="visually-hidden">The person’s current records</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Kind</th>
              <th scope="col">Source</th>
              <th scope="col">Record id</th>
            </tr>
          </thead>
          <tbody>
            {current.map((o) => (
              <tr key={o.id} data-testid="review-observation" data-observation-id={o.id}>
                <th scope="row">{o.date}</th>
                <td>
                  {o.kind === 'StatusChange' ? 'Status change' : o.kind}
                  {reviewed.has(o.id) ? (
                    <span className="tag" title="The record this review is about">
                      this review
                    </span>
                  ) : null}
                </td>
                <td>{o.provenance.source}</td>
                <td>
                  <code>{o.provenance.sourceRecordId}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </article>
  );
}

function Decision({
  review,
  onDecided,
  onConflict,
}: {
  review: ReviewDetail;
  onDecided: (r: ReviewDetail) => void;
  onConflict: () => void;
}) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<HttpError | null>(null);
  const decide = (decision: 'same' | 'different') => {
    setBusy(true);
    setError(null);
    api.decideIdentityReview(review.id, decision, note).then(
      (r) => {
        setBusy(false);
        onDecided(r);
      },
      (err: unknown) => {
        setBusy(false);
        setError(HttpError.from(err));
      },
    );
  };
  const sample = review.reason === 'quality-sample';
  return (
    <form className="decision" data-testid="review-decision" onSubmit={(e) => e.preventDefault()}>
      <h2>Your decision</h2>
      <p className="hint">
        {sample
          ? 'Same person confirms the model’s link. Different people undoes it: the records it placed move to a person of their own, kept apart for good.'
          : 'Same person merges the two into the older person and recomputes their stays. Different people keeps them apart for good: neither the model nor a merge will join them.'}
      </p>
      <label htmlFor="decision-note">Note (optional): what made you sure</label>
      <textarea
        id="decision-note"
        data-testid="decision-note"
        value={note}
        maxLength={500}
        onChange={(e) => setNote(e.target.value)}
      />
      <div className="actions">
        <button type="button" data-testid="decide-same" disabled={busy} onClick={() => decide('same')}>
          Same person
        </button>
        <button
          type="button"
          data-testid="decide-different"
          disabled={busy}
          onClick={() => decide('different')}
        >
          Different people
        </button>
      </div>
      {error ? <ActionError error={error} testId="decision-error" /> : null}
      {error?.status === 409 ? (
        <button type="button" onClick={onConflict} data-testid="decision-reload">
          Show the pair as it is now
        </button>
      ) : null}
    </form>
  );
}

function Decided({ review }: { review: ReviewDetail }) {
  const survivor = review.record?.id ?? review.candidate?.id ?? null;
  const when = review.decidedAt ? formatInstant(review.decidedAt) : 'an unknown time';
  // Decided at the foot of the page, the outcome shows at its head: bring it into view.
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.scrollIntoView({ block: 'nearest' }), []);
  return (
    <div
      ref={ref}
      className="status ok"
      role="status"
      data-testid="review-decided"
      data-status={review.status}
    >
      <p>
        <strong>{STATUS_LABELS[review.status]}</strong>, by{' '}
        <span data-testid="review-decided-by">{review.decidedBy ?? 'unknown'}</span> at {when}.
        {review.note ? (
          <>
            {' '}
            Note: <q>{review.note}</q>
          </>
        ) : null}
      </p>
      {review.status === 'same' && survivor ? (
        <p>
          {review.reason === 'uncertain' ? 'The records are now one person: ' : 'The model’s link stands: '}
          <Link to={`/persons/${survivor}`} data-testid="review-survivor-link" data-person-id={survivor}>
            person {survivor}
          </Link>
          .
        </p>
      ) : null}
      {review.status === 'different' ? (
        <p>
          {review.reason === 'uncertain'
            ? 'The two are kept apart for good: neither the model nor a merge will join them.'
            : 'The model’s link was undone: the records it placed are on a person of their own.'}
        </p>
      ) : null}
      {review.status === 'withdrawn' ? (
        <p>The two persons were merged by another decision; nothing is left to decide here.</p>
      ) : null}
    </div>
  );
}
