/**
 * The delivery log (spec §13, §17) and the outbox that hands committed changes to the queue.
 * The outbox cursor only advances after the queue accepted the messages, so a failed send is
 * retried by the next pump (the scheduled sweep at the latest): nothing is lost.
 */
import type { StoredEvent } from '../events/feed';
import { EVENT_COLUMNS } from './change-feed';
import { type Database, firstOf, rowsOf } from './db';
import type { EndpointRow } from './webhooks';

export interface DeliveryRow {
  event_id: string;
  attempt: number;
  status: 'delivered' | 'failed' | 'pending';
  http_status: number | null;
  duration_ms: number;
  next_retry_at: number | null;
  created_at: number;
}

export interface Attempt extends Omit<DeliveryRow, 'created_at'> {
  endpointId: string;
  now: number;
}

/** Endpoints failing longer than this become `disabled` on their next failure (spec §13). */
export const DISABLE_AFTER_FAILING_SECONDS = 3 * 86_400;

/**
 * Logs one attempt and updates the endpoint's failure streak in one batch: a success ends
 * it; a failure starts it or, once it is 3 days old, disables the endpoint.
 */
export async function recordAttempt(db: Database, attempt: Attempt): Promise<void> {
  const streak =
    attempt.status === 'delivered'
      ? db
          .prepare('UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ?')
          .bind(attempt.endpointId)
      : db
          .prepare(
            `UPDATE webhook_endpoints
                SET failing_since = COALESCE(failing_since, ?1),
                    status = CASE WHEN COALESCE(failing_since, ?1) <= ?1 - ?2 THEN 'disabled' ELSE status END
              WHERE id = ?3`,
          )
          .bind(attempt.now, DISABLE_AFTER_FAILING_SECONDS, attempt.endpointId);
  await db.batch([
    db
      .prepare(
        `INSERT INTO webhook_deliveries (endpoint_id, event_id, attempt, status, http_status,
           duration_ms, next_retry_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        attempt.endpointId,
        attempt.event_id,
        attempt.attempt,
        attempt.status,
        attempt.http_status,
        attempt.duration_ms,
        attempt.next_retry_at,
        attempt.now,
      ),
    streak,
  ]);
}

/** The newest attempts first, at most `limit`. */
export async function listDeliveries(
  db: Database,
  endpointId: string,
  limit: number,
): Promise<DeliveryRow[]> {
  return db.all<DeliveryRow>(
    db
      .prepare(
        `SELECT event_id, attempt, status, http_status, duration_ms, next_retry_at, created_at
           FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?`,
      )
      .bind(endpointId, limit),
  );
}

/**
 * The event a delivery carries (`target.eventId`), if the endpoint's application received it;
 * else null.
 */
export async function getDeliverable(
  db: Database,
  target: { endpoint: EndpointRow; eventId: string },
): Promise<StoredEvent | null> {
  const statement = db.prepare(
    `SELECT ${EVENT_COLUMNS} FROM changes c WHERE c.id = ? AND c.client_id = ?`,
  );
  return db.first<StoredEvent>(statement.bind(target.eventId, target.endpoint.client_id));
}

export interface OutboxItem {
  event_id: string;
  endpoint_id: string;
}

export interface OutboxWindow {
  from: number;
  through: number | null;
  items: OutboxItem[];
}

/**
 * The next `limitChanges` changes after the outbox cursor and, for each, every active
 * endpoint of its receiving application whose filter names its type and that existed when it
 * committed. `through` is null when there is nothing after the cursor.
 */
export async function readOutbox(db: Database, limitChanges: number): Promise<OutboxWindow> {
  const window = `SELECT lo, (SELECT MAX(seq) FROM (SELECT seq FROM changes WHERE seq > lo ORDER BY seq LIMIT ?)) AS hi
                    FROM (SELECT COALESCE((SELECT through_seq FROM change_cursors WHERE name = 'dispatched'), 0) AS lo)`;
  const [bounds, items] = await db.batch([
    db.prepare(window).bind(limitChanges),
    db
      .prepare(
        `WITH w AS (${window})
         SELECT c.id AS event_id, e.id AS endpoint_id
           FROM w JOIN changes c ON c.seq > w.lo AND c.seq <= w.hi
           JOIN webhook_endpoints e ON e.client_id = c.client_id AND e.status = 'active'
                AND e.created_at <= c.created_at
                AND (e.events IS NULL OR EXISTS (SELECT 1 FROM json_each(e.events) t WHERE t.value = c.type))
          ORDER BY c.seq, e.id`,
      )
      .bind(limitChanges),
  ]);
  const row = firstOf<{ lo: number; hi: number | null }>(bounds);
  return { from: row?.lo ?? 0, through: row?.hi ?? null, items: rowsOf<OutboxItem>(items) };
}

/** Moves the outbox cursor from `from` to `through`; false when another pump moved it first. */
export async function advanceOutbox(db: Database, from: number, through: number): Promise<boolean> {
  const result = await db.run(
    db
      .prepare(
        `INSERT INTO change_cursors (name, through_seq) VALUES ('dispatched', ?1)
         ON CONFLICT (name) DO UPDATE SET through_seq = ?1 WHERE through_seq = ?2`,
      )
      .bind(through, from),
  );
  return result.meta.changes > 0;
}

/** Deletes up to `limitRows` delivery attempts logged before `cutoff`; returns how many. */
export async function purgeDeliveriesChunk(
  db: Database,
  cutoff: number,
  limitRows: number,
): Promise<number> {
  const result = await db.run(
    db
      .prepare(
        `DELETE FROM webhook_deliveries WHERE rowid IN
           (SELECT rowid FROM webhook_deliveries WHERE created_at < ? LIMIT ?)`,
      )
      .bind(cutoff, limitRows),
  );
  return result.meta.changes;
}
