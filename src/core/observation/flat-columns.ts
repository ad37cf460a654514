/**
 * The flat record: one row per observation, the column layout of CSV feeds (and the keys of NDJSON
 * lines in flat form). Empty cells mean "not known". See docs/formats.md.
 */
export const FLAT_COLUMNS = [
  'record_id',
  'kind',
  'given_names',
  'family_names',
  'birth_date',
  'sex',
  'nationality',
  'doc_number',
  'doc_type',
  'doc_country',
  'doc_expiry',
  'admission_number',
  'date',
  'port',
  'class_of_admission',
  'admit_until',
  'duration_of_status',
  'program_end_date',
  'channel',
  'carrier',
  'flight',
  'change',
  'event',
  'new_admit_until',
  'new_class_of_admission',
] as const;
export type FlatColumn = (typeof FLAT_COLUMNS)[number];
export type FlatRecord = { [C in FlatColumn]?: string | undefined };

/**
 * A flat record with every column present and unset. Readers fill this instead of an empty object: an
 * object grown key by key past a dozen properties becomes a slow hash table in V8, and the import reads
 * some twenty fields of every record. One fixed shape keeps those reads at object-literal speed.
 */
export function blankFlatRecord(): FlatRecord {
  return {
    record_id: undefined,
    kind: undefined,
    given_names: undefined,
    family_names: undefined,
    birth_date: undefined,
    sex: undefined,
    nationality: undefined,
    doc_number: undefined,
    doc_type: undefined,
    doc_country: undefined,
    doc_expiry: undefined,
    admission_number: undefined,
    date: undefined,
    port: undefined,
    class_of_admission: undefined,
    admit_until: undefined,
    duration_of_status: undefined,
    program_end_date: undefined,
    channel: undefined,
    carrier: undefined,
    flight: undefined,
    change: undefined,
    event: undefined,
    new_admit_until: undefined,
    new_class_of_admission: undefined,
  };
}
