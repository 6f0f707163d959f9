/**
 * Idempotency-Key records (spec §14): claim a key with one atomic statement, read the recorded
 * response, complete or release a claim, and purge expired keys in bounded chunks.
 */
import { type Database, firstOf } from './db';

export interface IdempotencyScope {
  userId: string;
  /** The application's client_id, the personal key's id or the session hash. */
  principalId: string;
  key: string;
}

export interface RecordedResponse {
  requestHash: string;
  /** Null while the first request is still running. */
  status: number | null;
  body: string | null;
}

const SCOPE = 'user_id = ? AND principal_id = ? AND key = ?';
const scopeBinds = (scope: IdempotencyScope) => [scope.userId, scope.principalId, scope.key];

/**
 * Claims the key for this request: inserts it, or takes over a row that expired or whose
 * first request died in flight. One statement, so of parallel first requests exactly one
 * claims. Without a claim, the recorded row is returned in the same round trip.
 */
export async function claimKey(
  db: Database,
  scope: IdempotencyScope,
  request: { hash: string; now: number; ttlSeconds: number; inFlightMaxSeconds: number },
): Promise<{ claimed: true } | { claimed: false; recorded: RecordedResponse | null }> {
  const [claim, current] = await db.batch([
    db
      .prepare(
        `INSERT INTO idempotency_keys
                (user_id, principal_id, key, request_hash, status, body, created_at, expires_at)
         VALUES (?, ?, ?, ?, NULL, NULL, ?, ?)
         ON CONFLICT (user_id, principal_id, key) DO UPDATE
            SET request_hash = excluded.request_hash, status = NULL, body = NULL,
                created_at = excluded.created_at, expires_at = excluded.expires_at
          WHERE idempotency_keys.expires_at <= excluded.created_at
             OR (idempotency_keys.status IS NULL AND idempotency_keys.created_at <= ?)
         RETURNING 1 AS claimed`,
      )
      .bind(
        ...scopeBinds(scope),
        request.hash,
        request.now,
        request.now + request.ttlSeconds,
        request.now - request.inFlightMaxSeconds,
      ),
    db
      .prepare(`SELECT request_hash, status, body FROM idempotency_keys WHERE ${SCOPE}`)
      .bind(...scopeBinds(scope)),
  ]);
  if (firstOf(claim) !== null) return { claimed: true };
  const row = firstOf<{ request_hash: string; status: number | null; body: string | null }>(
    current,
  );
  return {
    claimed: false,
    recorded:
      row === null ? null : { requestHash: row.request_hash, status: row.status, body: row.body },
  };
}

/** Records the first response of a claimed key. */
export async function completeKey(
  db: Database,
  scope: IdempotencyScope,
  response: { status: number; body: string },
): Promise<void> {
  await db.run(
    db
      .prepare(`UPDATE idempotency_keys SET status = ?, body = ? WHERE ${SCOPE} AND status IS NULL`)
      .bind(response.status, response.body, ...scopeBinds(scope)),
  );
}

/** Gives a claim back after its request failed, so a retry runs it again. */
export async function releaseKey(db: Database, scope: IdempotencyScope): Promise<void> {
  await db.run(
    db
      .prepare(`DELETE FROM idempotency_keys WHERE ${SCOPE} AND status IS NULL`)
      .bind(...scopeBinds(scope)),
  );
}

/** Deletes up to `limitRows` keys expired at `now`; the number deleted. */
export async function purgeExpiredKeysChunk(
  db: Database,
  now: number,
  limitRows: number,
): Promise<number> {
  const result = await db.run(
    db
      .prepare(
        `DELETE FROM idempotency_keys WHERE rowid IN
           (SELECT rowid FROM idempotency_keys WHERE expires_at <= ? LIMIT ?)`,
      )
      .bind(now, limitRows),
  );
  return result.meta.changes;
}
