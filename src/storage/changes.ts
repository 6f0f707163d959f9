/**
 * Change records (spec §13): the statements that append a write's events to `changes`, each
 * placed in the same D1 batch as the write it describes, so no change commits without its
 * record and no record exists without its change. A statement's `when` condition is exactly
 * the condition under which the write it accompanies takes effect (the write's own WHERE), or,
 * for writes that stamp a fresh random version, the presence of that version afterwards.
 * One row per receiving application; recipients are chosen in SQL at commit time, so an app
 * that is not authorized then never receives the event.
 */
import type { StoredEvent } from '../events/feed';
import type { Database } from './db';
import { grantActiveSql } from './token-claim';

/** A SQL condition with its binds, evaluated inside the change statement. */
export interface Condition {
  sql: string;
  binds: unknown[];
}

export type EntityEventType = 'profile' | 'activities' | 'traces' | 'tests';

/** The event as recorded; `type` is one of spec §13's event types. */
export interface ChangeEvent {
  type: string;
  userId: string;
  entityType?: EntityEventType | null;
  entityId?: string | null;
  etag?: string | null;
  key?: string | null;
  now: number;
}

const NEW_EVENT_ID = `'evt_' || lower(hex(randomblob(16)))`;
const COLUMNS = 'id, user_id, client_id, type, entity_type, entity_id, etag, key, created_at';

/** The event's own columns after id, user and client, as binds in COLUMNS order. */
function eventBinds(event: ChangeEvent): unknown[] {
  return [
    event.type,
    event.entityType ?? null,
    event.entityId ?? null,
    event.etag ?? null,
    event.key ?? null,
    event.now,
  ];
}

/** INSERT of the rows `select` yields, in COLUMNS order after a fresh event id each. */
function insertChanges(db: Database, select: string, binds: unknown[]): D1PreparedStatement {
  db.noteChangeStatement();
  return db
    .prepare(`INSERT INTO changes (${COLUMNS}) SELECT ${NEW_EVENT_ID}, ${select}`)
    .bind(...binds);
}

/**
 * An entity event for every application the user has authorized with `data:read` (spec §13),
 * recorded when `when` holds.
 */
export function recordEntityChange(
  db: Database,
  event: ChangeEvent,
  when: Condition,
): D1PreparedStatement {
  return insertChanges(
    db,
    `a.user_id, a.client_id, ?, ?, ?, ?, ?, ?
       FROM authorizations a JOIN applications p ON p.client_id = a.client_id
      WHERE a.user_id = ? AND p.disabled_at IS NULL
        AND EXISTS (SELECT 1 FROM json_each(a.scopes) s WHERE s.value = 'data:read')
        AND ${when.sql}`,
    [...eventBinds(event), event.userId, ...when.binds],
  );
}

/** An event for one application alone (its own document or entry), when `when` holds. */
export function recordAppChange(
  db: Database,
  clientId: string,
  event: ChangeEvent,
  when: Condition,
): D1PreparedStatement {
  return insertChanges(
    db,
    `?, ?, ?, ?, ?, ?, ?, ? WHERE ${grantActiveSql('?', '?')} AND ${when.sql}`,
    [event.userId, clientId, ...eventBinds(event), event.userId, clientId, ...when.binds],
  );
}

/**
 * `app_metadata.deleted` for every application's document on an entity that is about to be
 * deleted (spec §13: "an entity delete that removed it"); placed before the delete.
 */
export function recordDocumentsDeleted(
  db: Database,
  target: { userId: string; entityType: EntityEventType; entityId: string; now: number },
  when: Condition,
): D1PreparedStatement {
  return insertChanges(
    db,
    `m.user_id, m.client_id, 'app_metadata.deleted', m.entity_type, m.entity_id, NULL, NULL, ?
       FROM app_metadata m
      WHERE m.user_id = ? AND m.entity_type = ? AND m.entity_id = ?
        AND ${grantActiveSql('m.user_id', 'm.client_id')} AND ${when.sql}`,
    [target.now, target.userId, target.entityType, target.entityId, ...when.binds],
  );
}

/**
 * `authorization.revoked` for every user who has authorized an application that is about to
 * be disabled (placed before the update; an already disabled application records nothing).
 */
export function recordApplicationRevoked(
  db: Database,
  clientId: string,
  now: number,
): D1PreparedStatement {
  return recordGrantsRevoked(db, 'a.client_id', clientId, now);
}

/**
 * `authorization.revoked` for every enabled application the user has authorized, for a user
 * who is about to be erased (spec §15); placed before the grants are deleted. A disabled
 * application was told when it was disabled.
 */
export function recordUserRevoked(db: Database, userId: string, now: number): D1PreparedStatement {
  return recordGrantsRevoked(db, 'a.user_id', userId, now);
}

/** `authorization.revoked` for each grant of an enabled application whose `column` is `value`. */
function recordGrantsRevoked(
  db: Database,
  column: 'a.client_id' | 'a.user_id',
  value: string,
  now: number,
): D1PreparedStatement {
  return insertChanges(
    db,
    `a.user_id, a.client_id, 'authorization.revoked', NULL, NULL, NULL, NULL, ?
       FROM authorizations a JOIN applications p ON p.client_id = a.client_id
      WHERE ${column} = ? AND p.disabled_at IS NULL`,
    [now, value],
  );
}

/**
 * For the user deleting one application's data from /settings (spec §15 transparency) without
 * revoking it: `app_metadata.deleted` for each of its documents and `metadata.deleted` for
 * each of its live v2 entries (`metadata.expired` for an expired one not yet purged), as a
 * delete of each would record; placed before the deletes, under their condition `when`.
 */
export function recordAppDataDeleted(
  db: Database,
  target: { userId: string; clientId: string; now: number },
  when: Condition,
): D1PreparedStatement[] {
  const { userId, clientId, now } = target;
  return [
    insertChanges(
      db,
      `m.user_id, m.client_id, 'app_metadata.deleted', m.entity_type, m.entity_id, NULL, NULL, ?
         FROM app_metadata m
        WHERE m.user_id = ? AND m.client_id = ?
          AND ${grantActiveSql('m.user_id', 'm.client_id')} AND ${when.sql}`,
      [now, userId, clientId, ...when.binds],
    ),
    insertChanges(
      db,
      `e.user_id, e.client_id,
              CASE WHEN e.expires_at IS NULL OR e.expires_at > ? THEN 'metadata.deleted'
                   ELSE 'metadata.expired' END,
              NULL, NULL, NULL, e.key, ?
         FROM metadata_entries e
        WHERE e.user_id = ? AND e.client_id = ?
          AND ${grantActiveSql('e.user_id', 'e.client_id')} AND ${when.sql}`,
      [now, now, userId, clientId, ...when.binds],
    ),
  ];
}

/**
 * `metadata.expired` for the entries a purge chunk is about to delete. `chunkSql` selects their
 * rowids with ?1 = now (also the event time) and further numbered binds (`chunkBinds`, from ?2),
 * and must be the delete's own subquery (same binds, same transaction).
 */
export function recordEntriesExpired(
  db: Database,
  chunkSql: string,
  now: number,
  chunkBinds: unknown[],
): D1PreparedStatement {
  return insertChanges(
    db,
    `e.user_id, e.client_id, 'metadata.expired', NULL, NULL, NULL, e.key, ?1
       FROM metadata_entries e
      WHERE e.rowid IN (${chunkSql}) AND ${grantActiveSql('e.user_id', 'e.client_id')}`,
    [now, ...chunkBinds],
  );
}

/** A stored change: the event as the feed reads it, with its receiving application. */
export interface ChangeRow extends StoredEvent {
  client_id: string;
}
