/**
 * Accountability: the append-only, hash-chained audit log, its signed checkpoints, and the office each
 * user works for (officers see the persons of their own office).
 */
export const up = /* sql */ `
create table audit_entry (
  -- Contiguous: the writer numbers entries under a lock, so a missing number is a deleted entry.
  seq bigint primary key,
  at timestamptz not null,
  user_id bigint,
  username text,
  role text,
  -- The allow-table action (person.read) and the route it came through (GET /api/persons/:id).
  action text not null,
  route text not null,
  -- Ids, never personal content: entries outlive the erasure of the data they point to.
  person_ids bigint[] not null,
  record_refs text[] not null,
  purpose text,
  purpose_reference text,
  break_glass_reason text,
  outcome text not null,
  status integer not null,
  request_id text not null,
  prev_hash text not null,
  hash text not null
);
-- The auditor's questions: what a user did, who looked at a person, which break-glass accesses to review.
-- Each index is one more write on every request for personal data, so there is none the views do not use.
create index audit_entry_user on audit_entry (username, seq);
create index audit_entry_person on audit_entry using gin (person_ids);
create index audit_entry_break_glass on audit_entry (seq) where break_glass_reason is not null;

-- The chain head signed (Ed25519) at intervals: an inspector holding the public key can check an export.
create table audit_checkpoint (
  seq bigint primary key,
  hash text not null,
  at timestamptz not null,
  public_key text not null,
  signature text not null
);

-- Append-only, whoever connects: the application role has no UPDATE or DELETE, and a trigger refuses them.
create function audit_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'the audit log is append-only: % on % is refused', tg_op, tg_table_name
    using errcode = 'insufficient_privilege';
end $$;
create trigger audit_entry_append_only before update or delete on audit_entry
  for each row execute function audit_refuse_change();
create trigger audit_entry_no_truncate before truncate on audit_entry
  for each statement execute function audit_refuse_change();
create trigger audit_checkpoint_append_only before update or delete on audit_checkpoint
  for each row execute function audit_refuse_change();
revoke update, delete, truncate on audit_entry, audit_checkpoint from public;

-- The office an officer or supervisor works for (config/offices.json); null: no office.
alter table app_user add column office text;
`;
