/**
 * Refresh tokens (RFC 6749 §6, RFC 9700 §4.14.2): stored hashed and rotated on every use by
 * one conditional UPDATE that also names the successor, which the same batch inserts; so of
 * parallel refreshes exactly one wins. Revoking a chain also bumps the grant's token_gen,
 * which kills the access tokens issued under it.
 */
import type { Scope } from '../auth/scopes';
import { type Database, firstOf } from './db';

/** SQL that is true while the grant of (user, client) exists and its application is enabled. */
export function grantActiveSql(userColumn: string, clientColumn: string): string {
  return `EXISTS (SELECT 1 FROM authorizations ga JOIN applications gp ON gp.client_id = ga.client_id
            WHERE ga.user_id = ${userColumn} AND ga.client_id = ${clientColumn} AND gp.disabled_at IS NULL)`;
}

export interface RefreshToken {
  familyId: string;
  clientId: string;
  userId: string;
  scopes: Scope[];
  expiresAt: number;
  usedAt: number | null;
  revokedAt: number | null;
}

interface RefreshRow {
  family_id: string;
  client_id: string;
  user_id: string;
  scopes: string;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
}

export async function getRefreshToken(
  db: Database,
  tokenHash: string,
): Promise<RefreshToken | null> {
  const row = await db.first<RefreshRow>(
    db
      .prepare(
        `SELECT family_id, client_id, user_id, scopes, expires_at, used_at, revoked_at
           FROM refresh_tokens WHERE token_hash = ?`,
      )
      .bind(tokenHash),
  );
  if (row === null) return null;
  return {
    familyId: row.family_id,
    clientId: row.client_id,
    userId: row.user_id,
    scopes: JSON.parse(row.scopes) as Scope[],
    expiresAt: row.expires_at,
    usedAt: row.used_at,
    revokedAt: row.revoked_at,
  };
}

export interface Rotation {
  oldHash: string;
  newHash: string;
  clientId: string;
  expiresAt: number;
  now: number;
}

/** Rotates a refresh token atomically; null when another request (or a revocation) won. */
export async function rotateRefreshToken(
  db: Database,
  rotation: Rotation,
): Promise<{ userId: string; scopes: Scope[]; tokenGen: number } | null> {
  const grant = grantActiveSql('refresh_tokens.user_id', 'refresh_tokens.client_id');
  const [claimed, , status] = await db.batch([
    db
      .prepare(
        `UPDATE refresh_tokens SET used_at = ?1, replaced_by = ?2
          WHERE token_hash = ?3 AND used_at IS NULL AND revoked_at IS NULL
            AND expires_at > ?1 AND client_id = ?4 AND ${grant}
         RETURNING user_id, scopes`,
      )
      .bind(rotation.now, rotation.newHash, rotation.oldHash, rotation.clientId),
    db
      .prepare(
        `INSERT INTO refresh_tokens (token_hash, family_id, client_id, user_id, scopes, created_at, expires_at)
         SELECT ?1, family_id, client_id, user_id, scopes, ?2, ?3 FROM refresh_tokens
          WHERE token_hash = ?4 AND replaced_by = ?1`,
      )
      .bind(rotation.newHash, rotation.now, rotation.expiresAt, rotation.oldHash),
    db
      .prepare(
        `SELECT a.token_gen AS token_gen FROM refresh_tokens r
           JOIN authorizations a ON a.user_id = r.user_id AND a.client_id = r.client_id
          WHERE r.token_hash = ? AND r.replaced_by = ?`,
      )
      .bind(rotation.oldHash, rotation.newHash),
  ]);
  const row = firstOf<{ user_id: string; scopes: string }>(claimed);
  const gen = firstOf<{ token_gen: number }>(status);
  if (row === null || gen === null) return null;
  return {
    userId: row.user_id,
    scopes: JSON.parse(row.scopes) as Scope[],
    tokenGen: gen.token_gen,
  };
}

/** `token_gen` strictly grows, even for two bumps in the same millisecond. */
const BUMP_GEN = 'token_gen = MAX(token_gen + 1, ?)';

/**
 * Revokes a refresh-token chain and every access token of its grant (RFC 7009 §2.1; reuse
 * detection, RFC 9700 §4.14.2). Returns the grant's new generation, or null without a grant.
 */
export async function revokeFamily(
  db: Database,
  input: { familyId: string; userId: string; clientId: string; now: number; nowMs: number },
): Promise<number | null> {
  const [, bumped] = await db.batch([
    db
      .prepare(
        'UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL',
      )
      .bind(input.now, input.familyId),
    db
      .prepare(
        `UPDATE authorizations SET ${BUMP_GEN} WHERE user_id = ? AND client_id = ? RETURNING token_gen`,
      )
      .bind(input.nowMs, input.userId, input.clientId),
  ]);
  return firstOf<{ token_gen: number }>(bumped)?.token_gen ?? null;
}

/**
 * Kills the access tokens of a grant whose generation is still `gen` (revoking one access
 * token, RFC 7009 §2.1). Refresh tokens stay valid: the app refreshes to continue.
 */
export async function bumpGrantGeneration(
  db: Database,
  input: { userId: string; clientId: string; gen: number; nowMs: number },
): Promise<number | null> {
  const row = await db.first<{ token_gen: number }>(
    db
      .prepare(
        `UPDATE authorizations SET ${BUMP_GEN}
          WHERE user_id = ? AND client_id = ? AND token_gen = ? RETURNING token_gen`,
      )
      .bind(input.nowMs, input.userId, input.clientId, input.gen),
  );
  return row?.token_gen ?? null;
}
