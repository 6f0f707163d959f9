/**
 * Every way access ends, each with its cache invalidation in the same function (spec §11,
 * "Revocation reach"): the D1 change commits first (cold reads and writes by the revoked
 * principal are refused from then on), then the principal's cached views are deleted from KV,
 * awaited, so its hot reads here are refused on the next request. Change records
 * (`authorization.revoked`) ride in the same batch as the revocation.
 */
import type { UserPrincipal } from '../auth/principal';
import { type KeySet, verifyAccessToken } from '../auth/tokens';
import type { Chain } from '../oauth/deps';
import { revokeApiKey } from '../storage/api-keys';
import { type Application, disableApplication as disableInStorage } from '../storage/applications';
import { type ViewRow, dropPrincipalViews, dropViews } from '../storage/cached-views';
import { sha256 } from '../ids';
import { bumpGrantGeneration, getRefreshToken, revokeFamily } from '../storage/refresh-tokens';
import { revokeAuthorization as revokeInStorage } from '../storage/user-authorizations';
import type { ServiceContext } from './context';

/** Milliseconds for new grant generations, which must exceed every earlier one. */
export type RevocationContext = ServiceContext & { nowMs: number };

/** The user revokes an application: its tokens and its data for the user go (spec §4). */
export async function revokeAuthorization(
  ctx: ServiceContext,
  principal: UserPrincipal,
  clientId: string,
): Promise<boolean> {
  return dropRevokedViews(ctx, await revokeInStorage(ctx.db, principal, clientId, ctx.now));
}

/** After a revocation committed: its views go from KV; false when there was nothing to revoke. */
async function dropRevokedViews(
  ctx: ServiceContext,
  revoked: { staleViews: ViewRow[] } | null,
): Promise<boolean> {
  if (revoked === null) return false;
  await dropViews(ctx.cache, revoked.staleViews);
  return true;
}

/** The user revokes one of their personal keys; false when there is no such live key. */
export async function revokePersonalKey(
  ctx: ServiceContext,
  principal: UserPrincipal,
  keyId: string,
): Promise<boolean> {
  return dropRevokedViews(ctx, await revokeApiKey(ctx.db, principal, keyId, ctx.now));
}

/** An admin disables an application: every token of it fails at once (spec §7). */
export async function disableApplication(ctx: ServiceContext, clientId: string): Promise<boolean> {
  const { disabled, staleViews } = await disableInStorage(ctx.db, clientId, ctx.now);
  await dropViews(ctx.cache, staleViews);
  return disabled;
}

/**
 * Ends a refresh-token chain: the family and every access token of its grant are revoked in
 * D1 (RFC 7009 §2.1, RFC 9700 §4.14.2), then the application's views of the user are deleted.
 */
export async function revokeChain(ctx: RevocationContext, chain: Chain): Promise<void> {
  await revokeFamily(ctx.db, { ...chain, now: ctx.now, nowMs: ctx.nowMs });
  await dropPrincipalViews(ctx.db, ctx.cache, chain.clientId, chain.userId);
}

/**
 * RFC 7009 token revocation by `client`. A refresh token revokes its chain and the grant's
 * access tokens (§2.1); an access token is revoked by bumping its grant's generation, which
 * kills every access token of the grant at once (the app refreshes to continue). Tokens of
 * other clients, unknown and invalid tokens are answered 200 and left alone (§2.2).
 */
export async function revokeToken(
  ctx: RevocationContext & { keys: KeySet; issuer: string },
  client: Application,
  token: string,
  hint: string | undefined,
): Promise<void> {
  if (token.length > 8192) return;
  const looksLikeJwt = token.split('.').length === 3;
  if (hint === 'access_token' || looksLikeJwt) {
    if (await revokeAccessToken(ctx, client, token)) return;
  }
  if (looksLikeJwt) return;
  const stored = await getRefreshToken(ctx.db, await sha256(token));
  if (stored !== null && stored.clientId === client.clientId) await revokeChain(ctx, stored);
}

/** True when the token was one of this client's access tokens (revoked now or already dead). */
async function revokeAccessToken(
  ctx: RevocationContext & { keys: KeySet; issuer: string },
  client: Application,
  token: string,
): Promise<boolean> {
  const verified = await verifyAccessToken(ctx.keys, token, ctx.issuer, ctx.now);
  if (!verified.ok) return false;
  const principal = verified.principal;
  if (principal.kind !== 'app' || principal.clientId !== client.clientId) return true;
  const gen = await bumpGrantGeneration(ctx.db, {
    userId: principal.userId,
    clientId: principal.clientId,
    gen: principal.gen,
    nowMs: ctx.nowMs,
  });
  if (gen !== null)
    await dropPrincipalViews(ctx.db, ctx.cache, principal.clientId, principal.userId);
  return true;
}
