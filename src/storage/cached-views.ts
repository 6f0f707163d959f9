/**
 * The index of cached views (schema: cached_views). A view is written to KV only after a cold
 * read recorded it here in the same D1 batch, so every view that can be served is findable:
 * by entity (an entity write drops every principal's view of it) and by principal (revoking a
 * grant or a personal key, or disabling an application, drops all of its views).
 */
import type { Principal } from '../auth/principal';
import { VIEW_CACHE_TTL_SECONDS, VIEW_INDEX_PRUNE_CHUNK_ROWS, VIEWS_MAX_PER_USER } from '../config';
import { type Database, firstOf, rowsOf } from './db';
import { type Cache, type EntityType, viewKey } from './kv-cache';
import {
  activeGuard,
  principalId,
  principalScope,
  requireActive,
  statusStatement,
} from './principal-status';

export interface ViewRow {
  user_id: string;
  entity_type: EntityType;
  entity_id: string;
  scope: string;
}

const VIEW_COLUMNS = 'user_id, entity_type, entity_id, scope';
/** A view's KV entry is written just after its row; keep rows a little longer than the TTL. */
const VIEW_INDEX_PRUNE_MARGIN_SECONDS = 60;

/** `EXISTS` for the entity, scoped by user; the profile's entity is the user. Binds: id, user. */
export function entityExistsSql(type: EntityType, idParam = '?', userParam = '?'): string {
  const table = type === 'profile' ? 'users' : type;
  const owner = type === 'profile' ? 'x.id' : 'x.user_id';
  return `EXISTS (SELECT 1 FROM ${table} x WHERE x.id = ${idParam} AND ${owner} = ${userParam})`;
}

/**
 * For a cold read's batch: records the view it is about to cache (if the read will succeed)
 * and returns a row when it may be cached. At most VIEWS_MAX_PER_USER views of one user's data
 * exist, whoever reads them, so every revocation that concerns one user (an app, a key, or all
 * of the user's access at once) can delete all of them from KV within one invocation's KV
 * operation budget (spec §11, "Revocation reach"); beyond the cap reads are served from D1
 * and not cached.
 */
function recordViewStatement(
  db: Database,
  principal: Principal,
  type: EntityType,
  id: string,
  now: number,
): D1PreparedStatement {
  const guard = activeGuard(principal, now);
  const scope = principalScope(principal);
  const owner = principalId(principal);
  return db
    .prepare(
      `INSERT INTO cached_views (user_id, entity_type, entity_id, scope, principal_id, cached_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6
        WHERE ${entityExistsSql(type, '?3', '?1')}
          AND ((SELECT count(*) FROM cached_views c WHERE c.user_id = ?1) < ?7
               OR EXISTS (SELECT 1 FROM cached_views c WHERE c.user_id = ?1 AND c.entity_type = ?2
                            AND c.entity_id = ?3 AND c.scope = ?4))
          AND ${guard.sql}
       ON CONFLICT (user_id, entity_type, entity_id, scope) DO UPDATE SET cached_at = excluded.cached_at
       RETURNING 1 AS recorded`,
    )
    .bind(principal.userId, type, id, scope, owner, now, VIEWS_MAX_PER_USER, ...guard.binds);
}

/**
 * A cold read (one round trip): the principal's status, the row `read` selects, and the view
 * about to be cached recorded in the index. Throws InactivePrincipalError when inactive.
 */
export async function readForView<T>(
  db: Database,
  principal: Principal,
  view: { type: EntityType; id: string; now: number },
  read: D1PreparedStatement,
): Promise<{ row: T | null; cacheable: boolean }> {
  const [status, result, recorded] = await db.batch([
    statusStatement(db, principal, view.now),
    read,
    recordViewStatement(db, principal, view.type, view.id, view.now),
  ]);
  requireActive(status);
  return { row: firstOf<T>(result), cacheable: firstOf(recorded) !== null };
}

/** For an entity write's batch: every view of the entity, removed from the index. */
export function takeEntityViewsStatement(
  db: Database,
  userId: string,
  type: EntityType,
  id: string,
): D1PreparedStatement {
  return db
    .prepare(
      `DELETE FROM cached_views WHERE user_id = ? AND entity_type = ? AND entity_id = ?
       RETURNING ${VIEW_COLUMNS}`,
    )
    .bind(userId, type, id);
}

/**
 * For a revocation's batch: every view of an application or personal key, for one user or
 * (userId null: a disabled application) for all of them, removed from the index.
 */
export function takePrincipalViewsStatement(
  db: Database,
  principalIdValue: string,
  userId: string | null,
): D1PreparedStatement {
  return db
    .prepare(
      `DELETE FROM cached_views WHERE principal_id = ?1 AND (?2 IS NULL OR user_id = ?2)
       RETURNING ${VIEW_COLUMNS}`,
    )
    .bind(principalIdValue, userId);
}

/**
 * For a batch that gave some of an application's grants a new generation (scopes narrowed,
 * application re-enabled), placed after the bumps: every view of the application whose scope
 * names a generation its grant no longer has, removed from the index. Views of untouched
 * grants stay.
 */
export function takeStaleGrantViewsStatement(db: Database, clientId: string): D1PreparedStatement {
  return db
    .prepare(
      `DELETE FROM cached_views WHERE principal_id = ?1 AND NOT EXISTS
         (SELECT 1 FROM authorizations a WHERE a.client_id = ?1 AND a.user_id = cached_views.user_id
             AND cached_views.scope = 'a.' || a.client_id || '.' || a.token_gen)
       RETURNING ${VIEW_COLUMNS}`,
    )
    .bind(clientId);
}

/** The views a write's batch took out of the index (the result of a take…Statement). */
export function takenViews(result: D1Result | undefined): ViewRow[] {
  return rowsOf<ViewRow>(result);
}

/** Deletes the KV entries of views taken from the index (awaited, then once more later). */
export function dropViews(cache: Cache, views: ViewRow[]): Promise<void> {
  const keys = views.map((row) => viewKey(row.user_id, row.scope, row.entity_type, row.entity_id));
  return cache.deleteNow(keys);
}

/**
 * After a revocation committed in D1 (grant revoked or its generation bumped, personal key
 * revoked): takes every view of the principal for the user out of the index and deletes them
 * from KV, awaited. A separate round trip is safe: once the revocation is committed, cold
 * reads by the revoked principal are refused and record no new views.
 */
export async function dropPrincipalViews(
  db: Database,
  cache: Cache,
  principalIdValue: string,
  userId: string,
): Promise<void> {
  const [taken] = await db.batch([takePrincipalViewsStatement(db, principalIdValue, userId)]);
  await dropViews(cache, takenViews(taken));
}

/** Deletes index rows whose views have expired from KV; returns how many. One round trip. */
export async function pruneViewIndex(db: Database, now: number): Promise<number> {
  const result = await db.run(
    db
      .prepare(
        `DELETE FROM cached_views WHERE rowid IN
           (SELECT rowid FROM cached_views WHERE cached_at < ?1 LIMIT ?2)`,
      )
      .bind(
        now - VIEW_CACHE_TTL_SECONDS - VIEW_INDEX_PRUNE_MARGIN_SECONDS,
        VIEW_INDEX_PRUNE_CHUNK_ROWS,
      ),
  );
  return result.meta.changes ?? 0;
}
