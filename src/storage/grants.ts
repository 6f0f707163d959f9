/**
 * D1 queries for authorizations (a user's grant to an application). The OAuth server creates
 * and revokes them; tests create them directly to mint tokens before a real flow exists.
 */
import type { Scope } from '../auth/scopes';
import type { Database } from './db';

export interface Grant {
  userId: string;
  clientId: string;
  scopes: Scope[];
  tokenGen: number;
}

/**
 * Creates or widens a grant, only while the application is enabled (null otherwise: an app
 * disabled while consent was pending gets no grant). A new grant's generation is `nowMs`,
 * which is larger than any generation an earlier (revoked) grant for the same pair had, so
 * old tokens stay dead. One round trip.
 */
export async function upsertGrant(
  db: Database,
  input: { userId: string; clientId: string; scopes: Scope[]; now: number; nowMs: number },
): Promise<Grant | null> {
  // The WHERE clause also keeps SQLite from reading ON CONFLICT as a join constraint.
  const row = await db.first<{ token_gen: number; scopes: string }>(
    db
      .prepare(
        `INSERT INTO authorizations (user_id, client_id, scopes, token_gen, created_at, updated_at)
         SELECT ?, client_id, ?, ?, ?, ? FROM applications
          WHERE client_id = ? AND disabled_at IS NULL
         ON CONFLICT (user_id, client_id) DO UPDATE SET scopes = excluded.scopes, updated_at = excluded.updated_at
         RETURNING token_gen, scopes`,
      )
      .bind(
        input.userId,
        JSON.stringify(input.scopes),
        input.nowMs,
        input.now,
        input.now,
        input.clientId,
      ),
  );
  if (row === null) return null;
  return {
    userId: input.userId,
    clientId: input.clientId,
    scopes: JSON.parse(row.scopes) as Scope[],
    tokenGen: row.token_gen,
  };
}

/** The user's current grant to the application, or null. One round trip. */
export async function getGrant(
  db: Database,
  userId: string,
  clientId: string,
): Promise<Grant | null> {
  const row = await db.first<{ token_gen: number; scopes: string }>(
    db
      .prepare('SELECT token_gen, scopes FROM authorizations WHERE user_id = ? AND client_id = ?')
      .bind(userId, clientId),
  );
  if (row === null) return null;
  return {
    userId,
    clientId,
    scopes: JSON.parse(row.scopes) as Scope[],
    tokenGen: row.token_gen,
  };
}
