import { withQuery, type ReportCell, type ReportGrouping, type ReportQuery } from './api.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const REPORT_CELL_IDS: readonly ReportCell[] = [
  'departed-on-time',
  'departed-date-unknown',
  'out-of-country-overstay',
  'suspected-in-country-overstay',
  'unresolved',
];
/** Total overstays: the two overstay cells together. */
export const OVERSTAY_CELLS: readonly ReportCell[] = [
  'out-of-country-overstay',
  'suspected-in-country-overstay',
];

/** The report period from a page address; absent or malformed values are left to the server's defaults. */
export function reportQueryFrom(search: URLSearchParams): ReportQuery {
  const q: ReportQuery = {};
  for (const k of ['from', 'to', 'asOf'] as const) {
    const v = search.get(k);
    if (v && DATE.test(v)) q[k] = v;
  }
  const by = search.get('by');
  if (by === 'nationality' || by === 'class') q.by = by;
  return q;
}

/** Cells named in a drill-down address (`cell=a,b`); empty means every expected departure. */
export function cellsFrom(search: URLSearchParams): ReportCell[] {
  const raw = search.get('cell');
  if (!raw) return [];
  return raw.split(',').filter((c): c is ReportCell => (REPORT_CELL_IDS as readonly string[]).includes(c));
}

export interface FigureTarget {
  readonly from: string;
  readonly to: string;
  readonly asOf: string;
  readonly by: ReportGrouping;
  readonly group: string;
  readonly cells: readonly ReportCell[];
}

export function drillDownHref(t: FigureTarget): string {
  return withQuery('/report/stays', {
    from: t.from,
    to: t.to,
    asOf: t.asOf,
    by: t.by,
    group: t.group,
    cell: t.cells.join(','),
  });
}
