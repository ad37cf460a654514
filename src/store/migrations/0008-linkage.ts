/**
 * Probabilistic identity resolution (docs/adr/0009-linkage-in-the-store.md): the trained models, the
 * person index new records are matched against, the placements the model made with their explanation,
 * the review queue, reviewers' constraints, and the "identity verified" mark.
 */
export const up = /* sql */ `
create table linkage_model (
  id bigint generated always as identity primary key,
  created_at timestamptz not null default now(),
  -- What it was trained on, in words (the bundled model's file, or the store's records and when).
  trained_on text not null,
  link_threshold double precision not null check (link_threshold > 0 and link_threshold < 1),
  review_threshold double precision not null check (review_threshold > 0 and review_threshold <= link_threshold),
  model jsonb not null,
  active boolean not null default false
);
create unique index linkage_model_active on linkage_model (active) where active;

-- The distinct ways each person's records describe them, normalised for comparison (core/linkage/person-link.ts).
create table person_descriptor (
  person_id bigint not null,
  -- hash53 of the encoded link: a record that describes the person as before adds nothing.
  descriptor_hash bigint not null,
  link text not null,
  primary key (person_id, descriptor_hash)
);

-- Blocking keys (hash53 of rule and key) -> person: a new record's candidates; and name-sound keys for
-- search. A merge moves a person's keys, so a key always names a live person. (An index of both columns
-- would spare the lookups the table, but measured, it costs the bulk load more than it saves them.)
create table person_block_key (
  key_hash bigint not null,
  person_id bigint not null
);
create index person_block_key_hash on person_block_key (key_hash);

alter table person
  add column identity_verified_at timestamptz,
  add column identity_verified_by text,
  add column identity_verified_how text;

-- What the model decided for each record it scored: linked to a person, or a new person sent to review.
create table link_decision (
  observation_id bigint primary key,
  decision text not null check (decision in ('linked', 'review')),
  person_id bigint not null,
  candidate_person_id bigint not null,
  probability double precision not null,
  match_weight double precision not null,
  -- The waterfall: prior and each field's weight, with both sides' values.
  explanation jsonb not null,
  model_id bigint not null references linkage_model (id),
  decided_at timestamptz not null default now()
);

-- Pairs a person decides: uncertain ones, and a random sample of automatic links for quality review.
create table identity_review (
  id bigint generated always as identity primary key,
  -- uncertain: the model was unsure; quality-sample: a random automatic link; departure-identity: a
  -- departure linked by the model, pending a person's confirmation before it counts.
  reason text not null check (reason in ('uncertain', 'quality-sample', 'departure-identity')),
  -- The records placed by the decision under review (a group of records that share exact keys moves together).
  observation_ids bigint[] not null,
  -- The person the record was placed on, and the candidate it may be (the same person for a quality sample).
  record_person_id bigint not null,
  candidate_person_id bigint not null,
  probability double precision not null,
  match_weight double precision not null,
  explanation jsonb not null,
  model_id bigint not null references linkage_model (id),
  created_at timestamptz not null default now(),
  status text not null default 'open' check (status in ('open', 'same', 'different', 'withdrawn')),
  decided_by text,
  decided_at timestamptz,
  note text
);
create index identity_review_open on identity_review (id) where status = 'open';
create index identity_review_persons on identity_review (record_person_id, candidate_person_id);

-- Persons that must never be joined (a reviewer's "different", a split), smaller id first.
create table linkage_constraint (
  person_a bigint not null,
  person_b bigint not null check (person_a < person_b),
  reason text not null,
  created_by text not null,
  created_at timestamptz not null default now(),
  primary key (person_a, person_b)
);
`;
