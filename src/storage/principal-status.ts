/**
 * Whether a verified token's grant, application or personal key is still active. Checked in
 * the same D1 round trip as the data a request reads (a batch) or guarding the write itself
 * (an EXISTS clause). Hot reads never consult D1: revocations delete the principal's cached
 * views instead (src/storage/cached-views.ts).
 */
import type { Principal } from '../auth/principal';
import { InactivePrincipalError } from '../errors';
import { type Database, firstOf, rowsOf } from './db';

/** SQL fragment + binds that is true only while the principal is active; guards writes. */
export function activeGuard(principal: Principal, now: number): { sql: string; binds: unknown[] } {
  if (principal.kind === 'app') {
    return {
      sql: `EXISTS (SELECT 1 FROM authorizations ga JOIN applications gp ON gp.client_id = ga.client_id
              WHERE ga.user_id = ? AND ga.client_id = ? AND ga.token_gen = ? AND gp.disabled_at IS NULL)`,
      binds: [principal.userId, principal.clientId, principal.gen],
    };
  }
  if (principal.kind === 'session') {
    return {
      sql: `EXISTS (SELECT 1 FROM sessions gs WHERE gs.id_hash = ? AND gs.user_id = ? AND gs.expires_at > ?)`,
      binds: [principal.sessionHash, principal.userId, now],
    };
  }
  return {
    sql: `EXISTS (SELECT 1 FROM api_keys gk WHERE gk.id = ? AND gk.user_id = ?
            AND gk.revoked_at IS NULL AND (gk.expires_at IS NULL OR gk.expires_at > ?))`,
    binds: [principal.keyId, principal.userId, now],
  };
}

interface StatusRow {
  active: number;
}

/** A statement returning one row `{active}` (1 or 0), the same test as activeGuard, for a batch. */
export function statusStatement(
  db: Database,
  principal: Principal,
  now: number,
): D1PreparedStatement {
  const guard = activeGuard(principal, now);
  return db.prepare(`SELECT ${guard.sql} AS active`).bind(...guard.binds);
}

/**
 * Reads the result of statusStatement: throws InactivePrincipalError when the principal's
 * grant, application, key or session is no longer active (the one way storage says so).
 */
export function requireActive(result: D1Result | undefined): void {
  if (firstOf<StatusRow>(result)?.active !== 1) throw new InactivePrincipalError();
}

/** Runs one read in a batch behind the principal's status check; throws when inactive. */
export async function readAsPrincipal<T>(
  db: Database,
  principal: Principal,
  now: number,
  statement: D1PreparedStatement,
): Promise<T[]> {
  const [status, rows] = await db.batch([statusStatement(db, principal, now), statement]);
  requireActive(status);
  return rowsOf<T>(rows);
}

/**
 * Who a cached view belongs to: the application and grant generation of an app token, the
 * personal key, or (never cached today) the session. A new grant generation is a new scope, so
 * a view cached under a revoked grant can never be served to a token of the new one.
 */
export function principalScope(principal: Principal): string {
  switch (principal.kind) {
    case 'app':
      return `a.${principal.clientId}.${principal.gen}`;
    case 'personal':
      return `k.${principal.keyId}`;
    case 'session':
      return `s.${principal.sessionHash}`;
  }
}

/** The id that finds every view of an application, a personal key or a session. */
export function principalId(principal: Principal): string {
  switch (principal.kind) {
    case 'app':
      return principal.clientId;
    case 'personal':
      return principal.keyId;
    case 'session':
      return principal.sessionHash;
  }
}
