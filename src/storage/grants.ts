/**
 * D1 queries for authorizations (a user's grant to an application). The OAuth server creates
 * and revokes them; tests create them directly to mint tokens before a real flow exists.
 */
import type { Scope } from '../auth/scopes';
import type { Database } from './db';
import { BUMP_GEN } from './refresh-tokens';

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

/** Members of the JSON array `column` that are in the JSON array bound next, as a JSON array. */
const KEPT = (column: string) =>
  `(SELECT json_group_array(j.value) FROM json_each(${column}) j
     WHERE j.value IN (SELECT value FROM json_each(?)))`;
/** True when the JSON array `column` holds a member outside the JSON array bound next. */
const LOSES = (column: string) =>
  `EXISTS (SELECT 1 FROM json_each(${column}) j WHERE j.value NOT IN (SELECT value FROM json_each(?)))`;

/**
 * For the batch that narrows an application's scopes to `allowed` (spec §15): every grant,
 * live refresh token, unused code and pending request of the application loses the scopes it
 * may no longer hold, and every grant that lost one gets a new generation, so the access
 * tokens issued under it fail at once (401) and the next refresh issues the remaining scopes
 * only. A refresh token left with no scope is revoked; an unused code or pending request that
 * held a removed scope is deleted (the app asks again). Adding scopes widens nothing: a user
 * consents again.
 */
export function narrowGrantsStatements(
  db: Database,
  input: { clientId: string; allowed: Scope[]; now: number; nowMs: number },
): D1PreparedStatement[] {
  const { clientId, now, nowMs } = input;
  const allowed = JSON.stringify(input.allowed);
  // Refresh tokens are found through the application's grants (index refresh_tokens_grant);
  // one without a grant cannot be used anyway (grantActiveSql).
  const grantUsers = 'user_id IN (SELECT user_id FROM authorizations WHERE client_id = ?)';
  return [
    db
      .prepare(
        `UPDATE authorizations SET scopes = ${KEPT('authorizations.scopes')}, ${BUMP_GEN}, updated_at = ?
          WHERE client_id = ? AND ${LOSES('authorizations.scopes')}`,
      )
      .bind(allowed, nowMs, now, clientId, allowed),
    db
      .prepare(
        `UPDATE refresh_tokens SET scopes = ${KEPT('refresh_tokens.scopes')},
                revoked_at = CASE WHEN EXISTS (SELECT 1 FROM json_each(refresh_tokens.scopes) j
                                                WHERE j.value IN (SELECT value FROM json_each(?)))
                                  THEN revoked_at ELSE ? END
          WHERE client_id = ? AND ${grantUsers} AND revoked_at IS NULL AND used_at IS NULL
            AND ${LOSES('refresh_tokens.scopes')}`,
      )
      .bind(allowed, allowed, now, clientId, clientId, allowed),
    db
      .prepare(
        `DELETE FROM authorization_codes WHERE client_id = ? AND used_at IS NULL
            AND ${LOSES('authorization_codes.scopes')}`,
      )
      .bind(clientId, allowed),
    db
      .prepare(
        `DELETE FROM authorization_requests WHERE client_id = ?
            AND ${LOSES('authorization_requests.scopes')}`,
      )
      .bind(clientId, allowed),
  ];
}

/**
 * For the batch that re-enables a disabled application, placed before the update that clears
 * `disabled_at` (it acts only while the application is still disabled): every grant gets a new
 * generation and every live refresh token and unused code is revoked, so nothing issued before
 * the disable works again. The grants stay; users sign in to the app again without a new
 * consent for the scopes they had granted.
 */
export function reenableStatements(
  db: Database,
  input: { clientId: string; now: number; nowMs: number },
): D1PreparedStatement[] {
  const { clientId, now, nowMs } = input;
  const disabled =
    'EXISTS (SELECT 1 FROM applications WHERE client_id = ? AND disabled_at IS NOT NULL)';
  return [
    db
      .prepare(
        `UPDATE refresh_tokens SET revoked_at = ?
          WHERE client_id = ? AND user_id IN (SELECT user_id FROM authorizations WHERE client_id = ?)
            AND revoked_at IS NULL AND ${disabled}`,
      )
      .bind(now, clientId, clientId, clientId),
    db
      .prepare(
        `DELETE FROM authorization_codes WHERE client_id = ? AND used_at IS NULL AND ${disabled}`,
      )
      .bind(clientId, clientId),
    db
      .prepare(`UPDATE authorizations SET ${BUMP_GEN} WHERE client_id = ? AND ${disabled}`)
      .bind(nowMs, clientId, clientId),
  ];
}
