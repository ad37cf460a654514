/** Redress: disputes filed by the public, worked by officers to a correction or a reasoned answer. */
export const up = /* sql */ `
create table dispute (
  id bigint generated always as identity primary key,
  -- What the person is given: a ticket number and a secret (stored hashed) to check the status later.
  ticket text not null unique,
  secret_hash text not null,
  submitted_at timestamptz not null default now(),
  -- As the person wrote it: what is wrong, the identifying details they gave, how to reach them.
  statement text not null,
  claimed_identity jsonb not null,
  contact text not null,
  status text not null default 'received',
  -- Set by an officer: the person the dispute is about (public input never links or merges by itself).
  person_id bigint,
  -- While the dispute is open, the person's records are on legal hold (retention erases nothing of them).
  legal_hold_id bigint,
  identity_verified_by text,
  identity_verified_how text,
  identity_verified_at timestamptz,
  -- Each correction made for this dispute: what changed, shown on the ticket.
  changes jsonb not null default '[]',
  answer text,
  closed_at timestamptz,
  closed_by text
);
create index dispute_open on dispute (status, id);

-- Requests from one client address per window, for public forms (disputes, status checks).
create table public_request_rate (
  bucket text not null,
  client_ip text not null,
  window_started_at timestamptz not null,
  requests integer not null,
  primary key (bucket, client_ip)
);
`;
