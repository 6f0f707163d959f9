/**
 * Fixed-window counters of failed logins and client authentications, in D1 (an increment is
 * one atomic upsert; KV could lose concurrent increments). Buckets are built by callers from
 * validated or hashed parts, e.g. `login-account:<sha256(email)>`, `login-ip:<ip>`.
 */
import type { Database } from './db';

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

/** Counts one failure in each bucket, starting a new window when the old one has passed. */
export async function recordFailure(
  db: Database,
  buckets: string[],
  now: number,
  windowSeconds: number,
): Promise<void> {
  // SQLite evaluates every SET expression against the old row, so both CASEs agree.
  const statement = `INSERT INTO auth_failures (bucket, window_start, failures) VALUES (?1, ?2, 1)
    ON CONFLICT (bucket) DO UPDATE SET
      failures = CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE failures + 1 END,
      window_start = CASE WHEN window_start <= ?2 - ?3 THEN ?2 ELSE window_start END`;
  await db.batch(buckets.map((bucket) => db.prepare(statement).bind(bucket, now, windowSeconds)));
}

/** Forgets the failures of a bucket (after a successful login). */
export async function clearFailures(db: Database, bucket: string): Promise<void> {
  await db.run(db.prepare('DELETE FROM auth_failures WHERE bucket = ?').bind(bucket));
}
