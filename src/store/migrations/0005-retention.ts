/**
 * Retention (docs/retention.md, ADR 7): legal holds that block erasure, and the tombstones erased
 * records leave so that a re-delivery of the same record cannot bring it back.
 */
export const up = /* sql */ `
-- A legal hold on a person (person_id) or on one source record (source, source_record_id): while it is
-- active (released_at null) the retention job erases nothing it covers. Released, never deleted.
create table legal_hold (
  id bigint generated always as identity primary key,
  person_id bigint,
  source text,
  source_record_id text,
  -- Hash of source_record_id (src/store/record-key.ts), to find the held record's versions by index.
  record_key bigint,
  reason text not null,
  created_by text not null,
  created_at timestamptz not null default now(),
  released_at timestamptz,
  released_by text,
  release_reason text,
  constraint legal_hold_one_target check (
    (person_id is not null and source is null and source_record_id is null and record_key is null)
    or (person_id is null and source is not null and source_record_id is not null and record_key is not null)),
  constraint legal_hold_release_complete check (
    (released_at is null and released_by is null and release_reason is null)
    or (released_at is not null and released_by is not null and release_reason is not null))
);
create index legal_hold_active on legal_hold (id) where released_at is null;

-- What is left of an erased record: no content, only what recognises it if it is delivered again.
create table retention_tombstone (
  id bigint generated always as identity primary key,
  -- 'raw-record' (with its observation) or 'quarantine'
  category text not null,
  source text not null,
  source_record_id text not null,
  record_key bigint not null,
  content_hash text not null,
  -- The person the record belonged to (an id, like the audit log's), null for a quarantine entry.
  person_id bigint,
  erased_at timestamptz not null,
  -- The retention rule that erased it (config/retention.json).
  rule text not null
);
-- The importer looks up tombstones beside the known versions, by the same 64-bit key.
create index retention_tombstone_key on retention_tombstone (record_key);

-- Erasing a person also removes the person rows merged into it; merges are rare, so the index is small.
create index person_merged_into on person (merged_into) where merged_into is not null;

-- Holds are released, not deleted or rewritten; tombstones never change.
create function legal_hold_release_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and old.released_at is null
     and new.id = old.id and new.person_id is not distinct from old.person_id
     and new.source is not distinct from old.source
     and new.source_record_id is not distinct from old.source_record_id
     and new.record_key is not distinct from old.record_key
     and new.reason = old.reason and new.created_by = old.created_by and new.created_at = old.created_at then
    return new;
  end if;
  raise exception '% on legal_hold is refused: a hold is only released, once', tg_op
    using errcode = 'insufficient_privilege';
end $$;
create trigger legal_hold_release_only before update or delete on legal_hold
  for each row execute function legal_hold_release_only();

create function retention_tombstone_unchanged() returns trigger language plpgsql as $$
begin
  raise exception '% on retention_tombstone is refused: tombstones never change', tg_op
    using errcode = 'insufficient_privilege';
end $$;
create trigger retention_tombstone_unchanged before update or delete on retention_tombstone
  for each row execute function retention_tombstone_unchanged();
`;
