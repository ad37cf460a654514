import type { Database } from '../store/database.js';

export interface DepartureAlert {
  readonly personId: string;
  readonly departedOn: string;
  readonly channel: string | null;
  readonly observationId: string;
}

export async function followPerson(db: Database, userId: string, personId: string): Promise<boolean> {
  const [p] = await db.session((s) =>
    s.query<{ id: string }>('select coalesce(merged_into, id)::text as id from person where id = $1', [
      personId,
    ]),
  );
  if (!p) return false;
  await db.session((s) =>
    s.query('insert into person_follow (user_id, person_id) values ($1, $2) on conflict do nothing', [
      userId,
      p.id,
    ]),
  );
  return true;
}

export async function unfollowPerson(db: Database, userId: string, personId: string): Promise<void> {
  await db.session((s) =>
    s.query('delete from person_follow where user_id = $1 and person_id = $2', [userId, personId]),
  );
}

export async function followedPersons(db: Database, userId: string): Promise<string[]> {
  const rows = await db.session((s) =>
    s.query<{ person_id: string }>(
      'select person_id::text as person_id from person_follow where user_id = $1 order by created_at',
      [userId],
    ),
  );
  return rows.map((r) => r.person_id);
}

/**
 * The confirmed departures of persons this user follows that they were not yet alerted about, among the
 * persons just changed; each is marked alerted, so it is said once. A departure is confirmed when it
 * ends a stay (the stays engine decides: a report or a fuzzy match does not).
 */
export async function takeDepartureAlerts(
  db: Database,
  userId: string,
  changedPersonIds: readonly string[],
): Promise<DepartureAlert[]> {
  if (changedPersonIds.length === 0) return [];
  return db.transaction(async (s) => {
    const rows = await s.query<{
      person_id: string;
      departed_on: string;
      channel: string | null;
      observation_id: string;
    }>(
      // The latest confirmed departure of each followed person, alerted unless it was already.
      `select * from (
         select distinct on (f.person_id) f.person_id::text as person_id, to_char(st.departed_on, 'YYYY-MM-DD') as departed_on,
                st.departure_channel as channel, st.departure_observation_id::text as observation_id,
                f.alerted_observation_id::text as alerted
           from person_follow f join stay st on st.person_id = f.person_id
          where f.user_id = $1 and f.person_id = any($2::bigint[]) and st.departed_on is not null and not st.departure_inferred
          order by f.person_id, st.departed_on desc) latest
        where observation_id is distinct from alerted`,
      [userId, changedPersonIds],
    );
    for (const r of rows)
      await s.query(
        'update person_follow set alerted_observation_id = $3 where user_id = $1 and person_id = $2',
        [userId, r.person_id, r.observation_id],
      );
    return rows.map((r) => ({
      personId: r.person_id,
      departedOn: r.departed_on,
      channel: r.channel,
      observationId: r.observation_id,
    }));
  });
}
