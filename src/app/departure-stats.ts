import type { Database } from '../store/database.js';

export interface LiveDepartureStats {
  readonly asOf: string;
  readonly days: number;
  /** Departures that ended a stay, per day and channel (the stays engine's departures, not reports). */
  readonly perDay: readonly { readonly day: string; readonly channel: string; readonly departures: number }[];
  /** The same in the period by country of citizenship, most first (at most 12). */
  readonly byNationality: readonly { readonly nationality: string; readonly departures: number }[];
  /** Self-reports made in the period, and how many a carrier or border record has confirmed. */
  readonly selfReports: { readonly reported: number; readonly confirmed: number };
  /** Hours from a departure to the arrival of its record, median and 90th percentile (null: none). */
  readonly confirmationLagHours: { readonly median: number | null; readonly p90: number | null };
  readonly pendingIdentityReviews: number;
}

/** A self-report counts as confirmed when a departure by another channel ended a stay within this many days of it. */
export const CORROBORATION_DAYS = 7;

/** The live departures dashboard's figures for the `days` up to `asOf`. */
export async function liveDepartureStats(db: Database, asOf: string, days = 30): Promise<LiveDepartureStats> {
  return db.session(async (s) => {
    const window = [asOf, days] as const;
    const perDay = await s.query<{ day: string; channel: string; departures: number }>(
      `select to_char(departed_on, 'YYYY-MM-DD') as day, coalesce(departure_channel, 'unknown') as channel, count(*)::int as departures
         from stay where departed_on > $1::date - $2::int and departed_on <= $1::date
        group by 1, 2 order by 1, 2`,
      window,
    );
    const byNationality = await s.query<{ nationality: string; departures: number }>(
      `select coalesce(nationality, 'unknown') as nationality, count(*)::int as departures
         from stay where departed_on > $1::date - $2::int and departed_on <= $1::date
        group by 1 order by 2 desc, 1 limit 12`,
      window,
    );
    const [reports] = await s.query<{ reported: number; confirmed: number }>(
      `select count(*)::int as reported,
              count(*) filter (where exists (
                select 1 from stay st where st.person_id = o.person_id and st.departure_channel is distinct from 'self-report'
                   and st.departed_on between o.event_date - $3::int and o.event_date + $3::int))::int as confirmed
         from observation o
        where o.kind = 'Departure' and o.channel = 'self-report' and not o.superseded
          and o.event_date > $1::date - $2::int and o.event_date <= $1::date + 90`,
      [...window, CORROBORATION_DAYS],
    );
    const [lag] = await s.query<{ median: number | null; p90: number | null }>(
      `select percentile_cont(0.5) within group (order by h) as median, percentile_cont(0.9) within group (order by h) as p90
         from (select extract(epoch from (r.received_at - st.departed_on::timestamptz)) / 3600 as h
                 from stay st join raw_record r on r.id = st.departure_observation_id
                where st.departed_on > $1::date - $2::int and st.departed_on <= $1::date and not st.departure_inferred) x`,
      window,
    );
    const [reviews] = await s.query<{ n: number }>(
      "select count(*)::int as n from identity_review where status = 'open'",
    );
    return {
      asOf,
      days,
      perDay,
      byNationality,
      selfReports: reports!,
      confirmationLagHours: {
        median: lag!.median === null ? null : Math.round(Number(lag!.median) * 10) / 10,
        p90: lag!.p90 === null ? null : Math.round(Number(lag!.p90) * 10) / 10,
      },
      pendingIdentityReviews: reviews!.n,
    };
  });
}

export interface DepartureReportRow {
  readonly channel: string;
  readonly nationality: string;
  readonly departures: number;
}

/**
 * Self-departures (departures without removal) that ended a stay in a period, by channel and country
 * of citizenship. Inferred departures (proved by a later admission) have no date and are not counted.
 */
export async function departureReport(
  db: Database,
  period: { from: string; to: string },
): Promise<{ rows: DepartureReportRow[]; total: number }> {
  const rows = await db.session((s) =>
    s.query<DepartureReportRow>(
      `select coalesce(departure_channel, 'unknown') as channel, coalesce(nationality, 'unknown') as nationality, count(*)::int as departures
         from stay where departed_on between $1::date and $2::date and departure_channel is distinct from 'removal'
        group by 1, 2 order by 1, 3 desc, 2`,
      [period.from, period.to],
    ),
  );
  return { rows, total: rows.reduce((n, r) => n + r.departures, 0) };
}

export interface DepartureEvidenceRow {
  readonly personId: string;
  readonly admissionId: string;
  readonly departedOn: string;
  readonly channel: string | null;
  readonly nationality: string | null;
  readonly departureObservationId: string | null;
  readonly evidence: readonly string[];
}

/** The stays behind one cell of the departure report, with the observations that prove each departure. */
export async function departureEvidence(
  db: Database,
  q: { from: string; to: string; channel?: string; nationality?: string; limit?: number },
): Promise<DepartureEvidenceRow[]> {
  return db.session((s) =>
    s.query<DepartureEvidenceRow>(
      `select person_id::text as "personId", admission_id::text as "admissionId", to_char(departed_on, 'YYYY-MM-DD') as "departedOn",
              departure_channel as channel, nationality, departure_observation_id::text as "departureObservationId", evidence::text[] as evidence
         from stay where departed_on between $1::date and $2::date and departure_channel is distinct from 'removal'
          and ($3::text is null or coalesce(departure_channel, 'unknown') = $3) and ($4::text is null or coalesce(nationality, 'unknown') = $4)
        order by departed_on, person_id limit $5`,
      [q.from, q.to, q.channel ?? null, q.nationality ?? null, q.limit ?? 500],
    ),
  );
}
