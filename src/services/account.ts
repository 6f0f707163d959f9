/**
 * What users do with their own account (spec §3, §11), shared by the JSON API and /settings:
 * list authorizations and keys, create a personal key, and export everything they own.
 * Revocations are in services/revocations.ts.
 */
import type { KeyRequest } from '../auth/api-key-request';
import type { UserPrincipal } from '../auth/principal';
import { type KeySet, signPersonalKey } from '../auth/tokens';
import { PERSONAL_KEY_MAX_TTL_SECONDS } from '../config';
import { ENTITY_KINDS } from '../entities/kinds';
import { toProfile } from '../entities/profile';
import { formatTimestamp } from '../entities/time';
import { newId } from '../ids';
import { type ApiKey, insertApiKey, listApiKeys } from '../storage/api-keys';
import { getUserExport } from '../storage/export';
import { listAuthorizations } from '../storage/user-authorizations';
import type { ServiceContext } from './context';

export { listApiKeys, listAuthorizations };

/** Creates a personal key; the token is returned here and never stored or shown again. */
export async function createPersonalKey(
  ctx: ServiceContext & { keys: KeySet; issuer: string },
  principal: UserPrincipal,
  request: KeyRequest,
): Promise<{ key: ApiKey; token: string }> {
  const key = await insertApiKey(
    ctx.db,
    principal,
    { id: newId('key'), ...request, createdAt: ctx.now },
    ctx.now,
  );
  const { token } = await signPersonalKey(ctx.keys, {
    issuer: ctx.issuer,
    userId: principal.userId,
    keyId: key.id,
    scopes: key.scopes,
    now: ctx.now,
    expiresAt: key.expiresAt ?? ctx.now + PERSONAL_KEY_MAX_TTL_SECONDS,
  });
  return { key, token };
}

const timestampOrNull = (value: number | null) => (value === null ? null : formatTimestamp(value));

/** spec §11: `{profile, activities, traces, tests, app_metadata, metadata, authorizations}`. */
export async function exportUserData(
  ctx: ServiceContext,
  principal: UserPrincipal,
): Promise<Record<string, unknown> | null> {
  const data = await getUserExport(ctx.db, principal, ctx.now);
  if (data === null) return null;
  return {
    profile: toProfile(data.user),
    activities: data.entities.activities.map(ENTITY_KINDS.activities.toJson),
    traces: data.entities.traces.map(ENTITY_KINDS.traces.toJson),
    tests: data.entities.tests.map(ENTITY_KINDS.tests.toJson),
    app_metadata: data.documents.map((row) => ({
      client_id: row.client_id,
      app_name: row.app_name,
      entity_type: row.entity_type,
      entity_id: row.entity_id,
      document: JSON.parse(row.document) as unknown,
    })),
    metadata: data.entries.map((row) => ({
      client_id: row.client_id,
      app_name: row.app_name,
      key: row.key,
      value: row.value,
      expires_at: timestampOrNull(row.expires_at),
    })),
    authorizations: data.authorizations.map((view) => ({
      client_id: view.clientId,
      app_name: view.appName,
      scopes: view.scopes,
      created_at: formatTimestamp(view.createdAt),
    })),
  };
}
