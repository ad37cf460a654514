import type { Database } from '../store/database.js';
import { recomputeStays, type RecomputeOptions } from './recompute-stays.js';

export interface RolledForward {
  /** The day the stays were judged on before (null: never rolled, so every person was judged again). */
  readonly from: string | null;
  readonly to: string;
  /** Persons whose stays were judged again. */
  readonly personIds: readonly string[];
}

/**
 * Judges again, on a new as-of day, the stays that time alone can change. Stays are computed when a
 * person's facts change, on that day; without this a suspected overstay's days so far, an authorized
 * period that has since ended, a self-report past its 30 days (lapsed) or a fact dated after the last
 * judgement (a departure reported ahead of time) would keep showing the old day's outcome.
 *
 * Time changes a stay without a departure (open, reported, contradicted or lapsed reports all leave the
 * stay open), and any person with a fact dated after the previous day. A stay with a confirmed or
 * inferred departure is final whatever the day. Returns null when the stays were already judged on
 * `asOf` or a later day. Per person it is the same recompute as after an import, so it may run beside
 * imports.
 */
export async function rollStaysForward(
  db: Database,
  options: RecomputeOptions,
): Promise<RolledForward | null> {
  const [clock] = await db.session((s) =>
    s.query<{ as_of: string }>('select as_of::text as as_of from stay_clock'),
  );
  const from = clock?.as_of ?? null;
  if (from !== null && from >= options.asOf) return null;
  const rows = await db.session((s) =>
    from === null
      ? s.query<{ person_id: string }>(
          `select id::text as person_id from person where merged_into is null
            and exists (select 1 from observation o where o.person_id = person.id)`,
        )
      : s.query<{ person_id: string }>(
          `select distinct person_id::text as person_id from stay where departed_on is null
           union
           select distinct person_id::text from observation
            where person_id is not null and not superseded and event_date > $1::date`,
          [from],
        ),
  );
  const personIds = rows.map((r) => r.person_id);
  await recomputeStays(db, personIds, options);
  await setStayClock(db, options.asOf);
  return { from, to: options.asOf, personIds };
}

/** Records that every stay was just judged on `asOf` (after a full recompute). */
export async function setStayClock(db: Database, asOf: string): Promise<void> {
  await db.session((s) =>
    s.query(
      `insert into stay_clock (as_of) values ($1::date)
       on conflict (singleton) do update set as_of = excluded.as_of, rolled_at = now()`,
      [asOf],
    ),
  );
}
