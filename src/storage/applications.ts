/** D1 queries for OAuth client applications (spec §7). Secrets are stored as SHA-256 hashes. */
import type { RateLimitTier } from '../auth/rate-limit-tier';
import type { Scope } from '../auth/scopes';
import { type ViewRow, takePrincipalViewsStatement, takenViews } from './cached-views';
import { recordApplicationRevoked } from './changes';
import { type Database, firstOf } from './db';

export interface ApplicationRow {
  client_id: string;
  name: string;
  redirect_uris: string;
  confidential: number;
  scopes: string;
  secret_hash: string | null;
  created_at: number;
  disabled_at: number | null;
  rate_limit_tier: RateLimitTier;
}

const COLUMNS =
  'client_id, name, redirect_uris, confidential, scopes, secret_hash, created_at, disabled_at, rate_limit_tier';

export interface Application {
  clientId: string;
  name: string;
  redirectUris: string[];
  confidential: boolean;
  scopes: Scope[];
  secretHash: string | null;
  createdAt: number;
  disabledAt: number | null;
  rateLimitTier: RateLimitTier;
}

export function toApplication(row: ApplicationRow): Application {
  return {
    clientId: row.client_id,
    name: row.name,
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    confidential: row.confidential === 1,
    scopes: JSON.parse(row.scopes) as Scope[],
    secretHash: row.secret_hash,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
    rateLimitTier: row.rate_limit_tier,
  };
}

export async function insertApplication(db: Database, app: Application): Promise<Application> {
  const row = await db.first<ApplicationRow>(
    db
      .prepare(
        `INSERT INTO applications (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?) RETURNING ${COLUMNS}`,
      )
      .bind(
        app.clientId,
        app.name,
        JSON.stringify(app.redirectUris),
        app.confidential ? 1 : 0,
        JSON.stringify(app.scopes),
        app.secretHash,
        app.createdAt,
        app.rateLimitTier,
      ),
  );
  return toApplication(row as ApplicationRow);
}

export async function getApplication(db: Database, clientId: string): Promise<Application | null> {
  const row = await db.first<ApplicationRow>(
    db.prepare(`SELECT ${COLUMNS} FROM applications WHERE client_id = ?`).bind(clientId),
  );
  return row === null ? null : toApplication(row);
}

export async function listApplications(db: Database): Promise<Application[]> {
  const rows = await db.all<ApplicationRow>(
    db.prepare(`SELECT ${COLUMNS} FROM applications ORDER BY created_at DESC, client_id`),
  );
  return rows.map(toApplication);
}

/**
 * Disables an application (idempotent), records `authorization.revoked` for each of its users
 * (only when it was enabled) and takes every cached view of it out of the index, in one batch:
 * its tokens then fail on the next request, hot reads included, once the caller has dropped
 * the returned views from KV.
 */
export async function disableApplication(
  db: Database,
  clientId: string,
  now: number,
): Promise<{ disabled: boolean; staleViews: ViewRow[] }> {
  const [, updated, staleViews] = await db.batch([
    recordApplicationRevoked(db, clientId, now),
    db
      .prepare(
        `UPDATE applications SET disabled_at = COALESCE(disabled_at, ?) WHERE client_id = ? RETURNING client_id`,
      )
      .bind(now, clientId),
    takePrincipalViewsStatement(db, clientId, null),
  ]);
  return { disabled: firstOf(updated) !== null, staleViews: takenViews(staleViews) };
}
