import { lazy, Suspense, useMemo, type FormEvent } from 'react';
import { createColumnHelper } from '@tanstack/react-table';
import {
  api,
  withQuery,
  type OverstayReportResult,
  type OverstayRow,
  type ReportCell,
  type ReportGrouping,
} from '../api.js';
import { countryLabel } from '../country-names.js';
import { DataTable } from '../components/data-table.js';
import { ErrorMessage, Loading } from '../components/status.js';
import { CELL_LABELS, formatCount, formatRate } from '../format.js';
import { drillDownHref, OVERSTAY_CELLS, reportQueryFrom } from '../report-query.js';
import { Link, navigate, useLocation } from '../router.js';
import { useApi } from '../use-api.js';

// ECharts is the largest dependency: load it after the figures, in its own chunk.
const DeparturesChart = lazy(() => import('../components/departures-chart.js'));

type Options = OverstayReportResult['options'];
type CountKey = Exclude<keyof OverstayRow, 'group' | 'totalOverstayRate' | 'suspectedInCountryOverstayRate'>;

export function OverviewPage() {
  const { search } = useLocation();
  const query = reportQueryFrom(search);
  const report = useApi(`overview:${JSON.stringify(query)}`, (signal) => api.overstayReport(query, signal));

  return (
    <>
      <h1>Overstays and departures</h1>
      {report.status === 'ok' ? <PeriodForm options={report.data.options} /> : null}
      {report.status === 'loading' ? <Loading what="the overstay report" /> : null}
      {report.status === 'error' ? <ErrorMessage error={report.error} retry={report.reload} /> : null}
      {report.status === 'ok' ? <Report report={report.data} /> : null}
    </>
  );
}

function PeriodForm({ options }: { options: Options }) {
  const go = (o: Partial<Options>) => navigate(withQuery('/', { ...options, ...o }));
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const get = (k: string) => {
      const v = f.get(k);
      return typeof v === 'string' ? v : '';
    };
    go({ from: get('from'), to: get('to'), asOf: get('asOf') });
  };
  return (
    <form className="period" onSubmit={submit} key={JSON.stringify(options)} aria-label="Report period">
      <div className="field">
        <label htmlFor="period-from">Authorized stay ended from</label>
        <input
          id="period-from"
          name="from"
          type="date"
          required
          defaultValue={options.from}
          data-testid="period-from"
        />
      </div>
      <div className="field">
        <label htmlFor="period-to">to</label>
        <input
          id="period-to"
          name="to"
          type="date"
          required
          defaultValue={options.to}
          data-testid="period-to"
        />
      </div>
      <div className="field">
        <label htmlFor="period-asof">Evidence as of</label>
        <input
          id="period-asof"
          name="asOf"
          type="date"
          required
          defaultValue={options.asOf}
          data-testid="period-asof"
        />
      </div>
      <button type="submit" data-testid="period-apply">
        Show
      </button>
      <fieldset className="toggle">
        <legend>Group by</legend>
        {(
          [
            ['nationality', 'Country of citizenship'],
            ['class', 'Class of admission'],
          ] as const
        ).map(([by, label]) => (
          <label key={by}>
            <input
              type="radio"
              name="by"
              value={by}
              checked={options.by === by}
              onChange={() => go({ by })}
              data-testid={`by-${by}`}
            />
            {label}
          </label>
        ))}
      </fieldset>
    </form>
  );
}

function Report({ report }: { report: OverstayReportResult }) {
  const { options, total } = report;
  const target = (group: string, cells: readonly ReportCell[]) => drillDownHref({ ...options, group, cells });
  return (
    <>
      <section aria-labelledby="summary-heading" className="summary" data-testid="overview-summary">
        <h2 id="summary-heading">
          Stays whose authorized period ended {options.from} to {options.to}, with evidence as of{' '}
          {options.asOf}
        </h2>
        <dl>
          <SummaryFigure
            label="Expected departures"
            testId="summary-expected"
            value={formatCount(total.expectedDepartures)}
            href={target('Total', [])}
          />
          <SummaryFigure
            label="Out-of-country overstays"
            testId="summary-out-of-country"
            value={formatCount(total.outOfCountryOverstays)}
            href={target('Total', ['out-of-country-overstay'])}
          />
          <SummaryFigure
            label="Suspected in-country overstays"
            testId="summary-in-country"
            value={formatCount(total.suspectedInCountryOverstays)}
            href={target('Total', ['suspected-in-country-overstay'])}
          />
          <SummaryFigure
            label="Total overstay rate"
            testId="summary-rate"
            value={formatRate(total.totalOverstayRate)}
          />
        </dl>
      </section>
      <FiguresTable report={report} />
      <p className="note" data-testid="coverage-note">
        {report.coverageNote}
      </p>
      <Suspense fallback={<Loading what="the departures chart" />}>
        <DeparturesChart from={options.from} to={options.asOf} />
      </Suspense>
    </>
  );
}

function SummaryFigure({
  label,
  value,
  testId,
  href,
}: {
  label: string;
  value: string;
  testId: string;
  href?: string;
}) {
  return (
    <div className="figure-card">
      <dt>{label}</dt>
      <dd data-testid={testId}>{href ? <Link to={href}>{value}</Link> : value}</dd>
    </div>
  );
}

const col = createColumnHelper<OverstayRow>();

function FiguresTable({ report }: { report: OverstayReportResult }) {
  const { options, total } = report;
  const by: ReportGrouping = options.by;
  const columns = useMemo(() => {
    /** A count that opens the stays behind it; zero is not a link (there is nothing behind it). */
    const figure = (key: CountKey, header: string, cells: readonly ReportCell[]) =>
      col.accessor(key, {
        header,
        meta: { numeric: true },
        cell: (c) => (
          <Figure
            options={options}
            row={c.row.original}
            value={c.getValue()}
            cells={cells}
            columnKey={key}
            label={header}
          />
        ),
        footer: () => (
          <Figure
            options={options}
            row={total}
            value={total[key]}
            cells={cells}
            columnKey={key}
            label={header}
          />
        ),
      });
    const rate = (key: 'totalOverstayRate' | 'suspectedInCountryOverstayRate', header: string) =>
      col.accessor(key, {
        header,
        meta: { numeric: true },
        cell: (c) => formatRate(c.getValue()),
        footer: () => formatRate(total[key]),
      });
    return [
      col.accessor('group', {
        header: by === 'nationality' ? 'Country of citizenship' : 'Class of admission',
        cell: (c) => (by === 'nationality' ? countryLabel(c.getValue()) : c.getValue()),
        footer: () => 'Total',
      }),
      figure('expectedDepartures', 'Expected departures', []),
      figure('departedOnTime', CELL_LABELS['departed-on-time'], ['departed-on-time']),
      figure('departedDateUnknown', CELL_LABELS['departed-date-unknown'], ['departed-date-unknown']),
      figure('outOfCountryOverstays', CELL_LABELS['out-of-country-overstay'], ['out-of-country-overstay']),
      figure('suspectedInCountryOverstays', CELL_LABELS['suspected-in-country-overstay'], [
        'suspected-in-country-overstay',
      ]),
      figure('totalOverstays', 'Total overstays', OVERSTAY_CELLS),
      rate('totalOverstayRate', 'Total overstay rate'),
      rate('suspectedInCountryOverstayRate', 'Suspected in-country overstay rate'),
      figure('unresolved', CELL_LABELS.unresolved, ['unresolved']),
    ];
  }, [by, options, total]);

  return (
    <DataTable
      data={report.rows}
      columns={columns}
      testId="overstay-table"
      caption={`Overstays by ${by === 'nationality' ? 'country of citizenship' : 'class of admission'}; every figure opens the stays behind it.`}
      rowAttributes={(r) => ({ 'data-testid': 'overstay-row', 'data-group': r.group })}
      withFooter
      empty="No authorized stay ended in this period."
    />
  );
}

function Figure(p: {
  options: Options;
  row: OverstayRow;
  value: number;
  cells: readonly ReportCell[];
  columnKey: string;
  label: string;
}) {
  const text = formatCount(p.value);
  if (p.value === 0) return <span data-testid={`figure-${p.columnKey}`}>{text}</span>;
  const where =
    p.row.group === 'Total'
      ? 'all groups'
      : p.options.by === 'nationality'
        ? countryLabel(p.row.group)
        : p.row.group;
  return (
    <Link
      to={drillDownHref({ ...p.options, group: p.row.group, cells: p.cells })}
      data-testid={`figure-${p.columnKey}`}
      data-cell={p.cells.join(',')}
      data-group={p.row.group}
      aria-label={`${text} ${p.label.toLowerCase()}, ${where}: show the stays`}
    >
      {text}
    </Link>
  );
}
