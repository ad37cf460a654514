import type { OverstayReport } from '../core/reports/overstay-report.js';

const HEADER = [
  'group',
  'expected_departures',
  'out_of_country_overstays',
  'suspected_in_country_overstays',
  'total_overstays',
  'total_overstay_rate_pct',
  'suspected_in_country_overstay_rate_pct',
  'departed_on_time',
  'departed_date_unknown',
  'unresolved',
];

const cell = (v: string | number) =>
  typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v);

export function reportToCsv(report: OverstayReport): string {
  const lines = [HEADER.join(',')];
  for (const r of [...report.rows, report.total]) {
    lines.push(
      [
        r.group,
        r.expectedDepartures,
        r.outOfCountryOverstays,
        r.suspectedInCountryOverstays,
        r.totalOverstays,
        r.totalOverstayRate,
        r.suspectedInCountryOverstayRate,
        r.departedOnTime,
        r.departedDateUnknown,
        r.unresolved,
      ]
        .map(cell)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}
