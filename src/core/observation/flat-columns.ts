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
export type FlatRecord = Partial<Record<FlatColumn, string>>;
