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
 * Creates or widens a grant. A new grant's generation is `nowMs`, which is larger than any
 * generation an earlier (revoked) grant for the same pair had, so old tokens stay dead.
 */
export async function upsertGrant(
  db: Database,
  input: { userId: string; clientId: string; scopes: Scope[]; now: number; nowMs: number },
): Promise<Grant> {
  const row = await db.first<{ token_gen: number; scopes: string }>(
    db
      .prepare(
        `INSERT INTO authorizations (user_id, client_id, scopes, token_gen, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_id, client_id) DO UPDATE SET scopes = excluded.scopes, updated_at = excluded.updated_at
         RETURNING token_gen, scopes`,
      )
      .bind(
        input.userId,
        input.clientId,
        JSON.stringify(input.scopes),
        input.nowMs,
        input.now,
        input.now,
      ),
  );
  const saved = row as { token_gen: number; scopes: string };
  return {
    userId: input.userId,
    clientId: input.clientId,
    scopes: JSON.parse(saved.scopes) as Scope[],
    tokenGen: saved.token_gen,
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
