/**
 * D1 queries of the v2 key/value store (spec §5): entries unique per (user, application, key).
 * An entry is live while `expires_at IS NULL OR expires_at > now`; every read filters on it, so
 * an expired entry is never served whether or not the purge has run, and expired entries count
 * toward no quota. Each request is one round trip: a batch whose first statement is the
 * principal's status and whose writes re-check it (activeGuard) in their own WHERE.
 */
import type { AppPrincipal } from '../auth/principal';
import { METADATA_MAX_KEYS, METADATA_MAX_VALUE_BYTES } from '../config';
import type { EntryInput } from '../metadata/entries';
import { type ChangeEvent, recordAppChange, recordEntriesExpired } from './changes';
import { type Database, firstOf } from './db';
import { activeGuard, readAsPrincipal, requireActive, statusStatement } from './principal-status';

export interface EntryRow {
  key: string;
  value: string;
  expires_at: number | null;
}

/** Live rows of this user and application. Binds: user, client, now. */
const LIVE_OF_OWNER = `user_id = ? AND client_id = ? AND (expires_at IS NULL OR expires_at > ?)`;

/** Live rows of this user and application other than one key. Binds: user, client, now, key. */
const others = `FROM metadata_entries q
  WHERE q.user_id = ? AND q.client_id = ? AND (q.expires_at IS NULL OR q.expires_at > ?)
    AND q.key <> ?`;

function ownerBinds(principal: AppPrincipal, now: number): unknown[] {
  return [principal.userId, principal.clientId, now];
}

function entryEvent(
  principal: AppPrincipal,
  type: 'metadata.updated' | 'metadata.deleted' | 'metadata.expired',
  key: string,
  now: number,
): ChangeEvent {
  return { type, userId: principal.userId, key, now };
}

/** Every live entry of the caller, ordered by key. One round trip. */
export async function listEntries(
  db: Database,
  principal: AppPrincipal,
  now: number,
): Promise<EntryRow[]> {
  const statement = db
    .prepare(
      `SELECT key, value, expires_at FROM metadata_entries WHERE ${LIVE_OF_OWNER} ORDER BY key`,
    )
    .bind(...ownerBinds(principal, now));
  return readAsPrincipal<EntryRow>(db, principal, now, statement);
}

/** One live entry, or null. One round trip. */
export async function getEntry(
  db: Database,
  principal: AppPrincipal,
  key: string,
  now: number,
): Promise<EntryRow | null> {
  const statement = db
    .prepare(
      `SELECT key, value, expires_at FROM metadata_entries WHERE ${LIVE_OF_OWNER} AND key = ?`,
    )
    .bind(...ownerBinds(principal, now), key);
  return (await readAsPrincipal<EntryRow>(db, principal, now, statement))[0] ?? null;
}

export type PutOutcome =
  | { kind: 'quota_exceeded'; quota: 'keys' | 'bytes' }
  | { kind: 'written'; created: boolean; entry: EntryRow };

interface ExplainRow {
  existed: number;
  other_keys: number;
  other_bytes: number;
}

/**
 * Creates or replaces an entry. The batch is one transaction, which D1 runs alone: the explain
 * SELECT sees exactly the state the upsert writes over, so of two simultaneous first writes
 * one is told "created" (201) and the other "updated" (200), and neither fails. The quotas are
 * enforced in the upsert's own WHERE (live entries other than this key), so concurrent writers
 * cannot exceed them; `metadata.updated` is recorded first under that same WHERE. An expired,
 * not yet purged row is replaced as a creation: created_at is reset and the response is 201
 * (spec §11).
 */
export async function putEntry(
  db: Database,
  principal: AppPrincipal,
  key: string,
  input: EntryInput,
  now: number,
): Promise<PutOutcome> {
  const otherBinds = [...ownerBinds(principal, now), key];
  const explain = db
    .prepare(
      `SELECT EXISTS (SELECT 1 FROM metadata_entries WHERE ${LIVE_OF_OWNER} AND key = ?) AS existed,
              (SELECT count(*) ${others}) AS other_keys,
              (SELECT COALESCE(sum(q.value_bytes), 0) ${others}) AS other_bytes`,
    )
    .bind(...ownerBinds(principal, now), key, ...otherBinds, ...otherBinds);
  const allowed = quotaAllows(principal, key, input, now);
  const upsert = upsertStatement(db, principal, key, input, now, allowed);
  const [status, explained, , , , written] = await db.batch([
    statusStatement(db, principal, now),
    explain,
    ...purgeExpiredOfOwner(db, principal, now),
    recordAppChange(
      db,
      principal.clientId,
      entryEvent(principal, 'metadata.updated', key, now),
      allowed,
    ),
    upsert,
  ]);
  requireActive(status);
  const before = firstOf<ExplainRow>(explained) as ExplainRow;
  const entry = firstOf<EntryRow>(written);
  if (entry !== null) return { kind: 'written', created: before.existed !== 1, entry };
  return {
    kind: 'quota_exceeded',
    quota: before.other_keys >= METADATA_MAX_KEYS ? 'keys' : 'bytes',
  };
}

/**
 * The upsert's whole WHERE: the principal is active and the entry fits both quotas counting
 * the other live entries. Also the condition of its change record.
 */
function quotaAllows(principal: AppPrincipal, key: string, input: EntryInput, now: number) {
  const guard = activeGuard(principal, now);
  const otherBinds = [...ownerBinds(principal, now), key];
  return {
    sql: `${guard.sql} AND (SELECT count(*) ${others}) < ?
          AND (SELECT COALESCE(sum(q.value_bytes), 0) ${others}) + ? <= ?`,
    binds: [
      ...guard.binds,
      ...otherBinds,
      METADATA_MAX_KEYS,
      ...otherBinds,
      input.valueBytes,
      METADATA_MAX_VALUE_BYTES,
    ],
  };
}

function upsertStatement(
  db: Database,
  principal: AppPrincipal,
  key: string,
  input: EntryInput,
  now: number,
  allowed: { sql: string; binds: unknown[] },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO metadata_entries
              (user_id, client_id, key, value, value_bytes, expires_at, created_at, updated_at)
       SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE ${allowed.sql}
       ON CONFLICT (user_id, client_id, key) DO UPDATE
          SET value = excluded.value, value_bytes = excluded.value_bytes,
              expires_at = excluded.expires_at, updated_at = excluded.updated_at,
              created_at = CASE
                WHEN metadata_entries.expires_at IS NOT NULL
                 AND metadata_entries.expires_at <= excluded.updated_at
                THEN excluded.created_at ELSE metadata_entries.created_at END
       RETURNING key, value, expires_at`,
    )
    .bind(
      principal.userId,
      principal.clientId,
      key,
      input.value,
      input.valueBytes,
      input.expiresAt,
      now,
      now,
      ...allowed.binds,
    );
}

export type DeleteOutcome = { kind: 'deleted' } | { kind: 'not_found' };

/**
 * Deletes an entry; `not_found` when there was none or it had already expired (an expired row
 * is removed all the same, early purge, and recorded as `metadata.expired`). One round trip.
 */
export async function deleteEntry(
  db: Database,
  principal: AppPrincipal,
  key: string,
  now: number,
): Promise<DeleteOutcome> {
  const guard = activeGuard(principal, now);
  const target = `user_id = ? AND client_id = ? AND key = ? AND ${guard.sql}`;
  const targetBinds = [principal.userId, principal.clientId, key, ...guard.binds];
  const removes = (live: boolean) => ({
    sql: `EXISTS (SELECT 1 FROM metadata_entries WHERE ${target}
            AND ${live ? '' : 'NOT '}(expires_at IS NULL OR expires_at > ?))`,
    binds: [...targetBinds, now],
  });
  const [status, , , removed] = await db.batch([
    statusStatement(db, principal, now),
    recordAppChange(
      db,
      principal.clientId,
      entryEvent(principal, 'metadata.deleted', key, now),
      removes(true),
    ),
    recordAppChange(
      db,
      principal.clientId,
      entryEvent(principal, 'metadata.expired', key, now),
      removes(false),
    ),
    db
      .prepare(`DELETE FROM metadata_entries WHERE ${target} RETURNING expires_at`)
      .bind(...targetBinds),
  ]);
  requireActive(status);
  const row = firstOf<{ expires_at: number | null }>(removed);
  const wasLive = row !== null && (row.expires_at === null || row.expires_at > now);
  return wasLive ? { kind: 'deleted' } : { kind: 'not_found' };
}

/** The owner's expired entries: ?1 now, ?2 user, ?3 client; at most METADATA_MAX_KEYS rows. */
const EXPIRED_OF_OWNER = `SELECT rowid FROM metadata_entries
  WHERE user_id = ?2 AND client_id = ?3 AND expires_at IS NOT NULL AND expires_at <= ?1`;

/**
 * A PUT first removes the owner's expired entries (recording `metadata.expired` for each), so
 * the quota bounds the rows stored for a (user, application), expired or not: before the write
 * every row left is live and the upsert admits at most METADATA_MAX_KEYS of them. The work is
 * bounded by that same quota, and the owner's index prefix finds the rows.
 */
function purgeExpiredOfOwner(
  db: Database,
  principal: AppPrincipal,
  now: number,
): D1PreparedStatement[] {
  const binds = [principal.userId, principal.clientId];
  return [
    recordEntriesExpired(db, EXPIRED_OF_OWNER, now, binds),
    db
      .prepare(`DELETE FROM metadata_entries WHERE rowid IN (${EXPIRED_OF_OWNER})`)
      .bind(now, ...binds),
  ];
}

/** Up to ?2 rowids of entries expired at ?1; the same subquery selects and deletes a chunk. */
const EXPIRED_CHUNK = `SELECT rowid FROM metadata_entries
                        WHERE expires_at IS NOT NULL AND expires_at <= ?1 LIMIT ?2`;

/**
 * Deletes up to `limitRows` entries expired at `now`, recording `metadata.expired` for each in
 * the same batch. The outer WHERE re-checks the expiry, so an entry renewed between the inner
 * SELECT and the DELETE is kept (it is the same transaction in D1, but the rule must not
 * depend on that). Two binds per statement, well under D1's 100.
 */
export async function purgeExpiredChunk(
  db: Database,
  now: number,
  limitRows: number,
): Promise<number> {
  const [, deleted] = await db.batch([
    recordEntriesExpired(db, EXPIRED_CHUNK, now, [limitRows]),
    db
      .prepare(
        `DELETE FROM metadata_entries WHERE rowid IN (${EXPIRED_CHUNK})
            AND expires_at IS NOT NULL AND expires_at <= ?1`,
      )
      .bind(now, limitRows),
  ]);
  return deleted?.meta.changes ?? 0;
}
