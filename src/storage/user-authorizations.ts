/**
 * The user's view of their authorizations: list them with the app names, and revoke one.
 * Revocation is one batch: the grant, its refresh tokens, pending codes and requests, and the
 * app's metadata for this user (v1 app_metadata and v2 metadata_entries) go together.
 */
import type { UserPrincipal } from '../auth/principal';
import type { Scope } from '../auth/scopes';
import { type Database, firstOf, rowsOf } from './db';
import { activeGuard, isActive, statusStatement } from './principal-status';
import type { StatusRow } from './entities';

export interface AuthorizationView {
  clientId: string;
  appName: string;
  scopes: Scope[];
  createdAt: number;
  appDisabled: boolean;
}

interface AuthorizationRow {
  client_id: string;
  app_name: string;
  scopes: string;
  created_at: number;
  disabled_at: number | null;
}

export const AUTHORIZATIONS_SQL = `SELECT a.client_id, p.name AS app_name, a.scopes, a.created_at, p.disabled_at
  FROM authorizations a JOIN applications p ON p.client_id = a.client_id
 WHERE a.user_id = ? ORDER BY a.created_at DESC, a.client_id`;

export function toAuthorizationView(row: AuthorizationRow): AuthorizationView {
  return {
    clientId: row.client_id,
    appName: row.app_name,
    scopes: JSON.parse(row.scopes) as Scope[],
    createdAt: row.created_at,
    appDisabled: row.disabled_at !== null,
  };
}

/** The user's authorizations; null when the principal is no longer active. One round trip. */
export async function listAuthorizations(
  db: Database,
  principal: UserPrincipal,
  now: number,
): Promise<AuthorizationView[] | null> {
  const [status, list] = await db.batch([
    statusStatement(db, principal, now),
    db.prepare(AUTHORIZATIONS_SQL).bind(principal.userId),
  ]);
  if (!isActive(firstOf<StatusRow>(status))) return null;
  return rowsOf<AuthorizationRow>(list).map(toAuthorizationView);
}

/**
 * Revokes the user's authorization of `clientId` and deletes everything it left behind.
 * Returns 'inactive', 'not_found' or 'revoked'. One round trip (one transaction).
 */
export async function revokeAuthorization(
  db: Database,
  principal: UserPrincipal,
  clientId: string,
  now: number,
): Promise<'inactive' | 'not_found' | 'revoked'> {
  const guard = activeGuard(principal, now);
  const scoped = (sql: string) =>
    db
      .prepare(`${sql} WHERE user_id = ? AND client_id = ? AND ${guard.sql}`)
      .bind(principal.userId, clientId, ...guard.binds);
  const [status, deleted] = await db.batch([
    statusStatement(db, principal, now),
    db
      .prepare(
        `DELETE FROM authorizations WHERE user_id = ? AND client_id = ? AND ${guard.sql}
         RETURNING client_id`,
      )
      .bind(principal.userId, clientId, ...guard.binds),
    scoped('DELETE FROM refresh_tokens'),
    scoped('DELETE FROM authorization_codes'),
    scoped('DELETE FROM authorization_requests'),
    scoped('DELETE FROM app_metadata'),
    scoped('DELETE FROM metadata_entries'),
  ]);
  if (!isActive(firstOf<StatusRow>(status))) return 'inactive';
  return firstOf(deleted) === null ? 'not_found' : 'revoked';
}
