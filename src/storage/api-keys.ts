/**
 * Personal API keys (spec §2): rows whose id is the key token's jti. Creating, listing and
 * revoking are each one round trip, guarded by the caller's own status.
 */
import type { UserPrincipal } from '../auth/principal';
import type { Scope } from '../auth/scopes';
import { type Database, firstOf, rowsOf } from './db';
import type { StatusRow } from './entities';
import { activeGuard, isActive, statusStatement } from './principal-status';

export interface ApiKey {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: number;
  expiresAt: number | null;
}

interface ApiKeyRow {
  id: string;
  name: string;
  scopes: string;
  created_at: number;
  expires_at: number | null;
}

const COLUMNS = 'id, name, scopes, created_at, expires_at';

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as Scope[],
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

/** Inserts a key for the principal's user; null when the principal is no longer active. */
export async function insertApiKey(
  db: Database,
  principal: UserPrincipal,
  key: ApiKey,
  now: number,
): Promise<ApiKey | null> {
  const guard = activeGuard(principal, now);
  const row = await db.first<ApiKeyRow>(
    db
      .prepare(
        `INSERT INTO api_keys (id, user_id, name, scopes, created_at, expires_at, revoked_at)
         SELECT ?, ?, ?, ?, ?, ?, NULL WHERE ${guard.sql}
         RETURNING ${COLUMNS}`,
      )
      .bind(
        key.id,
        principal.userId,
        key.name,
        JSON.stringify(key.scopes),
        key.createdAt,
        key.expiresAt,
        ...guard.binds,
      ),
  );
  return row === null ? null : toApiKey(row);
}

/** The user's keys that are neither revoked nor expired; null when inactive. */
export async function listApiKeys(
  db: Database,
  principal: UserPrincipal,
  now: number,
): Promise<ApiKey[] | null> {
  const [status, list] = await db.batch([
    statusStatement(db, principal, now),
    db
      .prepare(
        `SELECT ${COLUMNS} FROM api_keys
          WHERE user_id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)
          ORDER BY created_at DESC, id`,
      )
      .bind(principal.userId, now),
  ]);
  if (!isActive(firstOf<StatusRow>(status))) return null;
  return rowsOf<ApiKeyRow>(list).map(toApiKey);
}

/** Revokes one of the user's keys. */
export async function revokeApiKey(
  db: Database,
  principal: UserPrincipal,
  keyId: string,
  now: number,
): Promise<'inactive' | 'not_found' | 'revoked'> {
  const guard = activeGuard(principal, now);
  const [status, revoked] = await db.batch([
    statusStatement(db, principal, now),
    db
      .prepare(
        `UPDATE api_keys SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL
            AND ${guard.sql} RETURNING id`,
      )
      .bind(now, keyId, principal.userId, ...guard.binds),
  ]);
  if (!isActive(firstOf<StatusRow>(status))) return 'inactive';
  return firstOf(revoked) === null ? 'not_found' : 'revoked';
}
