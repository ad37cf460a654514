import {
  classifyForReport,
  groupOf,
  overstayReport,
  type OverstayReport,
  type OverstayReportOptions,
  type ReportCell,
  type ReportStay,
} from '../core/reports/overstay-report.js';
import type { StayOutcome } from '../core/stays/stay.js';
import type { Database } from '../store/database.js';

interface StayRow {
  person_id: string;
  admission_id: string;
  nationality: string | null;
  class_of_admission: string;
  authorized_until: string | null;
  departed_on: string | null;
  departure_inferred: boolean;
  outcome: StayOutcome;
  days_overstay: number | null;
  rule: string;
}

const toReportStay = (r: StayRow): ReportStay => ({
  nationality: r.nationality,
  classOfAdmission: r.class_of_admission,
  authorizedUntil: r.authorized_until,
  departedOn: r.departed_on,
  departureInferred: r.departure_inferred,
  outcome: r.outcome,
});

async function staysEndingIn(db: Database, from: string, to: string): Promise<StayRow[]> {
  return db.session((s) =>
    s.query<StayRow>(
      `select person_id::text as person_id, admission_id::text as admission_id, nationality, class_of_admission,
              to_char(authorized_until, 'YYYY-MM-DD') as authorized_until, to_char(departed_on, 'YYYY-MM-DD') as departed_on,
              departure_inferred, outcome, days_overstay, rule
         from stay where authorized_until between $1 and $2`,
      [from, to],
    ),
  );
}

export interface ChannelCoverage {
  readonly channel: string;
  readonly departures: number;
}

export interface OverstayReportResult extends OverstayReport {
  /** Which departure channels the evidence covers: a channel with no feed cannot show departures. */
  readonly coverage: readonly ChannelCoverage[];
  readonly coverageNote: string;
}

export async function runOverstayReport(
  db: Database,
  options: OverstayReportOptions,
): Promise<OverstayReportResult> {
  const rows = await staysEndingIn(db, options.from, options.to);
  const report = overstayReport(rows.map(toReportStay), options);
  const coverage = await db.session((s) =>
    s.query<{ channel: string; departures: number }>(
      `select channel, count(*)::int as departures from observation
        where kind = 'Departure' and not superseded group by 1 order by 2 desc`,
    ),
  );
  const present = new Set(coverage.map((c) => c.channel));
  const missing = ['air', 'sea', 'land'].filter((c) => !present.has(c));
  const coverageNote =
    `Departures are counted from the channels with evidence: ${coverage.map((c) => `${c.channel} (${c.departures})`).join(', ') || 'none'}.` +
    (missing.length > 0
      ? ` No ${missing.join(' or ')} departure feed: those departures cannot be seen, so their stays may show as suspected in-country overstays.`
      : '') +
    ' Land departures are covered only where a partner country feed exists.';
  return { ...report, coverage, coverageNote };
}

export interface DrillDownStay {
  readonly personId: string;
  readonly admissionId: string;
  readonly group: string;
  readonly classOfAdmission: string;
  readonly nationality: string | null;
  readonly authorizedUntil: string | null;
  readonly departedOn: string | null;
  readonly cell: ReportCell;
  readonly daysOverstay: number | null;
  readonly rule: string;
}

/** The stays behind one figure of the report: which persons, and the rule that decided each. */
export async function drillDown(
  db: Database,
  options: OverstayReportOptions & {
    readonly group?: string | undefined;
    readonly cell?: ReportCell | undefined;
    readonly limit?: number;
  },
): Promise<{ total: number; stays: DrillDownStay[] }> {
  const rows = await staysEndingIn(db, options.from, options.to);
  const out: DrillDownStay[] = [];
  for (const r of rows) {
    const st = toReportStay(r);
    const cell = classifyForReport(st, options);
    if (cell === null) continue;
    if (options.cell && cell !== options.cell) continue;
    const group = groupOf(st, options.by);
    if (options.group && options.group !== 'Total' && group !== options.group) continue;
    out.push({
      personId: r.person_id,
      admissionId: r.admission_id,
      group,
      classOfAdmission: r.class_of_admission,
      nationality: r.nationality,
      authorizedUntil: r.authorized_until,
      departedOn: r.departed_on,
      cell,
      daysOverstay: r.days_overstay,
      rule: r.rule,
    });
  }
  out.sort(
    (a, b) =>
      (a.authorizedUntil ?? '').localeCompare(b.authorizedUntil ?? '') ||
      a.personId.localeCompare(b.personId),
  );
  return { total: out.length, stays: out.slice(0, options.limit ?? 500) };
}
