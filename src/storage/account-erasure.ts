/**
 * Account erasure (spec §15, §17): every row that belongs to a user, in every table, deleted
 * in ONE D1 batch (one transaction: all of it or none of it). The user's own change records
 * go first; then `authorization.revoked` is recorded for each application the user had
 * authorized, and those notices are the only rows that outlive the user: webhook delivery
 * reads the event by id from `changes` when the queue hands it over, after this commit, so
 * the rows must stay until the retention purge (CHANGES_RETENTION_DAYS) takes them. They hold
 * the opaque user id each app already knew, nothing else.
 *
 * D1 enforces foreign keys, and most user tables cascade from `users`, but every table is
 * named here explicitly (children before parents), so erasure does not depend on a cascade
 * nobody wrote down, and tables without one (changes, cached_views, auth_failures) go too.
 */
import type { UserRow } from '../entities/profile';
import { type ViewRow, takenViews } from './cached-views';
import { recordUserRevoked } from './changes';
import { type Database, firstOf } from './db';

/** Tables whose rows carry the owner in `user_id`, in the order they are emptied. */
const USER_TABLES = [
  'entity_tags',
  'app_metadata_members',
  'app_metadata',
  'metadata_entries',
  'activities',
  'traces',
  'tests',
  'idempotency_keys',
  'authorization_codes',
  'refresh_tokens',
  'authorization_requests',
  'authorizations',
  'api_keys',
  'sessions',
] as const;

export interface Erasure {
  userId: string;
  /**
   * The prefix of the account's failed-attempt buckets in auth_failures (every address);
   * see src/auth/password-attempts.ts.
   */
  failureBucketPrefix: string;
  now: number;
}

/** The character after `|`, so [prefix, prefix with `}`) is exactly the buckets under prefix. */
function prefixEnd(prefix: string): string {
  if (!prefix.endsWith('|')) throw new Error('bucket prefix must end with |');
  return `${prefix.slice(0, -1)}}`;
}

/**
 * Erases the user. One round trip. `erased` is false when there was no such user (nothing
 * was recorded or deleted); `staleViews` are the user's cached views, taken out of the index,
 * for the caller to delete from KV.
 */
export async function eraseUser(
  db: Database,
  input: Erasure,
): Promise<{ erased: boolean; staleViews: ViewRow[] }> {
  const { userId, failureBucketPrefix: prefix } = input;
  const results = await db.batch([
    // The user's other change records first, so the notices recorded next are all that stay.
    db.prepare('DELETE FROM changes WHERE user_id = ?').bind(userId),
    recordUserRevoked(db, userId, input.now),
    db
      .prepare(
        `DELETE FROM cached_views WHERE user_id = ?
         RETURNING user_id, entity_type, entity_id, scope`,
      )
      .bind(userId),
    ...USER_TABLES.map((table) =>
      db.prepare(`DELETE FROM ${table} WHERE user_id = ?`).bind(userId),
    ),
    // A range on the primary key (LIKE would treat `_` in the hash as a wildcard).
    db
      .prepare('DELETE FROM auth_failures WHERE bucket >= ? AND bucket < ?')
      .bind(prefix, prefixEnd(prefix)),
    db.prepare('DELETE FROM users WHERE id = ? RETURNING id').bind(userId),
  ]);
  return {
    erased: firstOf(results[results.length - 1]) !== null,
    staleViews: takenViews(results[2]),
  };
}

/** What erasure needs to know first: the account's email and password hash; null if none. */
export async function getErasable(
  db: Database,
  userId: string,
): Promise<{ email: string; passwordHash: string | null } | null> {
  const row = await db.first<{ email: string; password_hash: string | null }>(
    db.prepare('SELECT email, password_hash FROM users WHERE id = ?').bind(userId),
  );
  return row === null ? null : { email: row.email, passwordHash: row.password_hash };
}

/** The user with this (normalised) email, for the admin lookup; null when there is none. */
export async function getUserByEmail(db: Database, email: string): Promise<UserRow | null> {
  return db.first<UserRow>(
    db
      .prepare('SELECT id, email, first_name, last_name, created_at FROM users WHERE email = ?')
      .bind(email),
  );
}
