/**
 * The side tables that let lists filter without scanning (issue 8 finding 1, spec §14):
 * `entity_tags` (one row per distinct tag of an entity) and `app_metadata_members` (one row per
 * top-level member of a document). Each is rewritten from the row it indexes by statements
 * placed in the same D1 batch, after the write, so the index is exactly what the write left:
 * a write that did not apply re-derives the same rows, a deleted row derives none.
 */
import type { EntityKind } from '../entities/kinds';
import type { Database } from './db';
import type { EntityType } from './kv-cache';

/** Rewrites one entity's tag rows from its `tags` column (none once the entity is gone). */
export function refreshTagsStatements(
  db: Database,
  kind: EntityKind,
  userId: string,
  entityId: string,
): D1PreparedStatement[] {
  return [
    db
      .prepare('DELETE FROM entity_tags WHERE user_id = ? AND entity_type = ? AND entity_id = ?')
      .bind(userId, kind.name, entityId),
    db
      .prepare(
        `INSERT OR IGNORE INTO entity_tags (user_id, entity_type, tag, entity_id)
         SELECT e.user_id, ?, j.value, e.id FROM ${kind.name} e, json_each(e.tags) j
          WHERE e.id = ? AND e.user_id = ?`,
      )
      .bind(kind.name, entityId, userId),
  ];
}

/** Identifies one application's document. */
export interface DocumentKey {
  userId: string;
  clientId: string;
  entityType: EntityType;
  entityId: string;
}

/** JSON type (json_each's `type`) → the members table's value_type; strings and numbers keep a value. */
const VALUE_TYPE = `CASE j.type WHEN 'text' THEN 'string' WHEN 'integer' THEN 'number'
                     WHEN 'real' THEN 'number' ELSE j.type END`;
const VALUE = `CASE WHEN j.type IN ('text', 'integer', 'real') THEN j.atom END`;

/** Rewrites one document's member rows from the stored document (none once it is deleted). */
export function refreshMembersStatements(db: Database, doc: DocumentKey): D1PreparedStatement[] {
  const binds = [doc.userId, doc.clientId, doc.entityType, doc.entityId];
  return [
    db
      .prepare(
        `DELETE FROM app_metadata_members
          WHERE user_id = ? AND client_id = ? AND entity_type = ? AND entity_id = ?`,
      )
      .bind(...binds),
    db
      .prepare(
        `INSERT OR IGNORE INTO app_metadata_members
                (user_id, client_id, entity_type, entity_id, key, value_type, value)
         SELECT m.user_id, m.client_id, m.entity_type, m.entity_id, j.key, ${VALUE_TYPE}, ${VALUE}
           FROM app_metadata m, json_each(m.document) j
          WHERE m.user_id = ? AND m.client_id = ? AND m.entity_type = ? AND m.entity_id = ?`,
      )
      .bind(...binds),
  ];
}

/**
 * Drops the member rows of every document of the user's `entityType`/`entityId` (entity
 * delete) or of `clientId` (revocation) whose document no longer exists; place it after the
 * statement that deleted the documents.
 */
export function pruneMembersStatement(
  db: Database,
  scope: { userId: string; clientId?: string; entityType?: EntityType; entityId?: string },
): D1PreparedStatement {
  return db
    .prepare(
      `DELETE FROM app_metadata_members AS x
        WHERE x.user_id = ? AND (? IS NULL OR x.client_id = ?)
          AND (? IS NULL OR x.entity_type = ?) AND (? IS NULL OR x.entity_id = ?)
          AND NOT EXISTS (SELECT 1 FROM app_metadata m
                WHERE m.user_id = x.user_id AND m.entity_type = x.entity_type
                  AND m.entity_id = x.entity_id AND m.client_id = x.client_id)`,
    )
    .bind(
      scope.userId,
      scope.clientId ?? null,
      scope.clientId ?? null,
      scope.entityType ?? null,
      scope.entityType ?? null,
      scope.entityId ?? null,
      scope.entityId ?? null,
    );
}
