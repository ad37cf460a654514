/** Departures (docs/departures.md): persons an officer follows, to be alerted when their departure is confirmed. */
export const up = /* sql */ `
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
