/**
 * Fixed-window counters of failed logins and client authentications, in D1 (an increment is
 * one atomic upsert; KV could lose concurrent increments). Buckets are built by callers from
 * validated or hashed parts, e.g. `login-account:<sha256(email)>`, `login-ip:<ip>`.
 */
import { type Database, firstOf } from './db';

/** The highest failure count among `buckets` within the current window. One round trip. */
export async function maxRecentFailures(
  db: Database,
  buckets: string[],
  now: number,
  windowSeconds: number,
): Promise<number> {
  const row = await db.first<{ failures: number | null }>(
    db
      .prepare(
        `SELECT MAX(failures) AS failures FROM auth_failures
          WHERE bucket IN (SELECT value FROM json_each(?)) AND window_start > ?`,
      )
      .bind(JSON.stringify(buckets), now - windowSeconds),
  );
  return row?.failures ?? 0;
}

const COUNT_STATEMENT = `INSERT INTO auth_failures (bucket, window_start, failures) VALUES (?1, ?2, 1)
    ON CONFLICT (bucket) DO UPDATE SET
      failures = CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE failures + 1 END,
      window_start = CASE WHEN window_start <= ?2 - ?3 THEN ?2 ELSE window_start END
    RETURNING failures`;

/** Counts one failure in each bucket, starting a new window when the old one has passed. */
export async function recordFailure(
  db: Database,
  buckets: string[],
  now: number,
  windowSeconds: number,
): Promise<void> {
  await countAttempt(db, buckets, now, windowSeconds);
}

/**
 * Counts an attempt in each bucket before it is checked and returns each bucket's count,
 * this attempt included. Counting first (one atomic upsert per bucket) means parallel
 * attempts cannot all pass the limit before any of them is recorded. One round trip.
 */
export async function countAttempt(
  db: Database,
  buckets: string[],
  now: number,
  windowSeconds: number,
): Promise<number[]> {
  // SQLite evaluates every SET expression against the old row, so both CASEs agree.
  const results = await db.batch(
    buckets.map((bucket) => db.prepare(COUNT_STATEMENT).bind(bucket, now, windowSeconds)),
  );
  return results.map((result) => firstOf<{ failures: number }>(result)?.failures ?? 0);
}

/**
 * After a successful attempt: forgets the failures of `clear` and takes the attempt back out
 * of `forgive` (it was counted before it was known to succeed). One round trip.
 */
export async function settleSuccess(db: Database, clear: string, forgive: string): Promise<void> {
  await db.batch([
    db.prepare('DELETE FROM auth_failures WHERE bucket = ?').bind(clear),
    db
      .prepare('UPDATE auth_failures SET failures = MAX(failures - 1, 0) WHERE bucket = ?')
      .bind(forgive),
  ]);
}
