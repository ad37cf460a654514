import type { Database } from '../store/database.js';
import { inPipeline } from './in-pipeline.js';
import { setStayClock } from './roll-stays-forward.js';
import {
  computePersons,
  PERSON_FACTS,
  type PersonFacts,
  STAY_CHUNK,
  STAY_COLUMNS,
  type RecomputeOptions,
} from './recompute-stays.js';

/**
 * Rebuilds every stay (after a rule-pack change): the new projection is written beside the old one
 * without indexes, indexed once at the end, and swapped in by one short transaction, so readers see the
 * old stays until the new ones are complete. Persons are read in id ranges, the next range while this
 * one is computed. Run it when no import is running: a stay an import writes meanwhile is replaced.
 */
export async function recomputeAllStays(
  db: Database,
  options: RecomputeOptions,
): Promise<{ persons: number; stays: number }> {
  const [bounds] = await db.session((s) =>
    s.query<{ max: string; persons: number }>(
      'select coalesce(max(id), 0)::text as max, count(*) filter (where merged_into is null)::int as persons from person',
    ),
  );
  const max = Number(bounds!.max);
  await db.session((s) =>
    s.exec(`drop table if exists stay_next; drop table if exists unmatched_departure_next;
            create table stay_next (like stay including defaults);
            create table unmatched_departure_next (like unmatched_departure including defaults);`),
  );
  const step = options.chunkSize ?? STAY_CHUNK;
  const read = (lo: number) =>
    db.session((s) =>
      s.query<PersonFacts>(
        `select ${PERSON_FACTS} from observation
          where person_id > $1 and person_id <= $2 and not superseded group by person_id`,
        [lo, lo + step],
      ),
    );
  const ranges: number[] = [];
  for (let lo = 0; lo < max; lo += step) ranges.push(lo);
  let stays = 0;
  // Writes need no transaction: stay_next is invisible to readers until the swap below.
  await inPipeline(
    ranges,
    read,
    (rows) => computePersons(rows, options),
    async (lo, computed) => {
      await db.session(async (s) => {
        await s.copyLines('stay_next', STAY_COLUMNS, computed.stayLines);
        await s.copyLines(
          'unmatched_departure_next',
          ['observation_id', 'person_id'],
          computed.unmatchedLines,
        );
      });
      stays += computed.stayLines.length;
      options.onProgress?.(Math.min(lo + step, max), max);
    },
  );
  await db.session((s) =>
    s.exec(`alter table stay_next add constraint stay_next_pkey primary key (person_id, seq);
            create index stay_next_authorized_until on stay_next (authorized_until);
            alter table unmatched_departure_next add constraint unmatched_departure_next_pkey primary key (observation_id);
            create index unmatched_departure_next_person on unmatched_departure_next (person_id);`),
  );
  await db.transaction((s) =>
    s.exec(`drop table stay; drop table unmatched_departure;
            alter table stay_next rename to stay;
            alter table unmatched_departure_next rename to unmatched_departure;
            alter index stay_next_pkey rename to stay_pkey;
            alter index stay_next_authorized_until rename to stay_authorized_until;
            alter index unmatched_departure_next_pkey rename to unmatched_departure_pkey;
            alter index unmatched_departure_next_person rename to unmatched_departure_person;`),
  );
  // The swapped-in tables have no statistics yet: without them the planner misjudges every stay read.
  await db.session((s) => s.exec('analyze stay, unmatched_departure'));
  await setStayClock(db, options.asOf);
  return { persons: bounds!.persons, stays };
}
