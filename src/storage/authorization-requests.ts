/**
 * Pending authorization requests (the server-side transaction between /oauth/authorize, login
 * and consent). Keyed by the hash of a random id; usable only from the browser that started
 * it (browser_hash); consumed by one atomic DELETE … RETURNING when the user decides.
 */
import type { Scope } from '../auth/scopes';
import { fixedWindowCount } from './auth-failures';
import type { Database } from './db';

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  scopes: Scope[];
  state: string | null;
  codeChallenge: string;
  promptLogin: boolean;
  promptConsent: boolean;
  userId: string | null;
  expiresAt: number;
}

interface RequestRow {
  client_id: string;
  redirect_uri: string;
  scopes: string;
  state: string | null;
  code_challenge: string;
  prompt_login: number;
  prompt_consent: number;
  user_id: string | null;
  expires_at: number;
}

const COLUMNS =
  'client_id, redirect_uri, scopes, state, code_challenge, prompt_login, prompt_consent, user_id, expires_at';

function toRequest(row: RequestRow): AuthorizationRequest {
  return {
    clientId: row.client_id,
    redirectUri: row.redirect_uri,
    scopes: JSON.parse(row.scopes) as Scope[],
    state: row.state,
    codeChallenge: row.code_challenge,
    promptLogin: row.prompt_login === 1,
    promptConsent: row.prompt_consent === 1,
    userId: row.user_id,
    expiresAt: row.expires_at,
  };
}

/** The cap on pending requests: at most `max` stored per address within `windowSeconds`. */
export interface RequestCap {
  address: string;
  max: number;
  windowSeconds: number;
}

/**
 * Stores a new request unless the address has stored `cap.max` within the window already:
 * counting and inserting are one transaction, so parallel requests cannot overshoot. Expired
 * rows are left to the scheduled purge. False when refused. One round trip.
 */
export async function insertAuthorizationRequest(
  db: Database,
  ids: { idHash: string; browserHash: string },
  request: AuthorizationRequest,
  now: number,
  cap: RequestCap,
): Promise<boolean> {
  // Addresses are IP literals (src/http/client-address.ts): the bucket cannot collide.
  const bucket = `authorize:${cap.address}`;
  const [, inserted] = await db.batch([
    fixedWindowCount(db, bucket, now, cap.windowSeconds),
    db
      .prepare(
        `INSERT INTO authorization_requests (id_hash, browser_hash, ${COLUMNS}, created_at)
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
          WHERE (SELECT failures FROM auth_failures WHERE bucket = ?) <= ?`,
      )
      .bind(
        ids.idHash,
        ids.browserHash,
        request.clientId,
        request.redirectUri,
        JSON.stringify(request.scopes),
        request.state,
        request.codeChallenge,
        request.promptLogin ? 1 : 0,
        request.promptConsent ? 1 : 0,
        request.userId,
        request.expiresAt,
        now,
        bucket,
        cap.max,
      ),
  ]);
  return (inserted?.meta.changes ?? 0) === 1;
}

/** A live request started by this browser, or null. */
export async function getAuthorizationRequest(
  db: Database,
  idHash: string,
  browserHash: string,
  now: number,
): Promise<AuthorizationRequest | null> {
  const row = await db.first<RequestRow>(
    db
      .prepare(
        `SELECT ${COLUMNS} FROM authorization_requests
          WHERE id_hash = ? AND browser_hash = ? AND expires_at > ?`,
      )
      .bind(idHash, browserHash, now),
  );
  return row === null ? null : toRequest(row);
}

/** Records who is deciding; for prompt=login, called only by a login made for this request. */
export async function setAuthorizationRequestUser(
  db: Database,
  idHash: string,
  userId: string,
  loggedInHere: boolean,
): Promise<void> {
  await db.run(
    db
      .prepare(
        `UPDATE authorization_requests SET user_id = ?,
                prompt_login = CASE WHEN ? THEN 0 ELSE prompt_login END
          WHERE id_hash = ?`,
      )
      .bind(userId, loggedInHere ? 1 : 0, idHash),
  );
}

/** Claims the request for its decision: one DELETE … RETURNING, so it is decided once. */
export async function consumeAuthorizationRequest(
  db: Database,
  idHash: string,
  browserHash: string,
  userId: string,
  now: number,
): Promise<AuthorizationRequest | null> {
  const row = await db.first<RequestRow>(
    db
      .prepare(
        `DELETE FROM authorization_requests
          WHERE id_hash = ? AND browser_hash = ? AND user_id = ? AND expires_at > ?
            AND prompt_login = 0
         RETURNING ${COLUMNS}`,
      )
      .bind(idHash, browserHash, userId, now),
  );
  return row === null ? null : toRequest(row);
}
