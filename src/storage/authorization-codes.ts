/**
 * Authorization codes (RFC 6749 §4.1.2, §10.5): stored hashed, single use, short-lived. The
 * claim is one conditional UPDATE made only after the caller checked the PKCE verifier, so a
 * failed exchange never consumes a code; the same batch issues the first refresh token.
 */
import type { Scope } from '../auth/scopes';
import type { Database } from './db';
import { type Claimed, claimAndIssueRefreshToken } from './token-claim';

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

/**
 * Stores a code, only while its application is enabled: false when it is disabled (an app
 * disabled while the user was signing in or consenting gets no code). One round trip.
 */
export async function insertAuthorizationCode(
  db: Database,
  codeHash: string,
  code: AuthorizationCode,
  now: number,
): Promise<boolean> {
  const result = await db.run(
    db
      .prepare(
        `INSERT INTO authorization_codes (code_hash, ${COLUMNS}, created_at)
         SELECT ?, client_id, ?, ?, ?, ?, ?, ?, NULL, ? FROM applications
          WHERE client_id = ? AND disabled_at IS NULL`,
      )
      .bind(
        codeHash,
        code.userId,
        code.redirectUri,
        code.codeChallenge,
        JSON.stringify(code.scopes),
        code.familyId,
        code.expiresAt,
        now,
        code.clientId,
      ),
  );
  return (result.meta.changes ?? 0) === 1;
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
): Promise<Claimed | null> {
  return claimAndIssueRefreshToken(
    db,
    { table: 'authorization_codes', key: 'code_hash', marker: 'refresh_hash' },
    {
      keyHash: claim.codeHash,
      newHash: claim.refreshHash,
      clientId: claim.clientId,
      expiresAt: claim.refreshExpiresAt,
      now: claim.now,
      conditions: 'AND redirect_uri = ?5',
      binds: [claim.redirectUri],
    },
  );
}
