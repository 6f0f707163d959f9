/**
 * Attempt counters for the throttles of the identity half, in D1 (an increment is one atomic
 * upsert; KV could lose concurrent increments). Buckets are built by callers from validated or
 * hashed parts, e.g. `client:<client_id>|<address>`, `login:<sha256(email)>|<address>`.
 *
 * Two shapes share the table:
 * - fixed windows (`countAttempt`): `window_start` is when the window opened, `failures` the
 *   attempts since;
 * - sliding records (`countLoginAttempt`'s pair bucket): `window_start` is the last attempt and
 *   a quiet period of `quietSeconds` starts over, which is what a backoff needs.
 * Either way a row whose `window_start` is older than the longest window is dead, and the
 * scheduled purge removes it (src/storage/identity-purge.ts).
 */
import { type Database, firstOf } from './db';

/** The count of a bucket after this attempt, and when its window opened (unix seconds). */
export interface AttemptCount {
  count: number;
  windowStart: number;
}

const FIXED_WINDOW = `INSERT INTO auth_failures (bucket, window_start, failures) VALUES (?1, ?2, 1)
    ON CONFLICT (bucket) DO UPDATE SET
      failures = CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE failures + 1 END,
      window_start = CASE WHEN window_start <= ?2 - ?3 THEN ?2 ELSE window_start END
    RETURNING failures, window_start`;

const SLIDING = `INSERT INTO auth_failures (bucket, window_start, failures) VALUES (?1, ?2, 1)
    ON CONFLICT (bucket) DO UPDATE SET
      failures = CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE failures + 1 END,
      window_start = ?2
    RETURNING failures, window_start`;

type CountRow = { failures: number; window_start: number };

const toCount = (result: D1Result | undefined, now: number): AttemptCount => {
  const row = firstOf<CountRow>(result);
  return { count: row?.failures ?? 0, windowStart: row?.window_start ?? now };
};

/**
 * The statement that counts one attempt in a fixed-window bucket, for callers that put it in
 * their own batch (its RETURNING row is the bucket's count, this attempt included).
 */
export function fixedWindowCount(
  db: Database,
  bucket: string,
  now: number,
  windowSeconds: number,
): D1PreparedStatement {
  // SQLite evaluates every SET expression against the old row, so both CASEs agree.
  return db.prepare(FIXED_WINDOW).bind(bucket, now, windowSeconds);
}

/**
 * Counts an attempt in each fixed-window bucket and returns each bucket's count, this attempt
 * included. Counting before deciding means parallel attempts cannot all pass the limit before
 * any of them is recorded. One round trip.
 */
export async function countAttempt(
  db: Database,
  buckets: string[],
  now: number,
  windowSeconds: number,
): Promise<AttemptCount[]> {
  const results = await db.batch(
    buckets.map((bucket) => fixedWindowCount(db, bucket, now, windowSeconds)),
  );
  return results.map((result) => toCount(result, now));
}

/** A sliding record as it was before this attempt: failures so far and the last attempt. */
export interface PriorAttempts {
  failures: number;
  lastAt: number;
}

/**
 * Counts a login attempt in one transaction: reads the (account, address) record as it was,
 * then counts the attempt there (sliding, reset after `quietSeconds` without attempts) and in
 * the address's fixed window. One round trip.
 */
export async function countLoginAttempt(
  db: Database,
  buckets: { pair: string; address: string },
  now: number,
  quietSeconds: number,
): Promise<{ pairBefore: PriorAttempts | null; address: AttemptCount }> {
  const [before, , address] = await db.batch([
    db
      .prepare('SELECT failures, window_start FROM auth_failures WHERE bucket = ?')
      .bind(buckets.pair),
    db.prepare(SLIDING).bind(buckets.pair, now, quietSeconds),
    fixedWindowCount(db, buckets.address, now, quietSeconds),
  ]);
  const row = firstOf<CountRow>(before);
  return {
    pairBefore:
      row === null || row.window_start <= now - quietSeconds
        ? null
        : { failures: row.failures, lastAt: row.window_start },
    address: toCount(address, now),
  };
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
