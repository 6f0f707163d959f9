/**
 * The refresh_token grant (RFC 6749 §6) with rotation (RFC 9700 §4.14.2): each use returns a
 * successor and the old token stops working; a rotated token presented again revokes the
 * chain and the grant's access tokens. Of parallel refreshes exactly one wins the claim; the
 * others fail without revoking (they raced, they did not replay). A chain ends for good
 * REFRESH_CHAIN_MAX_LIFETIME_SECONDS after it began (src/oauth/refresh-chain.ts).
 */
import { type Scope, parseScopeString } from '../auth/scopes';
import { OAuthError } from '../errors';
import { randomToken, sha256 } from '../ids';
import type { Application } from '../storage/applications';
import { getRefreshToken, rotateRefreshToken } from '../storage/refresh-tokens';
import type { OAuthDeps } from './deps';
import type { Params } from './form';
import { chainEndsAt, refreshExpiry } from './refresh-chain';
import { type TokenResponse, tokenResponse } from './token-response';

const invalidGrant = () =>
  new OAuthError('invalid_grant', 'The refresh token is invalid, expired or revoked.');

export async function refreshTokenGrant(
  deps: OAuthDeps,
  client: Application,
  params: Params,
): Promise<TokenResponse> {
  const presented = params.get('refresh_token');
  if (!presented)
    throw new OAuthError('invalid_request', 'The refresh_token parameter is required.');
  if (presented.length > 256) throw invalidGrant();
  const oldHash = await sha256(presented);
  const stored = await getRefreshToken(deps.db, oldHash);
  // A token of another client is refused and left alone (RFC 6749 §6).
  if (stored === null || stored.clientId !== client.clientId) throw invalidGrant();
  if (stored.revokedAt !== null || stored.expiresAt <= deps.now) throw invalidGrant();
  if (stored.usedAt !== null) {
    deps.warn('refresh_token_reused', { clientId: client.clientId });
    await deps.revokeChain(stored);
    throw invalidGrant();
  }
  const chainEnd = chainEndsAt(stored.familyId);
  if (chainEnd === null || chainEnd <= deps.now) {
    // The chain's absolute lifetime is over: refused like an expired token, nothing revoked.
    deps.warn('refresh_chain_ended', { clientId: client.clientId });
    throw invalidGrant();
  }
  const scopes = narrowedScopes(params.get('scope'), stored.scopes);
  const refreshToken = randomToken(32);
  const rotated = await rotateRefreshToken(deps.db, {
    oldHash,
    newHash: await sha256(refreshToken),
    clientId: client.clientId,
    expiresAt: refreshExpiry(deps.now, chainEnd),
    now: deps.now,
  });
  if (rotated === null) throw invalidGrant();
  return tokenResponse(deps, {
    userId: rotated.userId,
    clientId: client.clientId,
    // The claim's own row: scopes an admin removed after the read above are not issued.
    scopes: scopes.filter((scope) => rotated.scopes.includes(scope)),
    gen: rotated.tokenGen,
    refreshToken,
  });
}

/** RFC 6749 §6: a refresh may ask for fewer scopes, never more than originally granted. */
function narrowedScopes(requested: string | undefined, granted: Scope[]): Scope[] {
  if (requested === undefined) return granted;
  const asked = parseScopeString(requested);
  if (asked === null || asked.length === 0 || asked.some((scope) => !granted.includes(scope))) {
    throw new OAuthError('invalid_scope', 'The requested scope exceeds the original grant.');
  }
  return asked;
}
