/**
 * Purging an application (spec §15, `DELETE …/{client_id}?purge=true`): every row it owns goes
 * in ONE D1 batch, so a purge either happened entirely or not at all. No change is recorded:
 * the users are told by nothing but the application's absence.
 *
 * What it owns, by table (every table of schema.sql that names a client id):
 * - `client_id` columns: authorizations, refresh_tokens, authorization_codes,
 *   authorization_requests, app_metadata, app_metadata_members, metadata_entries, changes,
 *   webhook_endpoints (and, through them, webhook_deliveries), applications;
 * - `principal_id` (an app token's principal is its client id): cached_views, idempotency_keys;
 * - `auth_failures` buckets `client:<client_id>|<address>` (src/oauth/client-auth.ts).
 *
 * Entities keep `created_by`: the activities, traces and tests are the users' data, untouched;
 * the column says which client wrote them and now names an application that no longer exists.
 */
import type { ViewRow } from './cached-views';
import { type Database, firstOf, rowsOf } from './db';

/** A view of the purged application taken out of the index, with when it was cached. */
export interface PurgedView extends ViewRow {
  cached_at: number;
}

/** Tables whose `client_id` column names the owner, children before their parents. */
const OWNED_BY_CLIENT_ID = [
  'app_metadata_members',
  'app_metadata',
  'metadata_entries',
  'refresh_tokens',
  'authorization_codes',
  'authorization_requests',
  'authorizations',
  'changes',
] as const;

/**
 * Deletes the application and everything it owns; null when there is no such application,
 * else the cached views the batch took out of the index (for the caller to drop from KV).
 */
export async function purgeApplication(
  db: Database,
  clientId: string,
): Promise<{ staleViews: PurgedView[] } | null> {
  const byClient = OWNED_BY_CLIENT_ID.map((table) =>
    db.prepare(`DELETE FROM ${table} WHERE client_id = ?`).bind(clientId),
  );
  const results = await db.batch([
    db
      .prepare(
        `DELETE FROM webhook_deliveries
          WHERE endpoint_id IN (SELECT id FROM webhook_endpoints WHERE client_id = ?)`,
      )
      .bind(clientId),
    db.prepare('DELETE FROM webhook_endpoints WHERE client_id = ?').bind(clientId),
    ...byClient,
    db.prepare('DELETE FROM idempotency_keys WHERE principal_id = ?').bind(clientId),
    // client ids match ID_PATTERN, so `|` and `}` (the next code point) end the prefix.
    db
      .prepare('DELETE FROM auth_failures WHERE bucket >= ? AND bucket < ?')
      .bind(`client:${clientId}|`, `client:${clientId}}`),
    db
      .prepare(
        `DELETE FROM cached_views WHERE principal_id = ?
         RETURNING user_id, entity_type, entity_id, scope, cached_at`,
      )
      .bind(clientId),
    db.prepare('DELETE FROM applications WHERE client_id = ? RETURNING client_id').bind(clientId),
  ]);
  if (firstOf(results[results.length - 1]) === null) return null;
  return { staleViews: rowsOf<PurgedView>(results[results.length - 2]) };
}
