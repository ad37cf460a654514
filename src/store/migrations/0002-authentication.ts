/**
 * Authentication: second factor, sign-in throttling and session idle time (docs/security.md).
 * Throttling state lives here, not in process memory, so it holds across restarts and processes.
 */
export const up = /* sql */ `
-- TOTP (RFC 6238): the base32 secret, and the last time step accepted so a code cannot be replayed.
alter table app_user add column totp_secret text;
alter table app_user add column totp_last_step bigint;

-- The idle timeout counts from here; expires_at stays the absolute end of the session.
alter table app_session add column last_seen_at timestamptz not null default now();

-- Failed sign-ins per user name as typed, whether or not such a user exists, so a lockout says nothing
-- about who has an account. An attempt is counted when it starts (a burst of parallel guesses all
-- count) and the row is removed on success.
create table sign_in_failure (
  username text primary key,
  attempts integer not null,
  window_started_at timestamptz not null,
  locked_until timestamptz
);

-- Sign-in attempts per client address in a fixed one-minute window.
create table sign_in_rate (
  client_ip text primary key,
  window_started_at timestamptz not null,
  attempts integer not null
);
`;
