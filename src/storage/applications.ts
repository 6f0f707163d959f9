/** D1 queries for OAuth client applications (spec §7). Secrets are stored as SHA-256 hashes. */
import type { RateLimitTier } from '../auth/rate-limit-tier';
import type { Scope } from '../auth/scopes';
import {
  type ViewRow,
  takePrincipalViewsStatement,
  takeStaleGrantViewsStatement,
  takenViews,
} from './cached-views';
import { recordApplicationRevoked } from './changes';
import { type Database, firstOf } from './db';
import { narrowGrantsStatements, reenableStatements } from './grants';

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

/** What an admin PATCH may change (spec §15); absent members stay as they are. */
export interface ApplicationPatch {
  name?: string;
  redirectUris?: string[];
  scopes?: Scope[];
  enabled?: boolean;
  rateLimitTier?: RateLimitTier;
}

/**
 * Applies a patch in ONE batch, so a refused or failed request changes nothing: the row, and
 * what follows from it: disabling records `authorization.revoked` and takes every view of the
 * application out of the index (as disableApplication does); re-enabling revokes everything
 * issued before the disable (grants/reenableStatements); narrowing the scopes narrows the
 * grants and bumps their generations (grants/narrowGrantsStatements) and takes their views out
 * of the index. Null when there is no such application. The caller drops `staleViews` from KV.
 */
export async function updateApplication(
  db: Database,
  clientId: string,
  patch: ApplicationPatch,
  clock: { now: number; nowMs: number },
): Promise<{ app: Application | null; staleViews: ViewRow[] }> {
  const { now, nowMs } = clock;
  const before: D1PreparedStatement[] = [];
  if (patch.enabled === false) before.push(recordApplicationRevoked(db, clientId, now));
  if (patch.enabled === true) before.push(...reenableStatements(db, { clientId, now, nowMs }));
  const after: D1PreparedStatement[] = [];
  if (patch.scopes !== undefined) {
    after.push(...narrowGrantsStatements(db, { clientId, allowed: patch.scopes, now, nowMs }));
  }
  if (patch.enabled === false) after.push(takePrincipalViewsStatement(db, clientId, null));
  else if (after.length > 0 || patch.enabled === true) {
    after.push(takeStaleGrantViewsStatement(db, clientId));
  }
  const results = await db.batch([...before, updateStatement(db, clientId, patch, now), ...after]);
  const row = firstOf<ApplicationRow>(results[before.length]);
  const views = after.length > 0 ? takenViews(results[results.length - 1]) : [];
  return { app: row === null ? null : toApplication(row), staleViews: views };
}

function updateStatement(
  db: Database,
  clientId: string,
  patch: ApplicationPatch,
  now: number,
): D1PreparedStatement {
  const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
  const enabled = patch.enabled === undefined ? null : patch.enabled ? 1 : 0;
  return db
    .prepare(
      `UPDATE applications SET name = COALESCE(?1, name),
              redirect_uris = COALESCE(?2, redirect_uris),
              scopes = COALESCE(?3, scopes),
              rate_limit_tier = COALESCE(?4, rate_limit_tier),
              disabled_at = CASE ?5 WHEN 1 THEN NULL WHEN 0 THEN COALESCE(disabled_at, ?6)
                                    ELSE disabled_at END
        WHERE client_id = ?7 RETURNING ${COLUMNS}`,
    )
    .bind(
      patch.name ?? null,
      json(patch.redirectUris),
      json(patch.scopes),
      patch.rateLimitTier ?? null,
      enabled,
      now,
      clientId,
    );
}

/**
 * Replaces a confidential client's secret hash: the old secret fails from this commit on
 * (client authentication reads the hash from D1 on every request; nothing memoises it).
 * 'public' for a client that has no secret, null for no such application. One round trip.
 */
export async function replaceClientSecret(
  db: Database,
  clientId: string,
  secretHash: string,
): Promise<'replaced' | 'public' | null> {
  const [found, replaced] = await db.batch([
    db.prepare('SELECT confidential FROM applications WHERE client_id = ?').bind(clientId),
    db
      .prepare(
        `UPDATE applications SET secret_hash = ? WHERE client_id = ? AND confidential = 1
         RETURNING client_id`,
      )
      .bind(secretHash, clientId),
  ]);
  if (firstOf(found) === null) return null;
  return firstOf(replaced) === null ? 'public' : 'replaced';
}
