import { writeFileSync } from 'node:fs';
import { FLAT_COLUMNS } from '../core/observation/flat-columns.js';
import { flatRecordLine } from '../generate/csv.js';
import { generatePopulation } from '../generate/generate-population.js';
import type { GenerateOptions } from '../generate/generated-item.js';
import type { ColumnMapping } from './link-files.js';

/** The spine's feed columns as person fields: how its observations are linked as person records. */
export const FEED_PERSON_MAPPING: ColumnMapping = {
  idColumn: 'record_id',
  fields: {
    given_name: 'given_names',
    family_name: 'family_names',
    birth_date: 'birth_date',
    sex: 'sex',
    nationality: 'nationality',
    document_number: 'doc_number',
    document_country: 'doc_country',
    admission_number: 'admission_number',
  },
  others: [],
};

export interface GeneratedTruth {
  /** The true person of each record id. */
  readonly personOf: ReadonlyMap<string, string>;
  /** Pairs of twins (different persons who share a family name and birth date). */
  readonly twins: readonly (readonly [string, string])[];
}

/**
 * Writes a generated population's observations (admissions, departures, status changes) as one CSV of
 * person records, at most `limit` of them. A duplicate delivery under the same id is one record, as the
 * store keeps it once.
 */
export function writeGeneratedPersonRecords(
  file: string,
  options: GenerateOptions,
  limit = Number.POSITIVE_INFINITY,
): GeneratedTruth {
  const lines = [FLAT_COLUMNS.join(',')];
  const personOf = new Map<string, string>();
  const twins: [string, string][] = [];
  const seen = new Set<string>();
  for (const item of generatePopulation(options)) {
    if (item.kind === 'person' && item.twinOf !== null) twins.push([item.personId, item.twinOf]);
    else if (item.kind === 'truth-record') personOf.set(item.recordId, item.personId);
    else if (item.kind === 'record' && !seen.has(item.record.record_id!) && seen.size < limit) {
      seen.add(item.record.record_id!);
      lines.push(flatRecordLine(item.record));
    }
  }
  writeFileSync(file, lines.join('\n') + '\n');
  return { personOf, twins };
}
