import type { Observation } from '../core/observation/observation.js';
import { parseFlatRecord } from '../core/observation/parse-flat-record.js';
import { personLinkOf, type PersonLink } from '../core/linkage/person-link.js';
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

/** Trains a model on a sample of the store's records and makes it the active one. */
export async function trainFromStore(
  db: Database,
  sample: number,
): Promise<ModelRelease & { id: string; records: number; candidatePairs: number; iterations: number }> {
  const links = await storedPersonLinks(db, sample);
  const release = trainPersonModel(
    links,
    `${links.length.toLocaleString('en-US')} records sampled from the store on ${new Date().toISOString().slice(0, 10)}`,
  );
  const id = await db.transaction((s) => installModel(s, release));
  return { ...release, id, records: links.length };
}
