/** D1 queries for first-party browser sessions. The cookie holds the id; D1 holds its hash. */
import type { Database } from './db';

export interface SessionUser {
  userId: string;
  email: string;
  firstName: string;
}

/** Creates a session, dropping the user's expired ones in the same batch. */
export async function insertSession(
  db: Database,
  input: { idHash: string; userId: string; now: number; expiresAt: number },
): Promise<void> {
  await db.batch([
    db
      .prepare('DELETE FROM sessions WHERE user_id = ? AND expires_at <= ?')
      .bind(input.userId, input.now),
    db
      .prepare(
        'INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
      )
      .bind(input.idHash, input.userId, input.now, input.expiresAt),
  ]);
}

/** The signed-in user of a live session, or null. */
export async function getSessionUser(
  db: Database,
  idHash: string,
  now: number,
): Promise<SessionUser | null> {
  const row = await db.first<{ id: string; email: string; first_name: string }>(
    db
      .prepare(
        `SELECT u.id, u.email, u.first_name FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.id_hash = ? AND s.expires_at > ?`,
      )
      .bind(idHash, now),
  );
  return row === null ? null : { userId: row.id, email: row.email, firstName: row.first_name };
}

export async function deleteSession(db: Database, idHash: string): Promise<void> {
  await db.run(db.prepare('DELETE FROM sessions WHERE id_hash = ?').bind(idHash));
}
