import type { IsoDate } from '../observation/observation.js';
import type { StayOutcome } from '../stays/stay.js';

/** The columns of a stay the overstay report reads. */
export interface ReportStay {
  readonly nationality: string | null;
  readonly classOfAdmission: string;
  readonly authorizedUntil: IsoDate | null;
  readonly departedOn: IsoDate | null;
  readonly departureInferred: boolean;
  readonly outcome: StayOutcome;
}

export const REPORT_GROUPINGS = ['nationality', 'class'] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];

/** Where one expected departure lands in the report, as of the report's date. */
export const REPORT_CELLS = [
  'departed-on-time',
  'departed-date-unknown',
  'out-of-country-overstay',
  'suspected-in-country-overstay',
  'unresolved',
] as const;
export type ReportCell = (typeof REPORT_CELLS)[number];

export interface OverstayReportOptions {
  /** Authorized periods ending in [from, to] are the expected departures (e.g. a fiscal year). */
  readonly from: IsoDate;
  readonly to: IsoDate;
  /** Evidence dated after this day is not yet known to the report. */
  readonly asOf: IsoDate;
  readonly by: ReportGrouping;
}

export interface OverstayRow {
  readonly group: string;
  readonly expectedDepartures: number;
  readonly departedOnTime: number;
  readonly departedDateUnknown: number;
  readonly outOfCountryOverstays: number;
  readonly suspectedInCountryOverstays: number;
  readonly totalOverstays: number;
  /** Total overstays / expected departures, percent, two decimals. */
  readonly totalOverstayRate: number;
  readonly suspectedInCountryOverstayRate: number;
  readonly unresolved: number;
}

export interface OverstayReport {
  readonly options: OverstayReportOptions;
  readonly rows: readonly OverstayRow[];
  readonly total: OverstayRow;
}

/**
 * Classifies a stay for the report, or null when it is not an expected departure of the period.
 * A stay is an expected departure when its authorized period ended within [from, to] before the as-of
 * date; open periods (duration of status, pending timely filings, status changed) are not expected to end.
 */
export function classifyForReport(
  stay: ReportStay,
  o: Pick<OverstayReportOptions, 'from' | 'to' | 'asOf'>,
): ReportCell | null {
  const end = stay.authorizedUntil;
  if (end === null || end < o.from || end > o.to || end >= o.asOf) return null;
  if (stay.outcome === 'unresolved') return 'unresolved';
  if (stay.departureInferred)
    return stay.outcome === 'departed-on-time' ? 'departed-on-time' : 'departed-date-unknown';
  if (stay.departedOn === null || stay.departedOn > o.asOf) return 'suspected-in-country-overstay';
  return stay.departedOn > end ? 'out-of-country-overstay' : 'departed-on-time';
}

export function groupOf(stay: ReportStay, by: ReportGrouping): string {
  return (by === 'nationality' ? stay.nationality : stay.classOfAdmission) ?? 'unknown';
}

const pct = (n: number, d: number) => (d === 0 ? 0 : Math.round((10_000 * n) / d) / 100);

class Tally {
  expected = 0;
  onTime = 0;
  unknownDate = 0;
  outOfCountry = 0;
  inCountry = 0;
  unresolved = 0;
  add(cell: ReportCell) {
    this.expected++;
    if (cell === 'departed-on-time') this.onTime++;
    else if (cell === 'departed-date-unknown') this.unknownDate++;
    else if (cell === 'out-of-country-overstay') this.outOfCountry++;
    else if (cell === 'suspected-in-country-overstay') this.inCountry++;
    else this.unresolved++;
  }
  row(group: string): OverstayRow {
    const total = this.outOfCountry + this.inCountry;
    return {
      group,
      expectedDepartures: this.expected,
      departedOnTime: this.onTime,
      departedDateUnknown: this.unknownDate,
      outOfCountryOverstays: this.outOfCountry,
      suspectedInCountryOverstays: this.inCountry,
      totalOverstays: total,
      totalOverstayRate: pct(total, this.expected),
      suspectedInCountryOverstayRate: pct(this.inCountry, this.expected),
      unresolved: this.unresolved,
    };
  }
}

/** The Entry/Exit Overstay Report over any stays (stored ones, or a generator's ground truth). */
export function overstayReport(stays: Iterable<ReportStay>, options: OverstayReportOptions): OverstayReport {
  const groups = new Map<string, Tally>();
  const all = new Tally();
  for (const stay of stays) {
    const cell = classifyForReport(stay, options);
    if (cell === null) continue;
    const g = groupOf(stay, options.by);
    let t = groups.get(g);
    if (!t) groups.set(g, (t = new Tally()));
    t.add(cell);
    all.add(cell);
  }
  const rows = [...groups.entries()]
    .map(([g, t]) => t.row(g))
    .sort((a, b) => b.expectedDepartures - a.expectedDepartures || a.group.localeCompare(b.group));
  return { options, rows, total: all.row('Total') };
}
