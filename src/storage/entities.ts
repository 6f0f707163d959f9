/**
 * D1 queries for activities, traces and tests. Every statement is scoped by the token's user
 * and, for writes, guarded by the principal's active status inside the same statement, so a
 * revoked token can never write; each write records its change (storage/changes.ts) in the
 * same batch. Each function is one D1 round trip and throws InactivePrincipalError when the
 * principal is no longer active.
 */
import type { Principal } from '../auth/principal';
import type { EntityKind, EntityRow } from '../entities/kinds';
import { newId } from '../ids';
import type { EntityType } from './kv-cache';
import { type ViewRow, readForView, takeEntityViewsStatement, takenViews } from './cached-views';
import { recordDocumentsDeleted, recordEntityChange } from './changes';
import { type Database, firstOf } from './db';
import { pruneMembersStatement, refreshTagsStatements } from './entity-indexes';
import { activeGuard, requireActive, statusStatement } from './principal-status';

/** Column list selected for an entity row, written once per kind. */
export function selectColumns(kind: EntityKind, alias = ''): string {
  const prefix = alias ? `${alias}.` : '';
  return ['id', ...kind.columns, 'created_at', 'updated_at', 'created_by']
    .map((column) => prefix + column)
    .join(', ');
}

/**
 * The caller application's document on an entity, as `_document` and `_version` columns.
 * Binds ?1 entity type, ?2 client id (null for personal keys: joins nothing).
 */
export function documentJoinSql(ownerColumn: string, idColumn: string): string {
  return `LEFT JOIN app_metadata m ON m.user_id = ${ownerColumn} AND m.entity_type = ?1
              AND m.entity_id = ${idColumn} AND m.client_id = ?2`;
}
export const DOCUMENT_COLUMNS = 'm.document AS _document, m.version AS _version';

/** An entity (or profile) row with the caller application's document, if any. */
export interface RowWithDocument<Row> {
  row: Row;
  document: string | null;
  version: string | null;
}

export function clientIdOf(principal: Principal): string | null {
  return principal.kind === 'app' ? principal.clientId : null;
}

type DocumentColumns = { _document?: unknown; _version?: unknown };

/** Splits the `_document`/`_version` columns of documentJoinSql off a row. */
export function splitDocument<Row>(
  row: (Row & DocumentColumns) | null,
): RowWithDocument<Row> | null {
  if (row === null) return null;
  const { _document, _version, ...rest } = row;
  return {
    row: rest as Row,
    document: typeof _document === 'string' ? _document : null,
    version: typeof _version === 'string' ? _version : null,
  };
}

/**
 * Inserts a new entity for the principal's user, stamped with the creating application
 * (`created_by`, spec §14), and records `<noun>.created`; its tags join the tag index in the
 * same batch. Null when the user already holds `maxPerUser` entities of the kind (the quota is
 * checked by the insert itself, so parallel creates cannot overshoot it).
 */
export async function insertEntity(
  db: Database,
  principal: Principal,
  kind: EntityKind,
  values: Array<string | number | null>,
  limits: { now: number; maxPerUser: number },
): Promise<EntityRow | null> {
  const { now } = limits;
  const guard = activeGuard(principal, now);
  const id = newId(kind.idPrefix);
  const placeholders = kind.columns.map(() => '?').join(', ');
  const insert = db
    .prepare(
      `INSERT INTO ${kind.name}
              (id, user_id, ${kind.columns.join(', ')}, created_at, updated_at, created_by)
       SELECT ?, ?, ${placeholders}, ?, ?, ? WHERE ${guard.sql}
          AND (SELECT count(*) FROM ${kind.name} WHERE user_id = ?) < ?
       RETURNING ${selectColumns(kind)}`,
    )
    .bind(
      id,
      principal.userId,
      ...values,
      now,
      now,
      clientIdOf(principal),
      ...guard.binds,
      principal.userId,
      limits.maxPerUser,
    );
  const created = { sql: `EXISTS (SELECT 1 FROM ${kind.name} WHERE id = ?)`, binds: [id] };
  const [status, inserted] = await db.batch([
    statusStatement(db, principal, now),
    insert,
    recordEntityChange(db, entityEvent(principal, kind, id, 'created', now), created),
    ...refreshTagsStatements(db, kind, principal.userId, id),
  ]);
  requireActive(status);
  return firstOf<EntityRow>(inserted);
}

/** Where a cold read finds a row that can carry documents: an entity kind or the profile. */
export interface DocumentHolder {
  type: EntityType;
  /** `<table> e`, the columns to select from it, and its owner column. */
  from: string;
  columns: string;
  owner: string;
}

export function kindHolder(kind: EntityKind): DocumentHolder {
  return {
    type: kind.name,
    from: `${kind.name} e`,
    columns: selectColumns(kind, 'e'),
    owner: 'e.user_id',
  };
}

/**
 * Reads one row (an entity, or the user for the profile) with the caller's document and
 * records its view (the cold path): `found` is null when the user has no such row, and
 * `cacheable` says whether the view was recorded (it may be written to KV).
 */
export async function getWithDocument<Row>(
  db: Database,
  principal: Principal,
  holder: DocumentHolder,
  view: { id: string; now: number },
): Promise<{ found: RowWithDocument<Row> | null; cacheable: boolean }> {
  const read = db
    .prepare(
      `SELECT ${holder.columns}, ${DOCUMENT_COLUMNS}
         FROM ${holder.from} ${documentJoinSql(holder.owner, 'e.id')}
        WHERE e.id = ?3 AND ${holder.owner} = ?4`,
    )
    .bind(holder.type, clientIdOf(principal), view.id, principal.userId);
  const { row, cacheable } = await readForView<Row & DocumentColumns>(
    db,
    principal,
    { ...view, type: holder.type },
    read,
  );
  return { found: splitDocument<Row>(row), cacheable };
}

/** A write's row and the cached views it made stale (the service drops them from KV). */
export interface Written<T> {
  value: T;
  staleViews: ViewRow[];
}

/**
 * Replaces an entity's data columns (created_at kept), records `<noun>.updated` and takes its
 * cached views out of the index. The value is null when the entity does not exist.
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
  const target = `id = ? AND user_id = ? AND ${guard.sql}`;
  const targetBinds = [id, principal.userId, ...guard.binds];
  const update = db
    .prepare(
      `UPDATE ${kind.name} SET ${assignments}, updated_at = ? WHERE ${target}
        RETURNING ${selectColumns(kind)}`,
    )
    .bind(...values, now, ...targetBinds);
  // The update's own WHERE, which it does not change: true exactly when the update applied.
  const updated = {
    sql: `EXISTS (SELECT 1 FROM ${kind.name} WHERE ${target})`,
    binds: targetBinds,
  };
  const [status, row, , staleViews] = await db.batch([
    statusStatement(db, principal, now),
    update,
    recordEntityChange(db, entityEvent(principal, kind, id, 'updated', now), updated),
    takeEntityViewsStatement(db, principal.userId, kind.name, id),
    ...refreshTagsStatements(db, kind, principal.userId, id),
  ]);
  requireActive(status);
  return { value: firstOf<EntityRow>(row), staleViews: takenViews(staleViews) };
}

/**
 * Deletes an entity and every application's document on it, atomically, recording
 * `app_metadata.deleted` per document and `<noun>.deleted` first under the delete's condition.
 */
export async function deleteEntity(
  db: Database,
  principal: Principal,
  kind: EntityKind,
  id: string,
  now: number,
): Promise<Written<boolean>> {
  const guard = activeGuard(principal, now);
  const target = `id = ? AND user_id = ? AND ${guard.sql}`;
  const targetBinds = [id, principal.userId, ...guard.binds];
  const exists = { sql: `EXISTS (SELECT 1 FROM ${kind.name} WHERE ${target})`, binds: targetBinds };
  const [status, , , , deleted, staleViews] = await db.batch([
    statusStatement(db, principal, now),
    recordDocumentsDeleted(
      db,
      { userId: principal.userId, entityType: kind.name, entityId: id, now },
      exists,
    ),
    recordEntityChange(db, entityEvent(principal, kind, id, 'deleted', now), exists),
    db
      .prepare(
        `DELETE FROM app_metadata WHERE user_id = ? AND entity_type = ? AND entity_id = ? AND ${guard.sql}`,
      )
      .bind(principal.userId, kind.name, id, ...guard.binds),
    db.prepare(`DELETE FROM ${kind.name} WHERE ${target} RETURNING id`).bind(...targetBinds),
    takeEntityViewsStatement(db, principal.userId, kind.name, id),
    ...refreshTagsStatements(db, kind, principal.userId, id),
    pruneMembersStatement(db, { userId: principal.userId, entityType: kind.name, entityId: id }),
  ]);
  requireActive(status);
  return { value: firstOf(deleted) !== null, staleViews: takenViews(staleViews) };
}

function entityEvent(
  principal: Principal,
  kind: EntityKind,
  id: string,
  action: 'created' | 'updated' | 'deleted',
  now: number,
) {
  return {
    type: `${kind.noun}.${action}`,
    userId: principal.userId,
    entityType: kind.name,
    entityId: id,
    now,
  };
}
