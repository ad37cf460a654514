/**
 * The lists (manifests) each person's records came on (docs/adr/0009-linkage-in-the-store.md): two
 * passengers of one manifest are two people, so the linkage model never links a record to a person
 * already on that record's list, whichever batch or process placed them there.
 */
export const up = /* sql */ `
create table person_list (
  list_key text not null,
  person_id bigint not null,
  primary key (list_key, person_id)
);
create index person_list_person on person_list (person_id);
`;
