/**
 * Ending a user's access everywhere (issue: no password change or "sign out everywhere"):
 * every other session, every refresh token, every application access token (each grant's
 * generation bumped), every personal key and every pending code, with the user's cached views
 * taken out of the index, in ONE batch; a password change sets the new hash in the same batch.
 * Grants stay: the apps remain authorized and their users sign in again.
 */
import { type ViewRow, takenViews } from './cached-views';
import type { Database } from './db';
import { BUMP_GEN } from './refresh-tokens';

export interface EndEverything {
  userId: string;
  /** The session that asked, which stays signed in. */
  keepSessionHash: string;
  now: number;
  /** Milliseconds, for the new grant generations. */
  nowMs: number;
  /** A new password hash to store in the same batch (password change). */
  passwordHash?: string;
}

export async function endAllAccess(
  db: Database,
  input: EndEverything,
): Promise<{ staleViews: ViewRow[] }> {
  const { userId, now } = input;
  const password =
    input.passwordHash === undefined
      ? []
      : [
          db
            .prepare('UPDATE users SET password_hash = ? WHERE id = ?')
            .bind(input.passwordHash, userId),
        ];
  const results = await db.batch([
    ...password,
    db
      .prepare('DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?')
      .bind(userId, input.keepSessionHash),
    db
      .prepare('UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL')
      .bind(now, userId),
    db.prepare('DELETE FROM authorization_codes WHERE user_id = ?').bind(userId),
    // `token_gen` strictly grows, so old tokens never match.
    db.prepare(`UPDATE authorizations SET ${BUMP_GEN} WHERE user_id = ?`).bind(input.nowMs, userId),
    db
      .prepare('UPDATE api_keys SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL')
      .bind(now, userId),
    db
      .prepare(
        `DELETE FROM cached_views WHERE user_id = ?
         RETURNING user_id, entity_type, entity_id, scope`,
      )
      .bind(userId),
  ]);
  return { staleViews: takenViews(results[results.length - 1]) };
}

/** The stored password hash of a user (null for accounts without a password). */
export async function getPasswordHash(db: Database, userId: string): Promise<string | null> {
  const row = await db.first<{ password_hash: string | null }>(
    db.prepare('SELECT password_hash FROM users WHERE id = ?').bind(userId),
  );
  return row?.password_hash ?? null;
}
