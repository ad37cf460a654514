import type { Observation } from '../core/observation/observation.js';
import { parseFlatRecord } from '../core/observation/parse-flat-record.js';
import { comparisonsOf } from '../core/linkage/comparison-vector.js';
import { PERSON_LINK_FIELDS, personLinkOf, type PersonLink } from '../core/linkage/person-link.js';
import { generatePopulation } from '../generate/generate-population.js';
import type { GenerateOptions } from '../generate/generated-item.js';
import { installModel, type ModelRelease } from '../identity/active-model.js';
import { trainPersonModel } from '../linkage/train-person-model.js';
import type { Database } from '../store/database.js';
import {
  observationFromRaw,
  RAW_COLUMNS,
  RAW_OF_OBSERVATION,
  type RawObservationRow,
} from './stored-observation.js';

/** The person links of a generated population's records (for the bundled model and tests). */
export function generatedPersonLinks(options: GenerateOptions): PersonLink[] {
  const links: PersonLink[] = [];
  for (const item of generatePopulation(options)) {
    if (item.kind !== 'record') continue;
    const r = parseFlatRecord(item.record);
    if (r.ok) links.push(personLinkOf((r.value as Observation).person));
  }
  return links;
}

/** A random sample of the store's current records, as person links. */
export async function storedPersonLinks(db: Database, sample: number): Promise<PersonLink[]> {
  const rows = await db.session((s) =>
    s.query<RawObservationRow>(
      `select ${RAW_COLUMNS} from observation o ${RAW_OF_OBSERVATION}
        where not o.superseded order by random() limit $1`,
      [sample],
    ),
  );
  const links: PersonLink[] = [];
  for (const row of rows) {
    const o = observationFromRaw(row);
    if (o) links.push(personLinkOf(o.person));
  }
  return links;
}

/**
 * Reviewers' decisions as labelled comparison vectors: each review keeps the level of every field
 * (its waterfall), which is the pair's comparison vector.
 */
export async function reviewLabels(db: Database): Promise<{ vector: Uint8Array; same: boolean }[]> {
  const rows = await db.session((s) =>
    s.query<{ status: string; levels: string[] }>(
      `select status, array(select f->>'level' from jsonb_array_elements(explanation->'fields') f) as levels
         from identity_review where status in ('same', 'different')`,
    ),
  );
  const c = comparisonsOf(PERSON_LINK_FIELDS);
  return rows.flatMap((r) => {
    const vector = r.levels.map((label, f) => c.levels[f]?.indexOf(label) ?? -1);
    if (vector.length !== c.fields.length || vector.some((l) => l < 0)) return [];
    return [{ vector: Uint8Array.from(vector), same: r.status === 'same' }];
  });
}

/** Trains a model on a sample of the store's records and reviewers' decisions, and makes it the active one. */
export async function trainFromStore(
  db: Database,
  sample: number,
): Promise<
  ModelRelease & { id: string; records: number; labels: number; candidatePairs: number; iterations: number }
> {
  const links = await storedPersonLinks(db, sample);
  const labelled = await reviewLabels(db);
  const release = trainPersonModel(
    links,
    `${links.length.toLocaleString('en-US')} records sampled from the store and ${labelled.length.toLocaleString('en-US')} reviewers' decisions, on ${new Date().toISOString().slice(0, 10)}`,
    { labelled },
  );
  const id = await db.transaction((s) => installModel(s, release));
  return { ...release, id, records: links.length, labels: labelled.length };
}
