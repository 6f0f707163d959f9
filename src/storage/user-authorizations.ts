/**
 * The user's view of their authorizations: list them with the app names, and revoke one.
 * Revocation is one batch: the grant, its refresh tokens, pending codes and requests, and the
 * app's metadata for this user (v1 app_metadata and v2 metadata_entries) go together.
 */
import type { UserPrincipal } from '../auth/principal';
import type { Scope } from '../auth/scopes';
import { type ViewRow, takePrincipalViewsStatement, takenViews } from './cached-views';
import { recordAppChange } from './changes';
import type { Database } from './db';
import { activeGuard, readAsPrincipal, requireActive, statusStatement } from './principal-status';

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

/** The user's authorizations. One round trip. */
export async function listAuthorizations(
  db: Database,
  principal: UserPrincipal,
  now: number,
): Promise<AuthorizationView[]> {
  const list = db.prepare(AUTHORIZATIONS_SQL).bind(principal.userId);
  return (await readAsPrincipal<AuthorizationRow>(db, principal, now, list)).map(
    toAuthorizationView,
  );
}

/**
 * Statements scoped to the user's grant of `clientId`, each guarded by the principal being
 * active: `scoped('DELETE FROM t')` appends `WHERE user_id = ? AND client_id = ? AND <guard>`.
 */
export function grantScope(db: Database, principal: UserPrincipal, clientId: string, now: number) {
  const guard = activeGuard(principal, now);
  const where = `WHERE user_id = ? AND client_id = ? AND ${guard.sql}`;
  const binds = [principal.userId, clientId, ...guard.binds];
  const scoped = (sql: string) => db.prepare(`${sql} ${where}`).bind(...binds);
  return { guard, where, binds, scoped };
}

/**
 * Revokes the user's authorization of `clientId` and deletes everything it left behind,
 * recording `authorization.revoked` for the application first (under the delete's own
 * condition) and taking the application's cached views of the user out of the index. One
 * round trip (one transaction); null when the user had not authorized the application.
 */
export async function revokeAuthorization(
  db: Database,
  principal: UserPrincipal,
  clientId: string,
  now: number,
): Promise<{ staleViews: ViewRow[] } | null> {
  const { where, binds, scoped } = grantScope(db, principal, clientId, now);
  const [status, , deleted, , , , , , taken] = await db.batch([
    statusStatement(db, principal, now),
    recordAppChange(
      db,
      clientId,
      { type: 'authorization.revoked', userId: principal.userId, now },
      { sql: `EXISTS (SELECT 1 FROM authorizations ${where})`, binds },
    ),
    scoped('DELETE FROM authorizations'),
    scoped('DELETE FROM refresh_tokens'),
    scoped('DELETE FROM authorization_codes'),
    scoped('DELETE FROM authorization_requests'),
    scoped('DELETE FROM app_metadata'),
    scoped('DELETE FROM metadata_entries'),
    takePrincipalViewsStatement(db, clientId, principal.userId),
    // The members index of the documents deleted above (spec §14 filters).
    scoped('DELETE FROM app_metadata_members'),
  ]);
  requireActive(status);
  return deleted?.meta.changes ? { staleViews: takenViews(taken) } : null;
}
