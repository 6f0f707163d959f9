/** D1 queries for signing in: the password hash of an account, looked up by email. */
import type { Database } from './db';

export interface LoginAccount {
  id: string;
  passwordHash: string | null;
}

/** The account with this email (case-insensitive, as the column's collation), or null. */
export async function getAccountByEmail(db: Database, email: string): Promise<LoginAccount | null> {
  const row = await db.first<{ id: string; password_hash: string | null }>(
    db.prepare('SELECT id, password_hash FROM users WHERE email = ?').bind(email),
  );
  return row === null ? null : { id: row.id, passwordHash: row.password_hash };
}
