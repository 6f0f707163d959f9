/**
 * Authorization codes (RFC 6749 §4.1.2, §10.5): stored hashed, single use, short-lived. The
 * claim is one conditional UPDATE made only after the caller checked the PKCE verifier, so a
 * failed exchange never consumes a code; the same batch issues the first refresh token.
 */
import type { Scope } from '../auth/scopes';
import { type Database, firstOf } from './db';
import { grantActiveSql } from './refresh-tokens';

export interface AuthorizationCode {
  clientId: string;
  userId: string;
  redirectUri: string;
  codeChallenge: string;
  scopes: Scope[];
  familyId: string;
  expiresAt: number;
  usedAt: number | null;
}

interface CodeRow {
  client_id: string;
  user_id: string;
  redirect_uri: string;
  code_challenge: string;
  scopes: string;
  family_id: string;
  expires_at: number;
  used_at: number | null;
}

const COLUMNS =
  'client_id, user_id, redirect_uri, code_challenge, scopes, family_id, expires_at, used_at';

export async function insertAuthorizationCode(
  db: Database,
  codeHash: string,
  code: AuthorizationCode,
  now: number,
): Promise<void> {
  await db.run(
    db
      .prepare(
        `INSERT INTO authorization_codes (code_hash, ${COLUMNS}, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
      )
      .bind(
        codeHash,
        code.clientId,
        code.userId,
        code.redirectUri,
        code.codeChallenge,
        JSON.stringify(code.scopes),
        code.familyId,
        code.expiresAt,
        now,
      ),
  );
}

export async function getAuthorizationCode(
  db: Database,
  codeHash: string,
): Promise<AuthorizationCode | null> {
  const row = await db.first<CodeRow>(
    db.prepare(`SELECT ${COLUMNS} FROM authorization_codes WHERE code_hash = ?`).bind(codeHash),
  );
  if (row === null) return null;
  return {
    clientId: row.client_id,
    userId: row.user_id,
    redirectUri: row.redirect_uri,
    codeChallenge: row.code_challenge,
    scopes: JSON.parse(row.scopes) as Scope[],
    familyId: row.family_id,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
  };
}

export interface CodeClaim {
  codeHash: string;
  clientId: string;
  redirectUri: string;
  refreshHash: string;
  refreshExpiresAt: number;
  now: number;
}

/**
 * Claims the code and issues its refresh token in one transaction (RFC 6749 §4.1.2: single
 * use). Null when the code was already used or expired, or the grant or application is no
 * longer active; otherwise the grant's current token generation.
 */
export async function claimAuthorizationCode(
  db: Database,
  claim: CodeClaim,
): Promise<{ userId: string; scopes: Scope[]; tokenGen: number } | null> {
  const grant = grantActiveSql('authorization_codes.user_id', 'authorization_codes.client_id');
  const [claimed, , status] = await db.batch([
    db
      .prepare(
        `UPDATE authorization_codes SET used_at = ?1, refresh_hash = ?2
          WHERE code_hash = ?3 AND used_at IS NULL AND expires_at > ?1
            AND client_id = ?4 AND redirect_uri = ?5 AND ${grant}
         RETURNING user_id, scopes`,
      )
      .bind(claim.now, claim.refreshHash, claim.codeHash, claim.clientId, claim.redirectUri),
    db
      .prepare(
        `INSERT INTO refresh_tokens (token_hash, family_id, client_id, user_id, scopes, created_at, expires_at)
         SELECT ?1, family_id, client_id, user_id, scopes, ?2, ?3 FROM authorization_codes
          WHERE code_hash = ?4 AND refresh_hash = ?1`,
      )
      .bind(claim.refreshHash, claim.now, claim.refreshExpiresAt, claim.codeHash),
    db
      .prepare(
        `SELECT a.token_gen AS token_gen FROM authorization_codes c
           JOIN authorizations a ON a.user_id = c.user_id AND a.client_id = c.client_id
          WHERE c.code_hash = ? AND c.refresh_hash = ?`,
      )
      .bind(claim.codeHash, claim.refreshHash),
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
