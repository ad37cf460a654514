import type { Database } from '../store/database.js';

/** After this many failed sign-ins for one user name within the window, it is locked for a while. */
export const LOCKOUT = { maxFailures: 5, windowMinutes: 15, lockMinutes: 15 } as const;

const minutesBefore = (now: Date, minutes: number) => new Date(now.getTime() - minutes * 60_000);
const minutesAfter = (now: Date, minutes: number) => new Date(now.getTime() + minutes * 60_000);

/**
 * Temporary lockout per user name as typed (table sign_in_failure). Names that have no account lock
 * the same way, so a lockout does not tell who exists.
 *
 * An attempt is counted when it starts, before the password is checked, so a burst of parallel guesses
 * cannot all slip past the check; a success removes the count, a failure may turn it into a lock.
 * Returns the end of the lock when this attempt is refused, else null.
 */
export async function startAttempt(db: Database, username: string, now: Date): Promise<Date | null> {
  const [row] = await db.transaction(async (s) => {
    // Forget failure windows and locks that are over, for every name (this keeps the table small). Rows
    // another attempt holds are skipped rather than waited for, so concurrent sign-ins never deadlock.
    await s.query(
      `delete from sign_in_failure where username in (
         select username from sign_in_failure
          where window_started_at <= $1::timestamptz and (locked_until is null or locked_until <= $2::timestamptz)
          for update skip locked)`,
      [minutesBefore(now, LOCKOUT.windowMinutes).toISOString(), now.toISOString()],
    );
    // Attempts beyond the allowance (a parallel burst) lock the name even before any of them fails.
    return s.query<{ locked_until: Date | string | null }>(
      `insert into sign_in_failure as f (username, attempts, window_started_at) values ($1, 1, $2::timestamptz)
       on conflict (username) do update set
         attempts = f.attempts + 1,
         locked_until = case when f.attempts + 1 > $3 then coalesce(f.locked_until, $4::timestamptz)
                             else f.locked_until end
       returning locked_until`,
      [
        username,
        now.toISOString(),
        LOCKOUT.maxFailures,
        minutesAfter(now, LOCKOUT.lockMinutes).toISOString(),
      ],
    );
  });
  const lockedUntil = row?.locked_until ? new Date(row.locked_until) : null;
  return lockedUntil && lockedUntil > now ? lockedUntil : null;
}

/** The attempt failed: the last failure the window allows starts the lock. */
export async function attemptFailed(db: Database, username: string, now: Date): Promise<void> {
  await db.session((s) =>
    s.query(
      `update sign_in_failure set locked_until = $3::timestamptz
        where username = $1 and attempts >= $2 and locked_until is null`,
      [username, LOCKOUT.maxFailures, minutesAfter(now, LOCKOUT.lockMinutes).toISOString()],
    ),
  );
}

/** The attempt succeeded: earlier failures are forgiven. */
export async function attemptSucceeded(db: Database, username: string): Promise<void> {
  await db.session((s) => s.query('delete from sign_in_failure where username = $1', [username]));
}

/**
 * The attempt neither failed nor succeeded (the right password, but the second factor is still to be
 * typed): it does not count against the user.
 */
export async function attemptNotCounted(db: Database, username: string): Promise<void> {
  await db.session((s) =>
    s.query('update sign_in_failure set attempts = attempts - 1 where username = $1 and attempts > 0', [
      username,
    ]),
  );
}
