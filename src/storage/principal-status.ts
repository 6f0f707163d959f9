/**
 * Whether a verified token's grant, application or personal key is still active. Checked in
 * the same D1 round trip as the data a request reads (a batch) or guarding the write itself
 * (an EXISTS clause), and on hot reads from short-lived KV status entries.
 */
import type { Principal } from '../auth/principal';
import { STATUS_CACHE_TTL_SECONDS } from '../config';
import type { Database } from './db';
import { cacheKeys } from './kv-cache';

/** SQL fragment + binds that is true only while the principal is active; guards writes. */
export function activeGuard(principal: Principal, now: number): { sql: string; binds: unknown[] } {
  if (principal.kind === 'app') {
    return {
      sql: `EXISTS (SELECT 1 FROM authorizations ga JOIN applications gp ON gp.client_id = ga.client_id
              WHERE ga.user_id = ? AND ga.client_id = ? AND ga.token_gen = ? AND gp.disabled_at IS NULL)`,
      binds: [principal.userId, principal.clientId, principal.gen],
    };
  }
  if (principal.kind === 'session') {
    return {
      sql: `EXISTS (SELECT 1 FROM sessions gs WHERE gs.id_hash = ? AND gs.user_id = ? AND gs.expires_at > ?)`,
      binds: [principal.sessionHash, principal.userId, now],
    };
  }
  return {
    sql: `EXISTS (SELECT 1 FROM api_keys gk WHERE gk.id = ? AND gk.user_id = ?
            AND gk.revoked_at IS NULL AND (gk.expires_at IS NULL OR gk.expires_at > ?))`,
    binds: [principal.keyId, principal.userId, now],
  };
}

interface StatusRow {
  active: number;
  gen: number | null;
  app_enabled: number | null;
}

/** A statement returning one row `{active, gen, app_enabled}`, for use in a batch. */
export function statusStatement(
  db: Database,
  principal: Principal,
  now: number,
): D1PreparedStatement {
  if (principal.kind === 'app') {
    return db
      .prepare(
        `SELECT (ga.token_gen = ?3 AND gp.disabled_at IS NULL) AS active, ga.token_gen AS gen,
                (gp.disabled_at IS NULL) AS app_enabled
           FROM applications gp LEFT JOIN authorizations ga
             ON ga.client_id = gp.client_id AND ga.user_id = ?1
          WHERE gp.client_id = ?2`,
      )
      .bind(principal.userId, principal.clientId, principal.gen);
  }
  const guard = activeGuard(principal, now);
  return db
    .prepare(`SELECT ${guard.sql} AS active, NULL AS gen, NULL AS app_enabled`)
    .bind(...guard.binds);
}

/** Reads the result of statusStatement; a missing row (unknown application) is inactive. */
export function isActive(row: StatusRow | null): boolean {
  return row?.active === 1;
}

interface CachedGrant {
  o: string;
  c: string;
  g: number;
}
interface CachedApplication {
  c: string;
  on: boolean;
}
interface CachedKey {
  o: string;
  k: string;
  on: boolean;
  exp: number | null;
}

/** The KV keys a hot read must find (besides its data) to trust the principal. */
export function statusCacheKeys(principal: Principal): string[] {
  if (principal.kind === 'app') {
    return [
      cacheKeys.grant(principal.userId, principal.clientId),
      cacheKeys.application(principal.clientId),
    ];
  }
  // Sessions are never served from KV: every session request checks D1.
  if (principal.kind === 'session') return [];
  return [cacheKeys.personalKey(principal.keyId)];
}

/** True only when every status entry is present, names this principal, and says active. */
export function isActiveInCache(
  principal: Principal,
  values: Map<string, unknown>,
  now: number,
): boolean {
  if (principal.kind === 'app') {
    const grant = values.get(cacheKeys.grant(principal.userId, principal.clientId)) as
      CachedGrant | undefined;
    const app = values.get(cacheKeys.application(principal.clientId)) as
      CachedApplication | undefined;
    return (
      grant?.o === principal.userId &&
      grant.c === principal.clientId &&
      grant.g === principal.gen &&
      app?.c === principal.clientId &&
      app.on === true
    );
  }
  if (principal.kind === 'session') return false;
  const key = values.get(cacheKeys.personalKey(principal.keyId)) as CachedKey | undefined;
  return (
    key?.o === principal.userId &&
    key.k === principal.keyId &&
    key.on === true &&
    (key.exp === null || key.exp > now)
  );
}

/** Status entries to refill after D1 confirmed the principal active. */
export function statusCacheEntries(
  principal: Principal,
  row: StatusRow,
): Array<[string, unknown, number]> {
  if (principal.kind === 'app') {
    return [
      [
        cacheKeys.grant(principal.userId, principal.clientId),
        { o: principal.userId, c: principal.clientId, g: row.gen ?? -1 } satisfies CachedGrant,
        STATUS_CACHE_TTL_SECONDS,
      ],
      [
        cacheKeys.application(principal.clientId),
        { c: principal.clientId, on: row.app_enabled === 1 } satisfies CachedApplication,
        STATUS_CACHE_TTL_SECONDS,
      ],
    ];
  }
  if (principal.kind === 'session') return [];
  return [
    [
      cacheKeys.personalKey(principal.keyId),
      { o: principal.userId, k: principal.keyId, on: true, exp: null } satisfies CachedKey,
      STATUS_CACHE_TTL_SECONDS,
    ],
  ];
}

/** Status entries that make hot reads refuse: written when a grant, app or key is revoked. */
export const revokedStatus = {
  grant: (userId: string, clientId: string, gen: number): [string, unknown, number] => [
    cacheKeys.grant(userId, clientId),
    { o: userId, c: clientId, g: gen } satisfies CachedGrant,
    STATUS_CACHE_TTL_SECONDS,
  ],
  application: (clientId: string): [string, unknown, number] => [
    cacheKeys.application(clientId),
    { c: clientId, on: false } satisfies CachedApplication,
    STATUS_CACHE_TTL_SECONDS,
  ],
  personalKey: (userId: string, keyId: string): [string, unknown, number] => [
    cacheKeys.personalKey(keyId),
    { o: userId, k: keyId, on: false, exp: null } satisfies CachedKey,
    STATUS_CACHE_TTL_SECONDS,
  ],
};
