/**
 * Bounded purge of expired identity rows, for the scheduled handler: sessions, pending
 * authorization requests, codes and refresh tokens past their expiry (kept one extra day so a
 * late replay is still recognised and revokes), and stale failure counters. Each table loses
 * at most `limit` rows per call; one D1 batch.
 */
import { LOGIN_FAILURE_WINDOW_SECONDS } from '../config';
import type { Database } from './db';

const REPLAY_MEMORY_SECONDS = 24 * 3600;

export async function purgeExpiredIdentityRows(
  db: Database,
  now: number,
  limit = 500,
): Promise<number> {
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
    purge('auth_failures', 'window_start', now - LOGIN_FAILURE_WINDOW_SECONDS),
  ]);
  return results.reduce((total, result) => total + (result.meta.changes ?? 0), 0);
}
