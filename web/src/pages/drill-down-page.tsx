import { useMemo } from 'react';
import { createColumnHelper } from '@tanstack/react-table';
import { api, withQuery, type DrillDownStay } from '../api.js';
import { countryLabel } from '../country-names.js';
import { DataTable } from '../components/data-table.js';
import { ErrorMessage, Loading } from '../components/status.js';
import { CELL_LABELS, CELL_SINGULAR, formatCount } from '../format.js';
import { cellsFrom, reportQueryFrom } from '../report-query.js';
import { Link, useLocation } from '../router.js';
import { useApi } from '../use-api.js';

const LIMIT = 500;

/** The stays behind one figure of the overstay report, each linking to the person. */
export function DrillDownPage() {
  const { search } = useLocation();
  const query = reportQueryFrom(search);
  const group = search.get('group') ?? 'Total';
  const cells = cellsFrom(search);
  const key = `drill:${JSON.stringify({ query, group, cells })}`;
  const result = useApi(key, async (signal) => {
    // "Total overstays" is two cells; the API filters by one, so ask once per cell and merge.
    const parts = await Promise.all(
      (cells.length > 0 ? cells : [undefined]).map((cell) =>
        api.drillDown({ ...query, group, ...(cell ? { cell } : {}), limit: LIMIT }, signal),
      ),
    );
    const stays = parts.flatMap((p) => p.stays);
    stays.sort(
      (a, b) =>
        (a.authorizedUntil ?? '').localeCompare(b.authorizedUntil ?? '') ||
        a.personId.localeCompare(b.personId),
    );
    return {
      total: parts.reduce((n, p) => n + p.total, 0),
      pseudonymized: parts.some((p) => p.pseudonymized),
      stays,
    };
  });

  const what =
    cells.length === 0
      ? 'Expected departures'
      : cells.length === 2
        ? 'Total overstays'
        : CELL_LABELS[cells[0]!];
  const where =
    group === 'Total' ? 'all groups' : query.by === 'class' ? `class ${group}` : countryLabel(group);
  const back = withQuery('/', { ...query });

  return (
    <>
      <p className="breadcrumb">
        <Link to={back}>← Overview</Link>
      </p>
      <h1 data-testid="drilldown-title">
        {what}: {where}
      </h1>
      <p className="hint">
        Authorized stay ended {query.from ?? 'in the default period'}
        {query.to ? ` to ${query.to}` : ''}
        {query.asOf ? `, evidence as of ${query.asOf}` : ''}.
      </p>
      {result.status === 'loading' ? <Loading what="the stays" /> : null}
      {result.status === 'error' ? <ErrorMessage error={result.error} retry={result.reload} /> : null}
      {result.status === 'ok' ? (
        <>
          <p data-testid="drilldown-total">
            {formatCount(result.data.total)} {result.data.total === 1 ? 'stay' : 'stays'}
            {result.data.stays.length < result.data.total
              ? `; the first ${formatCount(result.data.stays.length)} are shown`
              : ''}
            .
          </p>
          {result.data.pseudonymized ? (
            <p className="hint" data-testid="pseudonymized">
              Persons are shown by pseudonym: your role sees figures, not identities.
            </p>
          ) : null}
          <StaysTable stays={result.data.stays} pseudonymized={result.data.pseudonymized} />
        </>
      ) : null}
    </>
  );
}

type Row = DrillDownStay & { office?: string | null; inOffice?: boolean };
const col = createColumnHelper<Row>();

function StaysTable({ stays, pseudonymized }: { stays: Row[]; pseudonymized: boolean }) {
  const columns = useMemo(
    () => [
      col.accessor('personId', {
        header: 'Person',
        cell: (c) =>
          pseudonymized ? (
            <span data-testid="person-pseudonym">{c.getValue()}</span>
          ) : (
            <Link
              to={`/persons/${c.getValue()}?stay=${c.row.original.admissionId}`}
              data-testid="person-link"
              data-admission-id={c.row.original.admissionId}
              data-in-office={String(c.row.original.inOffice ?? true)}
            >
              Person {c.getValue()}
            </Link>
          ),
      }),
      col.accessor('office', {
        header: 'Office',
        cell: (c) =>
          c.getValue() === undefined ? (
            '—'
          ) : (
            <span
              title={
                c.row.original.inOffice === false
                  ? 'Outside your office: opening it needs a written reason'
                  : ''
              }
            >
              {c.getValue() ?? 'none'}
              {c.row.original.inOffice === false ? ' (not yours)' : ''}
            </span>
          ),
      }),
      col.accessor('admissionId', { header: 'Admission record' }),
      col.accessor('nationality', {
        header: 'Citizenship',
        cell: (c) => (c.getValue() ? countryLabel(c.getValue()!) : 'unknown'),
      }),
      col.accessor('classOfAdmission', { header: 'Class' }),
      col.accessor('authorizedUntil', { header: 'Authorized until', cell: (c) => c.getValue() ?? 'open' }),
      col.accessor('departedOn', { header: 'Departed', cell: (c) => c.getValue() ?? '—' }),
      col.accessor('cell', {
        header: 'Counted as',
        cell: (c) => (
          <span data-testid="drilldown-cell" data-cell={c.getValue()}>
            {CELL_SINGULAR[c.getValue()]}
          </span>
        ),
      }),
      col.accessor('daysOverstay', {
        header: 'Days overstay',
        meta: { numeric: true },
        cell: (c) => (c.getValue() === null ? '—' : formatCount(c.getValue()!)),
      }),
      col.accessor('rule', { header: 'Rule', cell: (c) => <code>{c.getValue()}</code> }),
    ],
    [pseudonymized],
  );
  return (
    <DataTable
      data={stays}
      columns={columns}
      testId="drilldown-table"
      caption="Each stay links to the person's timeline and the rule that decided it."
      rowAttributes={(s) => ({ 'data-testid': 'drilldown-row', 'data-person-id': s.personId })}
      empty="No stays behind this figure."
    />
  );
}
