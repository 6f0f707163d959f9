/**
 * D1 queries for activities, traces and tests. Every statement is scoped by the token's user
 * and, for writes, guarded by the principal's active status inside the same statement, so a
 * revoked token can never write. Each function is one D1 round trip (a batch).
 */
import type { Principal } from '../auth/principal';
import type { EntityKind, EntityRow } from '../entities/kinds';
import { newId } from '../ids';
import { type Database, firstOf, rowsOf } from './db';
import { recordViewStatement, takeEntityViewsStatement } from './cached-views';
import { activeGuard, isActive, statusStatement } from './principal-status';

export type StatusRow = Parameters<typeof isActive>[0];

/** Column list selected for an entity row, written once per kind. */
function selectColumns(kind: EntityKind, alias = ''): string {
  const prefix = alias ? `${alias}.` : '';
  return ['id', ...kind.columns, 'created_at', 'updated_at']
    .map((column) => prefix + column)
    .join(', ');
}

export interface EntityWithDocumentRow {
  row: EntityRow;
  document: string | null;
  version: string | null;
}

export type Checked<T> =
  { active: false; status: StatusRow } | { active: true; status: StatusRow; value: T };

function checked<T>(status: StatusRow, value: T): Checked<T> {
  return isActive(status) ? { active: true, status, value } : { active: false, status };
}

/** Inserts a new entity for the principal's user; one round trip. */
export async function insertEntity(
  db: Database,
  principal: Principal,
  kind: EntityKind,
  values: Array<string | number | null>,
  now: number,
): Promise<Checked<EntityRow | null>> {
  const guard = activeGuard(principal, now);
  const placeholders = kind.columns.map(() => '?').join(', ');
  const insert = db
    .prepare(
      `INSERT INTO ${kind.name} (id, user_id, ${kind.columns.join(', ')}, created_at, updated_at)
       SELECT ?, ?, ${placeholders}, ?, ? WHERE ${guard.sql}
       RETURNING ${selectColumns(kind)}`,
    )
    .bind(newId(kind.idPrefix), principal.userId, ...values, now, now, ...guard.binds);
  const [status, inserted] = await db.batch([statusStatement(db, principal, now), insert]);
  return checked(firstOf<StatusRow>(status) as StatusRow, firstOf<EntityRow>(inserted));
}

/** Reads one entity with the calling application's document (cold path); one round trip. */
export async function getEntityWithDocument(
  db: Database,
  principal: Principal,
  kind: EntityKind,
  id: string,
  now: number,
): Promise<Checked<EntityWithDocumentRow | null>> {
  const clientId = principal.kind === 'app' ? principal.clientId : null;
  const read = db
    .prepare(
      `SELECT ${selectColumns(kind, 'e')}, m.document AS _document, m.version AS _version
         FROM ${kind.name} e
         LEFT JOIN app_metadata m ON m.user_id = e.user_id AND m.entity_type = ?1
              AND m.entity_id = e.id AND m.client_id = ?2
        WHERE e.id = ?3 AND e.user_id = ?4`,
    )
    .bind(kind.name, clientId, id, principal.userId);
  const [status, result] = await db.batch([
    statusStatement(db, principal, now),
    read,
    recordViewStatement(db, principal, kind.name, id, now),
  ]);
  return checked(
    firstOf<StatusRow>(status) as StatusRow,
    splitDocument(firstOf<EntityRow>(result)),
  );
}

export interface ListFilters {
  start: number | null;
  end: number | null;
  sports: string[] | null;
  tags: string[] | null;
  limit: number;
  offset: number;
}

/** Lists entities newest first with the calling application's documents; one round trip. */
export async function listEntitiesWithDocuments(
  db: Database,
  principal: Principal,
  kind: EntityKind,
  filters: ListFilters,
  now: number,
): Promise<Checked<EntityWithDocumentRow[]>> {
  const clientId = principal.kind === 'app' ? principal.clientId : null;
  const time = `e.${kind.timeColumn}`;
  // spec §11: `sports=cycling` includes `cycling.*`; LIKE is avoided because `_` is a wildcard.
  const list = db
    .prepare(
      `SELECT ${selectColumns(kind, 'e')}, m.document AS _document, m.version AS _version
         FROM ${kind.name} e
         LEFT JOIN app_metadata m ON m.user_id = e.user_id AND m.entity_type = ?1
              AND m.entity_id = e.id AND m.client_id = ?2
        WHERE e.user_id = ?3
          AND (?4 IS NULL OR ${time} >= ?4)
          AND (?5 IS NULL OR ${time} <= ?5)
          AND (?6 IS NULL OR EXISTS (SELECT 1 FROM json_each(?6) s
                WHERE e.sport = s.value OR substr(e.sport, 1, length(s.value) + 1) = s.value || '.'))
          AND (?7 IS NULL OR EXISTS (SELECT 1 FROM json_each(e.tags) t
                JOIN json_each(?7) q ON t.value = q.value))
        ORDER BY ${time} DESC, e.id DESC
        LIMIT ?8 OFFSET ?9`,
    )
    .bind(
      kind.name,
      clientId,
      principal.userId,
      filters.start,
      filters.end,
      filters.sports === null ? null : JSON.stringify(filters.sports),
      filters.tags === null ? null : JSON.stringify(filters.tags),
      filters.limit,
      filters.offset,
    );
  const [status, result] = await db.batch([statusStatement(db, principal, now), list]);
  const rows = rowsOf<EntityRow>(result).map((row) => splitDocument(row) as EntityWithDocumentRow);
  return checked(firstOf<StatusRow>(status) as StatusRow, rows);
}

/** A write's outcome plus the cached views it made stale (to drop with dropViews). */
export interface Written<T> {
  result: Checked<T>;
  staleViews: D1Result | undefined;
}

/**
 * Replaces an entity's data columns (created_at kept) and takes its cached views out of the
 * index; one round trip. The value is null when the entity does not exist.
 */
export async function replaceEntity(
  db: Database,
  principal: Principal,
  kind: EntityKind,
  id: string,
  values: Array<string | number | null>,
  now: number,
): Promise<Written<EntityRow | null>> {
  const guard = activeGuard(principal, now);
  const assignments = kind.columns.map((column) => `${column} = ?`).join(', ');
  const update = db
    .prepare(
      `UPDATE ${kind.name} SET ${assignments}, updated_at = ?
        WHERE id = ? AND user_id = ? AND ${guard.sql}
        RETURNING ${selectColumns(kind)}`,
    )
    .bind(...values, now, id, principal.userId, ...guard.binds);
  const [status, updated, staleViews] = await db.batch([
    statusStatement(db, principal, now),
    update,
    takeEntityViewsStatement(db, principal.userId, kind.name, id),
  ]);
  return {
    result: checked(firstOf<StatusRow>(status) as StatusRow, firstOf<EntityRow>(updated)),
    staleViews,
  };
}

/** Deletes an entity and every application's document on it, atomically; one round trip. */
export async function deleteEntity(
  db: Database,
  principal: Principal,
  kind: EntityKind,
  id: string,
  now: number,
): Promise<Written<boolean>> {
  const guard = activeGuard(principal, now);
  const deleteDocuments = db
    .prepare(
      `DELETE FROM app_metadata WHERE user_id = ? AND entity_type = ? AND entity_id = ? AND ${guard.sql}`,
    )
    .bind(principal.userId, kind.name, id, ...guard.binds);
  const deleteRow = db
    .prepare(`DELETE FROM ${kind.name} WHERE id = ? AND user_id = ? AND ${guard.sql} RETURNING id`)
    .bind(id, principal.userId, ...guard.binds);
  const [status, , deleted, staleViews] = await db.batch([
    statusStatement(db, principal, now),
    deleteDocuments,
    deleteRow,
    takeEntityViewsStatement(db, principal.userId, kind.name, id),
  ]);
  return {
    result: checked(firstOf<StatusRow>(status) as StatusRow, firstOf(deleted) !== null),
    staleViews,
  };
}

function splitDocument(row: EntityRow | null): EntityWithDocumentRow | null {
  if (row === null) return null;
  const { _document, _version, ...rest } = row;
  return {
    row: rest,
    document: typeof _document === 'string' ? _document : null,
    version: typeof _version === 'string' ? _version : null,
  };
}
