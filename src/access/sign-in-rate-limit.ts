import type { Database } from '../store/database.js';

/** Sign-in attempts allowed from one client address per window, whatever user names they try. */
export const SIGN_IN_RATE = { attempts: 20, windowSeconds: 60 } as const;

/**
 * Counts a sign-in attempt from a client address in a fixed window (table sign_in_rate, so the count
 * holds across restarts and is shared by every API process). Returns null when the attempt may go
 * ahead, else the seconds until the window ends.
 */
export async function countSignInAttempt(db: Database, clientIp: string, now: Date): Promise<number | null> {
  const windowMs = SIGN_IN_RATE.windowSeconds * 1000;
  const [row] = await db.transaction(async (s) => {
    // Windows that are over are forgotten, for every address (this keeps the table small). Rows another
    // attempt holds are skipped rather than waited for, so concurrent sign-ins never deadlock.
    await s.query(
      `delete from sign_in_rate where client_ip in (
         select client_ip from sign_in_rate where window_started_at <= $1::timestamptz for update skip locked)`,
      [new Date(now.getTime() - windowMs).toISOString()],
    );
    return s.query<{ attempts: number; window_started_at: Date | string }>(
      `insert into sign_in_rate as r (client_ip, window_started_at, attempts) values ($1, $2::timestamptz, 1)
       on conflict (client_ip) do update set attempts = r.attempts + 1
       returning attempts, window_started_at`,
      [clientIp, now.toISOString()],
    );
  });
  if (!row || row.attempts <= SIGN_IN_RATE.attempts) return null;
  const endsAt = new Date(row.window_started_at).getTime() + windowMs;
  return Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000));
}
