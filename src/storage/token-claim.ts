/**
 * The one batch that claims a single-use credential and issues the refresh token that
 * follows it: the authorization code at the code exchange (RFC 6749 §4.1.2: single use) and
 * the old refresh token at rotation (RFC 9700 §4.14.2). Three statements, one transaction:
 *
 * 1. a conditional UPDATE … RETURNING marks the credential used and names the successor's hash
 *    (the marker), only while it is unused, unexpired, the client's own and its grant active;
 * 2. INSERT … SELECT issues the successor only where the marker was written by this claim;
 * 3. the grant's current token generation, for the access token.
 *
 * Of parallel claims exactly one writes the marker; the others get null.
 */
import type { Scope } from '../auth/scopes';
import { type Database, firstOf } from './db';

/** SQL that is true while the grant of (user, client) exists and its application is enabled. */
export function grantActiveSql(userColumn: string, clientColumn: string): string {
  return `EXISTS (SELECT 1 FROM authorizations ga JOIN applications gp ON gp.client_id = ga.client_id
            WHERE ga.user_id = ${userColumn} AND ga.client_id = ${clientColumn} AND gp.disabled_at IS NULL)`;
}

/** Where the credential lives. Constant identifiers only: nothing here comes from input. */
export type ClaimTable =
  | { table: 'authorization_codes'; key: 'code_hash'; marker: 'refresh_hash' }
  | { table: 'refresh_tokens'; key: 'token_hash'; marker: 'replaced_by' };

export interface Claim {
  /** Hash of the presented credential. */
  keyHash: string;
  /** Hash of the refresh token to issue. */
  newHash: string;
  clientId: string;
  /** The new refresh token's expiry (unix seconds). */
  expiresAt: number;
  now: number;
  /** Further conditions of the claim, constant SQL binding ?5 onwards, and their values. */
  conditions: string;
  binds: unknown[];
}

export interface Claimed {
  userId: string;
  scopes: Scope[];
  tokenGen: number;
}

/** Claims and issues in one transaction; null when the claim lost or was refused. */
export async function claimAndIssueRefreshToken(
  db: Database,
  where: ClaimTable,
  claim: Claim,
): Promise<Claimed | null> {
  const { table, key, marker } = where;
  const grant = grantActiveSql(`${table}.user_id`, `${table}.client_id`);
  const [claimed, , status] = await db.batch([
    db
      .prepare(
        `UPDATE ${table} SET used_at = ?1, ${marker} = ?2
          WHERE ${key} = ?3 AND used_at IS NULL AND expires_at > ?1
            AND client_id = ?4 AND ${grant} ${claim.conditions}
         RETURNING user_id, scopes`,
      )
      .bind(claim.now, claim.newHash, claim.keyHash, claim.clientId, ...claim.binds),
    db
      .prepare(
        `INSERT INTO refresh_tokens (token_hash, family_id, client_id, user_id, scopes, created_at, expires_at)
         SELECT ?1, family_id, client_id, user_id, scopes, ?2, ?3 FROM ${table}
          WHERE ${key} = ?4 AND ${marker} = ?1`,
      )
      .bind(claim.newHash, claim.now, claim.expiresAt, claim.keyHash),
    db
      .prepare(
        `SELECT a.token_gen AS token_gen FROM ${table} c
           JOIN authorizations a ON a.user_id = c.user_id AND a.client_id = c.client_id
          WHERE c.${key} = ? AND c.${marker} = ?`,
      )
      .bind(claim.keyHash, claim.newHash),
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
