/**
 * RFC 7009 token revocation. A refresh token revokes its chain and the grant's access tokens
 * (§2.1); an access token is revoked by bumping its grant's generation, which kills every
 * access token of the grant at once (the app refreshes to continue). Tokens of other clients,
 * unknown and invalid tokens are answered 200 and left alone (§2.2).
 */
import { verifyAccessToken } from '../auth/tokens';
import { sha256 } from '../ids';
import type { Application } from '../storage/applications';
import { dropPrincipalViews } from '../storage/cached-views';
import { bumpGrantGeneration, getRefreshToken } from '../storage/refresh-tokens';
import type { OAuthDeps } from './deps';
import { revokeChain } from './revoke-chain';

export async function revokeToken(
  deps: OAuthDeps,
  client: Application,
  token: string,
  hint: string | undefined,
): Promise<void> {
  if (token.length > 8192) return;
  const looksLikeJwt = token.split('.').length === 3;
  if (hint === 'access_token' || looksLikeJwt) {
    if (await revokeAccessToken(deps, client, token)) return;
  }
  if (!looksLikeJwt) await revokeRefreshToken(deps, client, token);
}

async function revokeRefreshToken(deps: OAuthDeps, client: Application, token: string) {
  const stored = await getRefreshToken(deps.db, await sha256(token));
  if (stored === null || stored.clientId !== client.clientId) return;
  await revokeChain(deps, stored);
}

/** True when the token was one of this client's access tokens (revoked now or already dead). */
async function revokeAccessToken(
  deps: OAuthDeps,
  client: Application,
  token: string,
): Promise<boolean> {
  const verified = await verifyAccessToken(deps.keys, token, deps.issuer, deps.now);
  if (!verified.ok) return false;
  const principal = verified.principal;
  if (principal.kind !== 'app' || principal.clientId !== client.clientId) return true;
  const gen = await bumpGrantGeneration(deps.db, {
    userId: principal.userId,
    clientId: principal.clientId,
    gen: principal.gen,
    nowMs: deps.nowMs,
  });
  if (gen !== null)
    await dropPrincipalViews(deps.db, deps.cache, principal.clientId, principal.userId);
  return true;
}
