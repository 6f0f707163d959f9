/**
 * Personal API keys (spec §2): rows whose id is the key token's jti. Creating, listing and
 * revoking are each one round trip, guarded by the caller's own status.
 */
import type { UserPrincipal } from '../auth/principal';
import type { KeyScope } from '../auth/scopes';
import { CHILD_KEY_DEFAULT_TTL_SECONDS } from '../config';
import { InactivePrincipalError } from '../errors';
import { type ViewRow, takePrincipalViewsStatement, takenViews } from './cached-views';
import { type Database, firstOf } from './db';
import { activeGuard, readAsPrincipal, requireActive, statusStatement } from './principal-status';

export interface ApiKey {
  id: string;
  name: string;
  scopes: KeyScope[];
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
/** The user's keys that are neither revoked nor expired. Binds: user, now. */
const LIVE_KEYS_SQL = `SELECT ${COLUMNS} FROM api_keys
  WHERE user_id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)
  ORDER BY created_at DESC, id`;

function toApiKey({ scopes, created_at, expires_at, ...named }: ApiKeyRow): ApiKey {
  return {
    ...named,
    scopes: JSON.parse(scopes) as KeyScope[],
    createdAt: created_at,
    expiresAt: expires_at,
  };
}

/**
 * The new key's expiry (spec §11), computed in the insert from the parent's row. From a session
 * (no parent): as requested, null meaning never. From a key: never beyond the parent's; when
 * none is requested, the parent's, or CHILD_KEY_DEFAULT_TTL_SECONDS from now when the parent
 * never expires. Binds: the default, the requested expiry, the parent key id.
 */
const EXPIRY_SQL = `CASE WHEN parent.expires_at IS NULL THEN COALESCE(r.requested, ?)
       ELSE MIN(COALESCE(r.requested, parent.expires_at), parent.expires_at) END`;

/** Inserts a key for the principal's user. */
export async function insertApiKey(
  db: Database,
  principal: UserPrincipal,
  key: ApiKey,
  now: number,
): Promise<ApiKey> {
  const guard = activeGuard(principal, now);
  const parentId = principal.kind === 'personal' ? principal.keyId : null;
  const fallback = parentId === null ? null : now + CHILD_KEY_DEFAULT_TTL_SECONDS;
  const row = await db.first<ApiKeyRow>(
    db
      .prepare(
        `INSERT INTO api_keys (id, user_id, name, scopes, created_at, expires_at, revoked_at)
         SELECT ?, ?, ?, ?, ?, ${EXPIRY_SQL}, NULL
           FROM (SELECT ? AS requested) r LEFT JOIN api_keys parent ON parent.id = ?
          WHERE ${guard.sql}
         RETURNING ${COLUMNS}`,
      )
      .bind(
        key.id,
        principal.userId,
        key.name,
        JSON.stringify(key.scopes),
        key.createdAt,
        fallback,
        key.expiresAt,
        parentId,
        ...guard.binds,
      ),
  );
  if (row === null) throw new InactivePrincipalError();
  return toApiKey(row);
}

/** The user's keys that are neither revoked nor expired. */
export async function listApiKeys(
  db: Database,
  principal: UserPrincipal,
  now: number,
): Promise<ApiKey[]> {
  const list = db.prepare(LIVE_KEYS_SQL).bind(principal.userId, now);
  return (await readAsPrincipal<ApiKeyRow>(db, principal, now, list)).map(toApiKey);
}

function revokeKeyStatement(
  db: Database,
  principal: UserPrincipal,
  keyId: string,
  now: number,
): D1PreparedStatement {
  const guard = activeGuard(principal, now);
  return db
    .prepare(
      `UPDATE api_keys SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL
          AND ${guard.sql} RETURNING id`,
    )
    .bind(now, keyId, principal.userId, ...guard.binds);
}

/**
 * Revokes one of the user's keys and takes its cached views out of the index; null when the
 * user has no such live key.
 */
export async function revokeApiKey(
  db: Database,
  principal: UserPrincipal,
  keyId: string,
  now: number,
): Promise<{ staleViews: ViewRow[] } | null> {
  const [status, revoked, taken] = await db.batch([
    statusStatement(db, principal, now),
    revokeKeyStatement(db, principal, keyId, now),
    takePrincipalViewsStatement(db, keyId, principal.userId),
  ]);
  requireActive(status);
  return firstOf(revoked) === null ? null : { staleViews: takenViews(taken) };
}
