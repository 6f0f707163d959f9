/**
 * What a user can do to their own authorizations and API keys, shared by the JSON API and the
 * settings page: the D1 change, then deleting the cached views that let hot reads answer
 * without D1, so the next request here is refused (other locations: docs/consistency.md).
 */
import type { Context } from 'hono';
import type { UserPrincipal } from '../auth/principal';
import { keySet } from '../auth/require-access-token';
import type { Scope } from '../auth/scopes';
import { signPersonalKey } from '../auth/tokens';
import { PERSONAL_KEY_MAX_TTL_SECONDS } from '../config';
import type { AppEnv } from '../env';
import { newId } from '../ids';
import { type ApiKey, insertApiKey, revokeApiKey } from '../storage/api-keys';
import { dropPrincipalViews } from '../storage/cached-views';
import { revokeAuthorization } from '../storage/user-authorizations';
import { inactive } from './entity-responses';

/** Revokes an authorization; false when the user had none for that application. */
export async function revokeAppAuthorization(
  c: Context<AppEnv>,
  principal: UserPrincipal,
  clientId: string,
): Promise<boolean> {
  const outcome = await revokeAuthorization(c.var.db, principal, clientId, c.var.now);
  if (outcome === 'inactive') throw inactive();
  if (outcome === 'not_found') return false;
  await dropPrincipalViews(c.var.db, c.var.cache, clientId, principal.userId);
  return true;
}

/** Creates a personal key; the token is returned here and never stored or shown again. */
export async function createPersonalKey(
  c: Context<AppEnv>,
  principal: UserPrincipal,
  input: { name: string; scopes: Scope[]; expiresAt: number | null },
): Promise<{ key: ApiKey; token: string }> {
  const { now } = c.var;
  const key = await insertApiKey(
    c.var.db,
    principal,
    {
      id: newId('key'),
      name: input.name,
      scopes: input.scopes,
      createdAt: now,
      expiresAt: input.expiresAt,
    },
    now,
  );
  if (key === null) throw inactive();
  const { token } = await signPersonalKey(await keySet(c.env), {
    issuer: c.var.issuer,
    userId: principal.userId,
    keyId: key.id,
    scopes: key.scopes,
    now,
    expiresAt: key.expiresAt ?? now + PERSONAL_KEY_MAX_TTL_SECONDS,
  });
  return { key, token };
}

/** Revokes a personal key; false when the user has no such live key. */
export async function revokePersonalKey(
  c: Context<AppEnv>,
  principal: UserPrincipal,
  keyId: string,
): Promise<boolean> {
  const outcome = await revokeApiKey(c.var.db, principal, keyId, c.var.now);
  if (outcome === 'inactive') throw inactive();
  if (outcome === 'not_found') return false;
  await dropPrincipalViews(c.var.db, c.var.cache, keyId, principal.userId);
  return true;
}
