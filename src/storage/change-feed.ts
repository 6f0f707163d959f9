/**
 * Reads of the change feed (spec §13) and its retention: one batch per page (the principal's
 * status, the purge watermark, the page), and bounded purge chunks that advance the watermark
 * in the same transaction as the delete.
 */
import type { AppPrincipal } from '../auth/principal';
import type { FeedScopes, StoredEvent } from '../events/feed';
import { type Database, firstOf, rowsOf } from './db';
import { requireActive, statusStatement } from './principal-status';

export const EVENT_COLUMNS =
  'c.seq, c.id, c.user_id, c.type, c.entity_type, c.entity_id, c.etag, c.key, c.created_at';

export interface FeedPage {
  rows: StoredEvent[];
  /** The highest seq any purge has deleted (0 when none has run). */
  purgedThrough: number;
}

/**
 * Up to `take` events of the principal's user and application after `afterSeq`, in commit
 * order. Rows recorded for an earlier authorization of the same app (up to and including its
 * `authorization.revoked`) are never shown: recipients are chosen at commit time, so every row
 * after the last revocation belongs to the current authorization (spec §17).
 */
export async function readFeedPage(
  db: Database,
  principal: AppPrincipal,
  query: { afterSeq: number; take: number; scopes: FeedScopes; now: number },
): Promise<FeedPage> {
  const { userId, clientId } = principal;
  const page = db
    .prepare(
      `SELECT ${EVENT_COLUMNS} FROM changes c
        WHERE c.user_id = ? AND c.client_id = ? AND c.seq > ?
          AND c.seq > COALESCE((SELECT MAX(r.seq) FROM changes r
                                 WHERE r.user_id = ? AND r.client_id = ?
                                   AND r.type = 'authorization.revoked'), 0)
          AND (c.type = 'authorization.revoked'
               OR (? = 1 AND c.type NOT LIKE 'metadata.%')
               OR (? = 1 AND c.type LIKE 'metadata.%'))
        ORDER BY c.seq LIMIT ?`,
    )
    .bind(
      userId,
      clientId,
      query.afterSeq,
      userId,
      clientId,
      query.scopes.data ? 1 : 0,
      query.scopes.metadata ? 1 : 0,
      query.take,
    );
  const watermark = db.prepare("SELECT through_seq FROM change_cursors WHERE name = 'purged'");
  const [status, mark, rows] = await db.batch([
    statusStatement(db, principal, query.now),
    watermark,
    page,
  ]);
  requireActive(status);
  return {
    rows: rowsOf<StoredEvent>(rows),
    purgedThrough: firstOf<{ through_seq: number }>(mark)?.through_seq ?? 0,
  };
}

/**
 * Deletes up to `limitRows` of the oldest changes created before `cutoff` and raises the purge
 * watermark to the highest seq deleted, in one transaction. Returns the rows deleted.
 */
export async function purgeChangesChunk(
  db: Database,
  cutoff: number,
  limitRows: number,
): Promise<number> {
  const chunk = 'SELECT seq FROM changes WHERE created_at < ?1 ORDER BY seq LIMIT ?2';
  const [, deleted] = await db.batch([
    db
      .prepare(
        `INSERT INTO change_cursors (name, through_seq)
         SELECT 'purged', MAX(seq) FROM (${chunk}) WHERE 1 HAVING MAX(seq) IS NOT NULL
         ON CONFLICT (name) DO UPDATE SET through_seq = MAX(through_seq, excluded.through_seq)`,
      )
      .bind(cutoff, limitRows),
    db.prepare(`DELETE FROM changes WHERE seq IN (${chunk})`).bind(cutoff, limitRows),
  ]);
  return deleted?.meta.changes ?? 0;
}
