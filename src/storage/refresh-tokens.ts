/**
 * Refresh tokens (RFC 6749 §6, RFC 9700 §4.14.2): stored hashed and rotated on every use by
 * one conditional UPDATE that also names the successor, which the same batch inserts
 * (src/storage/token-claim.ts); so of parallel refreshes exactly one wins. Revoking a chain also bumps the grant's token_gen,
 * which kills the access tokens issued under it.
 */
import type { Scope } from '../auth/scopes';
import { type Database, firstOf } from './db';
import { type Claimed, claimAndIssueRefreshToken } from './token-claim';

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
): Promise<Claimed | null> {
  return claimAndIssueRefreshToken(
    db,
    { table: 'refresh_tokens', key: 'token_hash', marker: 'replaced_by' },
    { ...rotation, keyHash: rotation.oldHash, conditions: 'AND revoked_at IS NULL', binds: [] },
  );
}

/** `token_gen` strictly grows, even for two bumps in the same millisecond. */
export const BUMP_GEN = 'token_gen = MAX(token_gen + 1, ?)';

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
