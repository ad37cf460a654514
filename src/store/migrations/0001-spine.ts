/** The spine: raw records as received, observations, persons, stays, quarantine, accounts. */
export const up = /* sql */ `
create table import_run (
  id bigint generated always as identity primary key,
  source text not null,
  file text,
  format text not null,
  -- CSV header line as received: raw rows are kept as received, and need their header to be read.
  header text,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  rows_read integer not null default 0,
  rows_new integer not null default 0,
  rows_unchanged integer not null default 0,
  rows_superseded integer not null default 0,
  rows_quarantined integer not null default 0,
  status text not null default 'running'
);

-- Every record exactly as received. (source, source_record_id) names it; content_hash tells versions apart.
create table raw_record (
  id bigint primary key,
  source text not null,
  source_record_id text not null,
  -- Hash of source_record_id (src/store/record-key.ts): the small index an import probes for known versions.
  record_key bigint not null,
  content_hash text not null,
  import_id bigint,
  line integer,
  content text not null,
  received_at timestamptz not null default now(),
  superseded_by bigint
);
-- The importer finds the versions of a batch's records here and confirms source and id on the rows; it
-- holds a per-source advisory lock, so one version per content and one current version per record hold.
create index raw_record_key on raw_record (record_key);

create table person (
  id bigint primary key,
  created_at timestamptz not null default now(),
  merged_into bigint
);

-- Exact identity keys (document+issuer+birth date, admission number) -> person.
create table person_key (
  -- "C" collation: prefix searches (a document number across issuers and birth dates) use the index.
  key text collate "C" primary key,
  person_id bigint not null
);
create index person_key_person on person_key (person_id);

-- The typed fact read from a raw record. It takes the raw record's id: one accepted record, one observation.
-- The full observation is read from the raw record when it is shown (src/app/stored-observation.ts); the
-- store keeps only what is queried in bulk.
create table observation (
  id bigint primary key,
  kind text not null,
  person_id bigint,
  event_date date not null,
  channel text,
  -- The few fields the stays engine reads (core/stays/stay-facts.ts): recomputes never parse raw records.
  facts text not null,
  superseded boolean not null default false
);
create index observation_person on observation (person_id);

create table stay (
  person_id bigint not null,
  seq integer not null,
  admission_id bigint not null,
  admitted_on date not null,
  class_of_admission text not null,
  port text not null,
  nationality text,
  authorized_until date,
  departed_on date,
  departure_channel text,
  departure_inferred boolean not null,
  departure_observation_id bigint,
  outcome text not null,
  days_overstay integer,
  rule text not null,
  explanation text not null,
  evidence bigint[] not null,
  primary key (person_id, seq)
);
create index stay_authorized_until on stay (authorized_until);

create table unmatched_departure (
  observation_id bigint primary key,
  person_id bigint not null
);
create index unmatched_departure_person on unmatched_departure (person_id);

create table quarantine (
  id bigint generated always as identity primary key,
  import_id bigint,
  source text not null,
  file text,
  line integer,
  source_record_id text,
  content_hash text not null,
  format text not null,
  content text not null,
  errors jsonb not null,
  status text not null default 'open',
  created_at timestamptz not null default now(),
  resolved_at timestamptz,
  resolution text
);
create index quarantine_open on quarantine (status, id);
-- The same bad row imported twice is one quarantine entry.
create unique index quarantine_once on quarantine (source, content_hash) where status = 'open';

create table app_user (
  id bigint generated always as identity primary key,
  username text not null unique,
  password_hash text not null,
  role text not null,
  created_at timestamptz not null default now()
);

create table app_session (
  token_hash text primary key,
  user_id bigint not null references app_user (id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);

create sequence raw_record_id_seq;
create sequence person_id_seq;
`;
