/** D1 queries for users: where the profile's row is, and admin creation. */
import type { UserRow } from '../entities/profile';
import type { Database } from './db';
import type { DocumentHolder } from './entities';

/** The profile's row is the user: its columns as selected by cold reads and the export. */
export const PROFILE_HOLDER: DocumentHolder = {
  type: 'profile',
  from: 'users e',
  columns: 'e.id, e.email, e.first_name, e.last_name, e.created_at',
  owner: 'e.id',
};

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
