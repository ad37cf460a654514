import type { Database } from '../store/database.js';

/** Requests one client address may make to a public form per window. */
export const PUBLIC_RATES = {
  'dispute.submit': { requests: 5, windowSeconds: 3600 },
  'dispute.status': { requests: 30, windowSeconds: 3600 },
  'departure.selfReport': { requests: 10, windowSeconds: 3600 },
} as const;
export type PublicBucket = keyof typeof PUBLIC_RATES;

/**
 * Counts a request to a public form from a client address in a fixed window (in the store, so it holds
 * across restarts and API processes). Returns null when it may go ahead, else the seconds to wait.
 */
export async function countPublicRequest(
  db: Database,
  bucket: PublicBucket,
  clientIp: string,
  now = new Date(),
): Promise<number | null> {
  const rate = PUBLIC_RATES[bucket];
  const windowMs = rate.windowSeconds * 1000;
  const [row] = await db.transaction(async (s) => {
    await s.query(
      'delete from public_request_rate where bucket = $1 and window_started_at <= $2::timestamptz',
      [bucket, new Date(now.getTime() - windowMs).toISOString()],
    );
    return s.query<{ requests: number; window_started_at: Date | string }>(
      `insert into public_request_rate as r (bucket, client_ip, window_started_at, requests) values ($1, $2, $3::timestamptz, 1)
       on conflict (bucket, client_ip) do update set requests = r.requests + 1
       returning requests, window_started_at`,
      [bucket, clientIp, now.toISOString()],
    );
  });
  if (!row || row.requests <= rate.requests) return null;
  const endsAt = new Date(row.window_started_at).getTime() + windowMs;
  return Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000));
}
