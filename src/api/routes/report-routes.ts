import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/app-context.js';
import { drillDown, runOverstayReport } from '../../app/overstay-report-query.js';
import {
  REPORT_CELLS,
  REPORT_GROUPINGS,
  type ReportCell,
  type ReportGrouping,
} from '../../core/reports/overstay-report.js';
import { reportToCsv } from '../../app/report-csv.js';
import { officeOfUser, officesOfPersons } from '../../app/person-office.js';
import { ApiError } from '../api-error.js';
import { pseudonymOf } from '../authorize.js';

const date = { type: 'string', format: 'date' };
const reportQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    from: date,
    to: date,
    asOf: date,
    by: { type: 'string', enum: REPORT_GROUPINGS },
    format: { type: 'string', enum: ['json', 'csv'] },
    group: { type: 'string', maxLength: 40 },
    cell: { type: 'string', enum: REPORT_CELLS },
    limit: { type: 'integer', minimum: 1, maximum: 5000 },
  },
};

interface ReportQuery {
  from?: string;
  to?: string;
  asOf?: string;
  by?: ReportGrouping;
  format?: 'json' | 'csv';
  group?: string;
  cell?: ReportCell;
  limit?: number;
}

/** Defaults: the last full US fiscal year (October to September) before the as-of date. */
export function reportWindow(
  q: ReportQuery,
  today: string,
): { from: string; to: string; asOf: string; by: ReportGrouping } {
  const asOf = q.asOf ?? today;
  const y = Number(asOf.slice(0, 4));
  const fyEndYear = asOf.slice(5) >= '10-01' ? y : y - 1;
  const from = q.from ?? `${fyEndYear - 1}-10-01`;
  const to = q.to ?? `${fyEndYear}-09-30`;
  if (from > to) throw new ApiError('VALIDATION_FAILED', `from (${from}) is after to (${to})`);
  return { from, to, asOf, by: q.by ?? 'nationality' };
}

export function reportRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: ReportQuery }>(
    '/api/reports/overstay',
    {
      config: { access: 'report.read' },
      schema: {
        tags: ['reports'],
        summary:
          'Entry/Exit overstay report: expected departures, out-of-country and suspected in-country overstays',
        querystring: reportQuery,
      },
    },
    async (req, reply) => {
      const report = await runOverstayReport(ctx.db, reportWindow(req.query, ctx.asOf()));
      if (req.query.format === 'csv') return reply.type('text/csv; charset=utf-8').send(reportToCsv(report));
      return report;
    },
  );

  app.get<{ Querystring: ReportQuery }>(
    '/api/reports/overstay/stays',
    {
      config: { access: 'report.drillDown' },
      schema: {
        tags: ['reports'],
        summary: 'The stays behind one figure of the overstay report (person ids, rule)',
        querystring: reportQuery,
      },
    },
    async (req) => {
      const result = await drillDown(ctx.db, {
        ...reportWindow(req.query, ctx.asOf()),
        group: req.query.group,
        cell: req.query.cell,
        limit: req.query.limit ?? 500,
      });
      req.access!.personIds.push(...result.stays.map((st) => st.personId));
      const user = req.user!;
      if (user.role !== 'analyst') {
        // Each stay's office, and for an officer whether it is theirs (others need a written reason to open).
        const offices = await officesOfPersons(
          ctx.db,
          result.stays.map((st) => st.personId),
          app.accessSettings.offices,
        );
        const own = user.role === 'officer' ? await officeOfUser(ctx.db, user.id) : null;
        return {
          ...result,
          stays: result.stays.map((st) => {
            const office = offices.get(st.personId) ?? null;
            return { ...st, office, inOffice: user.role !== 'officer' || (own !== null && office === own) };
          }),
        };
      }
      // Analysts see figures and pseudonymized drill-downs, never identities.
      const key = app.accessSettings.pseudonymKey;
      return {
        ...result,
        pseudonymized: true,
        stays: result.stays.map((st) => ({
          ...st,
          personId: pseudonymOf(key, st.personId),
          admissionId: pseudonymOf(key, `admission:${st.admissionId}`),
        })),
      };
    },
  );

  app.get<{ Querystring: { from?: string; to?: string } }>(
    '/api/stats/departures',
    {
      config: { access: 'report.departures' },
      schema: {
        tags: ['reports'],
        summary: 'Departures per month by channel (for the overview chart)',
        querystring: { type: 'object', additionalProperties: false, properties: { from: date, to: date } },
      },
    },
    async (req) => {
      const rows = await ctx.db.session((s) =>
        s.query<{ month: string; channel: string; departures: number }>(
          `select to_char(date_trunc('month', event_date), 'YYYY-MM') as month, channel, count(*)::int as departures
             from observation where kind = 'Departure' and not superseded
              and event_date between coalesce($1::date, '1900-01-01') and coalesce($2::date, '2100-01-01')
            group by 1, 2 order by 1, 2`,
          [req.query.from ?? null, req.query.to ?? null],
        ),
      );
      return { series: rows };
    },
  );
}
