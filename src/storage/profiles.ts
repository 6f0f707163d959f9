/** D1 queries for users: the profile read (with the caller's document) and admin creation. */
import type { Principal } from '../auth/principal';
import type { EntityJson } from '../entities/kinds';
import { formatTimestamp } from '../entities/time';
import { type Database, firstOf } from './db';
import type { Checked, EntityWithDocumentRow, StatusRow } from './entities';
import { recordViewStatement } from './cached-views';
import { isActive, statusStatement } from './principal-status';

const PROFILE_COLUMNS = 'u.id, u.email, u.first_name, u.last_name, u.created_at';

export interface UserRow {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  created_at: number;
}

/** The public profile shape (spec §8, §11). */
export function toProfile(row: UserRow): EntityJson {
  return {
    id: row.id,
    email: row.email,
    first_name: row.first_name,
    last_name: row.last_name,
    display_name: [row.first_name, row.last_name].filter((part) => part.length > 0).join(' '),
    registered_at: formatTimestamp(row.created_at),
  };
}

/** The principal's own profile with the calling application's document; one round trip. */
export async function getProfileWithDocument(
  db: Database,
  principal: Principal,
  now: number,
): Promise<Checked<EntityWithDocumentRow | null>> {
  const clientId = principal.kind === 'app' ? principal.clientId : null;
  const read = db
    .prepare(
      `SELECT ${PROFILE_COLUMNS}, m.document AS document, m.version AS version
         FROM users u
         LEFT JOIN app_metadata m ON m.user_id = u.id AND m.entity_type = 'profile'
              AND m.entity_id = u.id AND m.client_id = ?1
        WHERE u.id = ?2`,
    )
    .bind(clientId, principal.userId);
  const [statusResult, result] = await db.batch([
    statusStatement(db, principal, now),
    read,
    recordViewStatement(db, principal, 'profile', principal.userId, now),
  ]);
  const status = firstOf<StatusRow>(statusResult) as StatusRow;
  if (!isActive(status)) return { active: false, status };
  const row = firstOf<UserRow & { document: string | null; version: string | null }>(result);
  if (row === null) return { active: true, status, value: null };
  const { document, version, ...user } = row;
  return {
    active: true,
    status,
    value: { row: user as unknown as EntityWithDocumentRow['row'], document, version },
  };
}

export interface NewUser {
  id: string;
  email: string;
  passwordHash: string | null;
  firstName: string;
  lastName: string;
  now: number;
}

/** Inserts a user; null when the email is taken (case-insensitive). One round trip. */
export async function insertUser(db: Database, user: NewUser): Promise<UserRow | null> {
  return db.first<UserRow>(
    db
      .prepare(
        `INSERT INTO users (id, email, password_hash, first_name, last_name, created_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (email) DO NOTHING
         RETURNING id, email, first_name, last_name, created_at`,
      )
      .bind(user.id, user.email, user.passwordHash, user.firstName, user.lastName, user.now),
  );
}
