import { computeStays } from '../core/stays/compute-stays.js';
import type { RulePack } from '../core/stays/rule-pack.js';
import { fromParsedStayFacts, type StayFactsArray } from '../core/stays/stay-facts.js';
import type { Stay } from '../core/stays/stay.js';
import { copyField } from '../store/copy-text.js';
import type { Database } from '../store/database.js';
import { inPipeline } from './in-pipeline.js';
import { arrayParam } from '../store/array-param.js';

export interface RecomputeOptions {
  readonly pack: RulePack;
  /** The day outcomes are judged on (an in-country overstay's days so far count to it). */
  readonly asOf: string;
  readonly chunkSize?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Persons per chunk. Small chunks keep little alive while the next is read and the last written, so
 * their garbage dies young: measured on 742 k persons, 2,500 took 12.6 s, 5,000 14.3 s, 20,000 more.
 */
export const STAY_CHUNK = 2_500;

export const STAY_COLUMNS = [
  'person_id',
  'seq',
  'admission_id',
  'admitted_on',
  'class_of_admission',
  'port',
  'nationality',
  'authorized_until',
  'departed_on',
  'departure_channel',
  'departure_inferred',
  'departure_observation_id',
  'outcome',
  'days_overstay',
  'rule',
  'evidence',
  'judged_on',
] as const;

const byNumericId = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/** A chunk of persons: an id range read and replaced whole, or a list of ids probed one by one. */
type Chunk = { readonly range: readonly [number, number] } | { readonly ids: readonly string[] };

/**
 * Replaces the stays of the given persons with a fresh computation from their current (not superseded)
 * facts. Stays are derived state: this can run at any time, any number of times, with the same result.
 * It reads the compact stay-facts projection, and reads the next chunk while it computes and writes this one.
 */
export async function recomputeStays(
  db: Database,
  personIds: Iterable<string>,
  options: RecomputeOptions,
): Promise<number> {
  const ids = [...personIds].sort(byNumericId); // neighbouring ids share index and heap pages
  const chunkSize = options.chunkSize ?? STAY_CHUNK;
  const chunks: Chunk[] = [];
  for (let i = 0; i < ids.length; i += chunkSize) {
    const part = ids.slice(i, i + chunkSize);
    const first = Number(part[0]);
    const last = Number(part[part.length - 1]);
    // Where most persons in an id range are affected (as after a large import), recomputing the whole
    // range costs less than finding the affected ones: one range scan instead of thousands of probes.
    chunks.push(last - first < 2 * part.length ? { range: [first, last] } : { ids: part });
  }
  const read = (chunk: Chunk) =>
    db.session((s) =>
      'range' in chunk
        ? s.query<PersonFacts>(
            `select ${PERSON_FACTS} from observation
              where person_id between $1 and $2 and not superseded group by person_id`,
            chunk.range,
          )
        : s.query<PersonFacts>(
            `select ${PERSON_FACTS} from observation
              where person_id = any($1::bigint[]) and not superseded group by person_id`,
            [arrayParam(chunk.ids)],
          ),
    );
  let stays = 0;
  let done = 0;
  await inPipeline(
    chunks,
    read,
    (rows) => computePersons(rows, options),
    async (chunk, computed) => {
      const [where, params] =
        'range' in chunk
          ? ['person_id between $1 and $2', chunk.range]
          : ['person_id = any($1::bigint[])', [arrayParam(chunk.ids)]];
      await db.transaction(async (s) => {
        await s.query(`delete from stay where ${where}`, params);
        await s.query(`delete from unmatched_departure where ${where}`, params);
        await s.copyLines('stay', STAY_COLUMNS, computed.stayLines);
        await s.copyLines('unmatched_departure', ['observation_id', 'person_id'], computed.unmatchedLines);
      });
      stays += computed.stayLines.length;
      done = Math.min(ids.length, done + chunkSize);
      options.onProgress?.(done, ids.length);
    },
  );
  return stays;
}

/**
 * One person's current facts, aggregated by the database into one JSON array of [observation id, 1 if
 * placed by the linkage model only (fuzzy) else 0, stay facts]: one row and one parse per person instead
 * of one per observation (measured on 742 k persons: 2 s less of this thread's time).
 */
export interface PersonFacts {
  person_id: string;
  facts: string;
}

/** The select list of PersonFacts, over `observation` grouped by person_id. */
export const PERSON_FACTS = /* sql */ `person_id::text as person_id,
  '[' || string_agg('["' || id || '",' || (identity = 'fuzzy')::int || ',' || facts || ']', ',') || ']' as facts`;

/**
 * Persons computed between two yields to the event loop. Each yield lets the write and read in flight
 * take their next round trip: without them a chunk's COPYs waited for the whole next chunk's compute
 * (742 k persons: 7.5 s of waiting for writes that then ran alone). About 5 ms of work.
 */
const PERSONS_PER_TURN = 250;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The stays of a chunk of persons as COPY lines, computed a few hundred persons per event-loop turn. */
export async function computePersons(
  rows: readonly PersonFacts[],
  options: RecomputeOptions,
): Promise<ComputedChunk> {
  const stayLines: string[] = [];
  const unmatchedLines: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % PERSONS_PER_TURN === 0) await nextTurn();
    const r = rows[i]!;
    const facts = JSON.parse(r.facts) as [string, number, StayFactsArray][];
    const inputs = facts.map(([id, fuzzy, f]) =>
      fromParsedStayFacts(id, f, fuzzy === 1 ? 'fuzzy' : undefined),
    );
    const result = computeStays(inputs, options.pack, options.asOf);
    let seq = 0;
    for (const st of result.stays) stayLines.push(stayLine(r.person_id, seq++, st, options.asOf));
    for (const id of result.unmatchedDepartureIds) unmatchedLines.push(`${id}\t${r.person_id}`);
  }
  return { stayLines, unmatchedLines };
}

export interface ComputedChunk {
  /** COPY text lines of stay (STAY_COLUMNS) and of unmatched_departure (observation_id, person_id). */
  readonly stayLines: string[];
  readonly unmatchedLines: string[];
}

const NULL = '\\N';

/**
 * One stay as a COPY text line in STAY_COLUMNS order, written directly: a million stays go through
 * here on a full recompute. Ids, dates, numbers and outcome words cannot hold a tab, newline or
 * backslash; the free-text fields go through copyField. The explanation and departure evidence are not
 * stored: the person page derives them again from the same facts as of `judgedOn` (ADR 16).
 */
function stayLine(personId: string, seq: number, st: Stay, judgedOn: string): string {
  const d = st.departure;
  return (
    `${personId}\t${seq}\t${st.admissionId}\t${st.admittedOn}\t${copyField(st.classOfAdmission)}\t${copyField(st.port)}\t` +
    `${copyField(st.nationality)}\t${st.authorizedUntil ?? NULL}\t${d?.date ?? NULL}\t${d?.channel ?? NULL}\t` +
    `${d?.inferred ? 't' : 'f'}\t${d?.observationId ?? NULL}\t${st.outcome}\t${st.daysOverstay ?? NULL}\t` +
    `${copyField(st.rule)}\t{${st.evidence.join(',')}}\t${judgedOn}`
  );
}
