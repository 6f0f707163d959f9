/**
 * Bounded purge of expired identity rows, for the scheduled handler: sessions, pending
 * authorization requests, codes and refresh tokens past their expiry (kept one extra day so a
 * late replay is still recognised and revokes), and stale failure counters. Each table loses
 * at most `limit` rows per call; one D1 batch. The scheduled handler repeats it a bounded
 * number of times (src/jobs/purge-identity.ts); requests never purge inline.
 */
import { LOGIN_FAILURE_WINDOW_SECONDS } from '../config';
import type { Database } from './db';

const REPLAY_MEMORY_SECONDS = 24 * 3600;

/** One chunk: deletes up to `limit` expired rows per table; the count per table. */
export async function purgeExpiredIdentityChunk(
  db: Database,
  now: number,
  limit: number,
): Promise<number[]> {
  const purge = (table: string, column: string, before: number) =>
    db
      .prepare(
        `DELETE FROM ${table} WHERE rowid IN
           (SELECT rowid FROM ${table} WHERE ${column} <= ? LIMIT ?)`,
      )
      .bind(before, limit);
  const results = await db.batch([
    purge('sessions', 'expires_at', now),
    purge('authorization_requests', 'expires_at', now),
    purge('authorization_codes', 'expires_at', now - REPLAY_MEMORY_SECONDS),
    purge('refresh_tokens', 'expires_at', now - REPLAY_MEMORY_SECONDS),
    // Every throttle window (logins, client authentication, signups, pending requests) is at
    // most LOGIN_FAILURE_WINDOW_SECONDS long, so older counters are dead.
    purge('auth_failures', 'window_start', now - LOGIN_FAILURE_WINDOW_SECONDS),
  ]);
  return results.map((result) => result.meta.changes ?? 0);
}

/** One chunk, as a total. */
export async function purgeExpiredIdentityRows(
  db: Database,
  now: number,
  limit = 500,
): Promise<number> {
  const counts = await purgeExpiredIdentityChunk(db, now, limit);
  return counts.reduce((total, count) => total + count, 0);
}
