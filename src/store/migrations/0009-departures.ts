/**
 * Departures (docs/departures.md): how each observation reached its person (an exact key, or the linkage
 * model: a departure matched only fuzzily is pending identity review, not confirmed), the departure
 * evidence of each stay, and persons an officer follows, to be alerted when their departure is confirmed.
 */
export const up = /* sql */ `
alter table observation add column identity text not null default 'exact' check (identity in ('exact', 'fuzzy'));
alter table stay add column departure_evidence jsonb;

create table person_follow (
  user_id bigint not null,
  person_id bigint not null,
  created_at timestamptz not null default now(),
  -- The departure last alerted about: a confirmed departure alerts once.
  alerted_observation_id bigint,
  primary key (user_id, person_id)
);
create index person_follow_person on person_follow (person_id);
`;
