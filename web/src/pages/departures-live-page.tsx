import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { createColumnHelper } from '@tanstack/react-table';
import {
  api,
  HttpError,
  withQuery,
  type DepartureEvidenceRow,
  type DepartureReportRow,
  type LiveDepartureStats,
} from '../api.js';
import { countryLabel } from '../country-names.js';
import { DataTable } from '../components/data-table.js';
import type { PerDayTable } from '../components/departures-per-day-chart.js';
import { WithPurpose } from '../components/purpose-prompt.js';
import { ErrorMessage, Loading } from '../components/status.js';
import { CHANNEL_LABELS, formatCount } from '../format.js';
import { Link, navigate, useLocation } from '../router.js';
import { offered, useUser } from '../session.js';
import { useApi, type Loadable } from '../use-api.js';

// ECharts is the largest dependency: its own chunk, loaded after the figures.
const DeparturesPerDayChart = lazy(() => import('../components/departures-per-day-chart.js'));

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const WINDOWS = [7, 30, 90] as const;
/** A burst of changes (an import of many records) is one refresh: at most one per this many ms. */
const REFRESH_DELAY_MS = 200;

/** A day (YYYY-MM-DD) some days after another (before, when negative). */
export function addDays(day: string, n: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

const channelLabel = (c: string) => CHANNEL_LABELS[c] ?? (c === 'unknown' ? 'Channel unknown' : c);
const nationalityLabel = (n: string) => (n === 'unknown' ? 'Unknown' : countryLabel(n));
const clock = (d: Date) =>
  d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/**
 * Loads data and keeps it while it is refreshed: `refresh` asks again without clearing what is shown,
 * and a refresh asked for while one is in flight runs once that one has answered (never cancelling it,
 * so a steady stream of changes cannot starve the page of answers). A new key starts afresh.
 */
function useRefreshable<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
): { state: Loadable<T>; updatedAt: Date | null; refresh: () => void } {
  const [state, setState] = useState<{ key: string; value: Loadable<T>; at: Date | null }>({
    key,
    value: { status: 'loading' },
    at: null,
  });
  const refreshRef = useRef<() => void>(() => undefined);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    let inFlight = false;
    let again = false;
    const run = () => {
      inFlight = true;
      loadRef
        .current(controller.signal)
        .then(
          (data) => {
            if (!controller.signal.aborted) setState({ key, value: { status: 'ok', data }, at: new Date() });
          },
          (err: unknown) => {
            if (controller.signal.aborted) return;
            const error = HttpError.from(err);
            // A failed refresh keeps the figures shown; only a first load shows the error.
            setState((s) =>
              s.key === key && s.value.status === 'ok'
                ? s
                : { key, value: { status: 'error', error }, at: null },
            );
          },
        )
        .finally(() => {
          inFlight = false;
          if (again && !controller.signal.aborted) {
            again = false;
            run();
          }
        });
    };
    refreshRef.current = () => {
      if (inFlight) again = true;
      else run();
    };
    setState((s) => (s.key === key ? s : { key, value: { status: 'loading' }, at: null }));
    run();
    return () => controller.abort();
  }, [key]);

  const refresh = useCallback(() => refreshRef.current(), []);
  const value: Loadable<T> = state.key === key ? state.value : { status: 'loading' };
  return { state: value, updatedAt: state.key === key ? state.at : null, refresh };
}

type LiveState = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'not-live';

/**
 * The server-sent events of the dashboard (`GET /api/departures/events`, same origin, the session cookie):
 * `stays-changed` whenever evidence is applied. Each burst of events calls `onChange` once, within
 * REFRESH_DELAY_MS; so does (re)connecting, for what happened while the stream was down.
 */
function useDepartureEvents(onChange: () => void): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    if (typeof EventSource === 'undefined') {
      setState('offline');
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    let connectedOnce = false;
    const soon = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        changed.current();
      }, REFRESH_DELAY_MS);
    };
    const source = new EventSource('/api/departures/events');
    source.addEventListener('ready', (e) => {
      let live = true;
      try {
        live = (JSON.parse((e as MessageEvent<string>).data) as { live?: boolean }).live !== false;
      } catch {
        // an unreadable ready event still means the stream is open
      }
      setState(live ? 'live' : 'not-live');
      if (connectedOnce) soon(); // back after a drop: catch up on what was missed
      connectedOnce = true;
    });
    source.addEventListener('stays-changed', soon);
    source.onerror = () => {
      // EventSource reconnects by itself (after the server's retry: delay) unless it was refused.
      setState(source.readyState === EventSource.CLOSED ? 'offline' : 'reconnecting');
    };
    return () => {
      source.close();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, []);
  return state;
}

/** The period of the departure report in the page address, if both ends are there. */
function periodFrom(search: URLSearchParams): { from: string; to: string } | null {
  const from = search.get('from');
  const to = search.get('to');
  return from && to && DATE.test(from) && DATE.test(to) ? { from, to } : null;
}

function windowFrom(search: URLSearchParams): number {
  const d = Number(search.get('days'));
  return Number.isInteger(d) && d >= 1 && d <= 366 ? d : 30;
}

/**
 * Live departures: the last days' departures per day and channel, by citizenship, self-reports and how
 * many were confirmed, how long a departure's record takes to arrive, identity reviews pending; updated
 * within a second of new evidence through server-sent events. Under it, the departure report of a period.
 */
export function LiveDeparturesPage() {
  const { search } = useLocation();
  const days = windowFrom(search);
  const asked = periodFrom(search);
  const live = useRefreshable(`live:${days}`, (signal) => api.departuresLive(days, signal));
  // Without a period in the address, the report covers the dashboard's window.
  const asOf = live.state.status === 'ok' ? live.state.data.asOf : null;
  const period = asked ?? (asOf ? { from: addDays(asOf, 1 - days), to: asOf } : null);
  const report = useRefreshable(
    `departure-report:${period ? `${period.from}:${period.to}` : ''}`,
    (signal) => (period ? api.departureReport(period, signal) : new Promise<never>(() => undefined)),
  );
  const refreshLive = live.refresh;
  const refreshReport = report.refresh;
  const events = useDepartureEvents(
    useCallback(() => {
      refreshLive();
      refreshReport();
    }, [refreshLive, refreshReport]),
  );

  return (
    <>
      <div className="live-heading">
        <h1>Live departures</h1>
        <LiveIndicator state={events} updatedAt={live.updatedAt} />
      </div>
      <form className="period" aria-label="Dashboard window">
        <div className="field">
          <label htmlFor="live-days">The last</label>
          <select
            id="live-days"
            data-testid="live-days"
            value={days}
            onChange={(e) => navigate(withQuery('/departures/live', { days: e.target.value, ...asked }))}
          >
            {[...new Set([...WINDOWS, days])]
              .sort((a, b) => a - b)
              .map((d) => (
                <option key={d} value={d}>
                  {d} days
                </option>
              ))}
          </select>
        </div>
        {asOf ? <p className="hint">up to {asOf}, the server's as-of date</p> : null}
      </form>
      {live.state.status === 'loading' ? <Loading what="the live figures" /> : null}
      {live.state.status === 'error' ? <ErrorMessage error={live.state.error} retry={live.refresh} /> : null}
      {live.state.status === 'ok' ? <LiveFigures stats={live.state.data} /> : null}
      {period ? (
        <DepartureReport period={period} days={days} report={report.state} retry={report.refresh} />
      ) : null}
    </>
  );
}

function LiveIndicator({ state, updatedAt }: { state: LiveState; updatedAt: Date | null }) {
  const text: Record<LiveState, string> = {
    connecting: 'Connecting…',
    live: 'Live',
    reconnecting: 'Reconnecting…',
    offline: 'Not live: reload the page for new figures',
    'not-live': 'Not live: this server sends no updates',
  };
  return (
    <p
      className={`live-indicator live-${state}`}
      role="status"
      aria-live="polite"
      data-testid="live-indicator"
      data-state={state}
      data-updated-at={updatedAt?.toISOString() ?? ''}
    >
      <span className="live-dot" aria-hidden="true" />
      {text[state]}
      {updatedAt ? (
        <span className="muted" data-testid="live-updated">
          {' '}
          · updated {clock(updatedAt)}
        </span>
      ) : null}
    </p>
  );
}

/** Every day of the window, so a day without departures shows as zero, not as a gap. */
function perDayTable(stats: LiveDepartureStats): PerDayTable & { totals: Map<string, number> } {
  const days: string[] = [];
  for (let i = stats.days - 1; i >= 0; i--) days.push(addDays(stats.asOf, -i));
  const channels = [...new Set(stats.perDay.map((p) => p.channel))].sort();
  const value = new Map(stats.perDay.map((p) => [`${p.day}|${p.channel}`, p.departures]));
  const totals = new Map<string, number>();
  for (const p of stats.perDay) totals.set(p.day, (totals.get(p.day) ?? 0) + p.departures);
  return { days, channels, totals, cell: (d, c) => value.get(`${d}|${c}`) ?? 0 };
}

function LiveFigures({ stats }: { stats: LiveDepartureStats }) {
  const user = useUser();
  const table = useMemo(() => perDayTable(stats), [stats]);
  const total = stats.perDay.reduce((n, p) => n + p.departures, 0);
  const latest = table.totals.get(stats.asOf) ?? 0;
  const lag = (h: number | null) =>
    h === null
      ? '—'
      : h < 48
        ? `${h.toLocaleString('en-US')} h`
        : `${h.toLocaleString('en-US')} h (${Math.round(h / 24).toLocaleString('en-US')} days)`;
  const reviews = formatCount(stats.pendingIdentityReviews);
  return (
    <>
      <section aria-labelledby="live-summary-heading" className="summary" data-testid="live-summary">
        <h2 id="live-summary-heading">
          The last {stats.days} days, {addDays(stats.asOf, 1 - stats.days)} to {stats.asOf}
        </h2>
        <dl>
          <Figure label="Departures" testId="live-total" value={total} />
          <Figure label={`Departures on ${stats.asOf}`} testId="live-latest-day" value={latest} />
          <div className="figure-card">
            <dt>Self-reports confirmed</dt>
            <dd
              data-testid="live-self-reports"
              data-reported={stats.selfReports.reported}
              data-confirmed={stats.selfReports.confirmed}
            >
              {formatCount(stats.selfReports.confirmed)}{' '}
              <span className="figure-of">of {formatCount(stats.selfReports.reported)} reported</span>
            </dd>
          </div>
          <div className="figure-card">
            <dt>Record arrives after departure</dt>
            <dd
              className="figure-text"
              data-testid="live-lag"
              data-median={stats.confirmationLagHours.median ?? ''}
              data-p90={stats.confirmationLagHours.p90 ?? ''}
            >
              median {lag(stats.confirmationLagHours.median)}
              <br />
              90% within {lag(stats.confirmationLagHours.p90)}
            </dd>
          </div>
          <div className="figure-card">
            <dt>Identity reviews pending</dt>
            <dd data-testid="live-pending-reviews" data-value={stats.pendingIdentityReviews}>
              {offered(user, 'identityReview') && stats.pendingIdentityReviews > 0 ? (
                <Link to="/identity/reviews?status=open" data-testid="live-pending-reviews-link">
                  {reviews}
                </Link>
              ) : (
                reviews
              )}
            </dd>
          </div>
        </dl>
        <p className="hint">
          A departure counts here when it ends a stay (the stays engine decides; a self-report alone does
          not). A self-report is confirmed when a carrier or border record of the departure ends a stay within
          a week of it.
        </p>
      </section>
      <section aria-labelledby="per-day-heading" className="chart-section">
        <h2 id="per-day-heading">Departures per day by channel</h2>
        {total === 0 ? <p className="status">No departure ended a stay in these days.</p> : null}
        <Suspense fallback={<Loading what="the chart" />}>
          <DeparturesPerDayChart table={table} />
        </Suspense>
        <details>
          <summary>The figures as a table</summary>
          <div className="table-wrap">
            <table className="grid" data-testid="live-per-day-table">
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  {table.channels.map((c) => (
                    <th scope="col" className="num" key={c}>
                      {channelLabel(c)}
                    </th>
                  ))}
                  <th scope="col" className="num">
                    All
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...table.days].reverse().map((d) => (
                  <tr key={d} data-testid="live-day-row" data-day={d} data-total={table.totals.get(d) ?? 0}>
                    <th scope="row">{d}</th>
                    {table.channels.map((c) => (
                      <td className="num" key={c} data-column={c}>
                        {formatCount(table.cell(d, c))}
                      </td>
                    ))}
                    <td className="num" data-column="total">
                      {formatCount(table.totals.get(d) ?? 0)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      </section>
      <ByNationality stats={stats} total={total} />
    </>
  );
}

function Figure({ label, testId, value }: { label: string; testId: string; value: number }) {
  return (
    <div className="figure-card">
      <dt>{label}</dt>
      <dd data-testid={testId} data-value={value}>
        {formatCount(value)}
      </dd>
    </div>
  );
}

function ByNationality({ stats, total }: { stats: LiveDepartureStats; total: number }) {
  const max = Math.max(1, ...stats.byNationality.map((n) => n.departures));
  const listed = stats.byNationality.reduce((n, r) => n + r.departures, 0);
  return (
    <section aria-labelledby="by-nationality-heading">
      <h2 id="by-nationality-heading">By country of citizenship</h2>
      <div className="table-wrap">
        <table className="grid bars" data-testid="live-by-nationality">
          <caption>
            The {stats.byNationality.length < 12 ? '' : '12 '}countries with most departures in these days
            {listed < total ? `; ${formatCount(total - listed)} departures of other countries` : ''}.
          </caption>
          <thead>
            <tr>
              <th scope="col">Country of citizenship</th>
              <th scope="col" className="num">
                Departures
              </th>
              <th scope="col">
                <span className="visually-hidden">Share</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {stats.byNationality.map((n) => (
              <tr
                key={n.nationality}
                data-testid="live-nationality-row"
                data-nationality={n.nationality}
                data-departures={n.departures}
              >
                <th scope="row">{nationalityLabel(n.nationality)}</th>
                <td className="num">{formatCount(n.departures)}</td>
                <td className="bar-cell" aria-hidden="true">
                  <span className="bar" style={{ width: `${(100 * n.departures) / max}%` }} />
                </td>
              </tr>
            ))}
            {stats.byNationality.length === 0 ? (
              <tr>
                <td colSpan={3} className="empty">
                  No departures in these days.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </section>
  );
}

interface PivotRow {
  readonly nationality: string;
  readonly byChannel: Readonly<Record<string, number>>;
  readonly total: number;
}

/** The report's rows (channel, citizenship, count) as one row per country with a column per channel. */
function pivot(rows: readonly DepartureReportRow[]) {
  const channels = [...new Set(rows.map((r) => r.channel))].sort();
  const byNationality = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const row = byNationality.get(r.nationality) ?? {};
    row[r.channel] = (row[r.channel] ?? 0) + r.departures;
    byNationality.set(r.nationality, row);
  }
  const pivotRows: PivotRow[] = [...byNationality].map(([nationality, byChannel]) => ({
    nationality,
    byChannel,
    total: Object.values(byChannel).reduce((n, v) => n + v, 0),
  }));
  pivotRows.sort((a, b) => b.total - a.total || a.nationality.localeCompare(b.nationality));
  const channelTotals = Object.fromEntries(
    channels.map((c) => [c, rows.filter((r) => r.channel === c).reduce((n, r) => n + r.departures, 0)]),
  );
  return { channels, rows: pivotRows, channelTotals };
}

/** Where a figure of the departure report leads: the stays behind it, with their evidence. */
export function evidenceHref(q: { from: string; to: string; channel?: string; nationality?: string }) {
  return withQuery('/departures/report/stays', { ...q });
}

const col = createColumnHelper<PivotRow>();

function DepartureReport({
  period,
  days,
  report,
  retry,
}: {
  period: { from: string; to: string };
  days: number;
  report: Loadable<{ rows: DepartureReportRow[]; total: number }>;
  retry: () => void;
}) {
  const user = useUser();
  const links = offered(user, 'departureEvidence');
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const get = (k: string) => {
      const v = f.get(k);
      return typeof v === 'string' ? v : '';
    };
    navigate(withQuery('/departures/live', { days, from: get('from'), to: get('to') }));
  };
  const data = report.status === 'ok' ? report.data : null;
  const table = useMemo(() => (data ? pivot(data.rows) : null), [data]);
  const columns = useMemo(() => {
    if (!table) return [];
    /** A count that opens the stays behind it; zero (and an unknown channel, which the API cannot filter) is no link. */
    const figure = (value: number, channel: string | undefined, nationality: string | undefined) => {
      const text = formatCount(value);
      const attrs = {
        'data-testid': 'departure-figure',
        'data-channel': channel ?? '',
        'data-nationality': nationality ?? '',
        'data-value': value,
      };
      if (!links || value === 0 || channel === 'unknown') return <span {...attrs}>{text}</span>;
      return (
        <Link
          to={evidenceHref({
            ...period,
            ...(channel ? { channel } : {}),
            ...(nationality ? { nationality } : {}),
          })}
          aria-label={`${text} departures, ${channel ? channelLabel(channel) : 'every channel'}, ${nationality ? nationalityLabel(nationality) : 'every country'}: show the stays and their evidence`}
          {...attrs}
        >
          {text}
        </Link>
      );
    };
    return [
      col.accessor('nationality', {
        header: 'Country of citizenship',
        cell: (c) => nationalityLabel(c.getValue()),
        footer: () => 'Total',
      }),
      ...table.channels.map((ch) =>
        col.accessor((r) => r.byChannel[ch] ?? 0, {
          id: ch,
          header: channelLabel(ch),
          meta: { numeric: true },
          cell: (c) => figure(c.getValue(), ch, c.row.original.nationality),
          footer: () => figure(table.channelTotals[ch] ?? 0, ch, undefined),
        }),
      ),
      col.accessor('total', {
        header: 'All channels',
        meta: { numeric: true },
        cell: (c) => figure(c.getValue(), undefined, c.row.original.nationality),
        footer: () => figure(data?.total ?? 0, undefined, undefined),
      }),
    ];
  }, [table, links, period.from, period.to, data?.total]);

  return (
    <section aria-labelledby="departure-report-heading">
      <h2 id="departure-report-heading">Departure report</h2>
      <form
        className="period"
        onSubmit={submit}
        key={`${period.from}:${period.to}`}
        aria-label="Report period"
        data-testid="departure-report-form"
      >
        <div className="field">
          <label htmlFor="departure-report-from">Departed from</label>
          <input
            id="departure-report-from"
            name="from"
            type="date"
            required
            defaultValue={period.from}
            data-testid="departure-report-from"
          />
        </div>
        <div className="field">
          <label htmlFor="departure-report-to">to</label>
          <input
            id="departure-report-to"
            name="to"
            type="date"
            required
            defaultValue={period.to}
            data-testid="departure-report-to"
          />
        </div>
        <button type="submit" data-testid="departure-report-apply">
          Show
        </button>
      </form>
      {report.status === 'loading' ? <Loading what="the departure report" /> : null}
      {report.status === 'error' ? <ErrorMessage error={report.error} retry={retry} /> : null}
      {data && table ? (
        <>
          <p data-testid="departure-report-total" data-value={data.total}>
            {`${formatCount(data.total)} self-departures ended a stay from ${period.from} to ${period.to} `}
            (removals, and departures known only from a later entry, are not counted).
          </p>
          <DataTable
            data={table.rows}
            columns={columns}
            testId="departure-report-table"
            caption={`Departures by channel and country of citizenship${links ? '; every figure opens the stays behind it, with their evidence' : ''}.`}
            rowAttributes={(r) => ({
              'data-testid': 'departure-report-row',
              'data-nationality': r.nationality,
            })}
            withFooter
            empty="No departure ended a stay in this period."
          />
        </>
      ) : null}
    </section>
  );
}

const EVIDENCE_LIMIT = 500;
const ecol = createColumnHelper<DepartureEvidenceRow>();

/** The stays behind a figure of the departure report, each with the records that prove the departure. */
export function DepartureEvidencePage() {
  const { search } = useLocation();
  const period = periodFrom(search);
  const channel = search.get('channel') || undefined;
  const nationality = search.get('nationality') || undefined;
  const what = `${channel ? channelLabel(channel) : 'Every channel'}, ${nationality ? nationalityLabel(nationality) : 'every country'}`;
  return (
    <>
      <p className="breadcrumb">
        <Link to={withQuery('/departures/live', { ...period })}>← Live departures</Link>
      </p>
      <h1 data-testid="departure-evidence-title">Departures: {what}</h1>
      {period ? (
        <>
          <p className="hint">
            Self-departures that ended a stay from {period.from} to {period.to}.
          </p>
          <WithPurpose
            code="data-quality-review"
            label="Data-quality review"
            why="The stays behind a figure name persons, and every look at them is recorded with its purpose."
            testIdPrefix="departure-evidence"
          >
            <EvidenceList q={{ ...period, channel, nationality }} />
          </WithPurpose>
        </>
      ) : (
        <p className="status error" role="alert">
          This address names no period: open a figure of the departure report.
        </p>
      )}
    </>
  );
}

function EvidenceList({
  q,
}: {
  q: { from: string; to: string; channel: string | undefined; nationality: string | undefined };
}) {
  const result = useApi(`departure-evidence:${JSON.stringify(q)}`, (signal) =>
    api.departureEvidence({ ...q, limit: EVIDENCE_LIMIT }, signal),
  );
  const columns = useMemo(
    () => [
      ecol.accessor('personId', {
        header: 'Person',
        cell: (c) => (
          <Link
            to={`/persons/${c.getValue()}?stay=${c.row.original.admissionId}`}
            data-testid="departure-evidence-person-link"
            data-admission-id={c.row.original.admissionId}
          >
            Person {c.getValue()}
          </Link>
        ),
      }),
      ecol.accessor('departedOn', { header: 'Departed' }),
      ecol.accessor('channel', { header: 'Channel', cell: (c) => channelLabel(c.getValue() ?? 'unknown') }),
      ecol.accessor('nationality', {
        header: 'Citizenship',
        cell: (c) => nationalityLabel(c.getValue() ?? 'unknown'),
      }),
      ecol.accessor('admissionId', { header: 'Admission record' }),
      ecol.accessor('departureObservationId', {
        header: 'Departure record',
        cell: (c) => c.getValue() ?? '—',
      }),
      ecol.accessor('evidence', {
        header: 'Evidence',
        enableSorting: false,
        cell: (c) =>
          c.getValue().length === 0 ? (
            '—'
          ) : (
            <span data-testid="departure-evidence-records">
              {c.getValue().map((id, i) => (
                <span key={id}>
                  {i > 0 ? ', ' : ''}
                  <code>{id}</code>
                </span>
              ))}
            </span>
          ),
      }),
    ],
    [],
  );
  if (result.status === 'loading') return <Loading what="the stays" />;
  if (result.status === 'error') return <ErrorMessage error={result.error} retry={result.reload} />;
  const stays = result.data.stays;
  return (
    <>
      <p data-testid="departure-evidence-count" data-value={stays.length}>
        {formatCount(stays.length)} {stays.length === 1 ? 'stay' : 'stays'}
        {stays.length >= EVIDENCE_LIMIT ? `; at most ${formatCount(EVIDENCE_LIMIT)} are shown` : ''}.
      </p>
      <DataTable
        data={stays}
        columns={columns}
        testId="departure-evidence-table"
        caption="Each stay links to the person's timeline; the evidence is the records that prove the departure."
        rowAttributes={(s) => ({
          'data-testid': 'departure-evidence-row',
          'data-person-id': s.personId,
          'data-admission-id': s.admissionId,
        })}
        empty="No stays behind this figure."
      />
    </>
  );
}
