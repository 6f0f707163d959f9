/** D1 queries for users: the profile read (with the caller's document) and admin creation. */
import type { Principal } from '../auth/principal';
import type { UserRow } from '../entities/profile';
import { recordViewStatement } from './cached-views';
import { type Database, firstOf } from './db';
import {
  DOCUMENT_COLUMNS,
  type RowWithDocument,
  clientIdOf,
  documentJoinSql,
  splitDocument,
} from './entities';
import { requireActive, statusStatement } from './principal-status';

export const PROFILE_COLUMNS = 'u.id, u.email, u.first_name, u.last_name, u.created_at';

/** The principal's own profile with the calling application's document (cold path). */
export async function getProfileWithDocument(
  db: Database,
  principal: Principal,
  now: number,
): Promise<RowWithDocument<UserRow> | null> {
  const read = db
    .prepare(
      `SELECT ${PROFILE_COLUMNS}, ${DOCUMENT_COLUMNS}
         FROM users u ${documentJoinSql('u.id', 'u.id')}
        WHERE u.id = ?3`,
    )
    .bind('profile', clientIdOf(principal), principal.userId);
  const [status, result] = await db.batch([
    statusStatement(db, principal, now),
    read,
    recordViewStatement(db, principal, 'profile', principal.userId, now),
  ]);
  requireActive(status);
  return splitDocument(firstOf<UserRow>(result));
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
