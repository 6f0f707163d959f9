/**
 * The authorization_code grant (RFC 6749 §4.1.3, RFC 7636 §4.5). Every check that can fail
 * (client, redirect URI, verifier, expiry) runs before the atomic claim, so a failed exchange
 * leaves the code usable; a code presented after it was used revokes what it issued
 * (RFC 6749 §4.1.2, RFC 9700 §4.5).
 */
import { REFRESH_CHAIN_MAX_LIFETIME_SECONDS } from '../config';
import { OAuthError } from '../errors';
import { randomToken, sha256 } from '../ids';
import type { Application } from '../storage/applications';
import { claimAuthorizationCode, getAuthorizationCode } from '../storage/authorization-codes';
import type { OAuthDeps } from './deps';
import type { Params } from './form';
import { verifyS256 } from './pkce';
import { chainEndsAt, refreshExpiry } from './refresh-chain';
import { type TokenResponse, tokenResponse } from './token-response';

const invalidGrant = () =>
  new OAuthError('invalid_grant', 'The authorization code is invalid, expired or already used.');

function required(params: Params, name: string): string {
  const value = params.get(name);
  if (value === undefined || value === '') {
    throw new OAuthError('invalid_request', `The ${name} parameter is required.`);
  }
  return value;
}

export async function authorizationCodeGrant(
  deps: OAuthDeps,
  client: Application,
  params: Params,
): Promise<TokenResponse> {
  const code = required(params, 'code');
  const redirectUri = required(params, 'redirect_uri');
  const verifier = required(params, 'code_verifier');
  if (code.length > 256) throw invalidGrant();
  const codeHash = await sha256(code);
  const stored = await getAuthorizationCode(deps.db, codeHash);
  if (stored === null) throw invalidGrant();
  if (stored.usedAt !== null) {
    await revokeReplayedCode(deps, stored);
    throw invalidGrant();
  }
  const reasons = [
    stored.expiresAt <= deps.now && 'expired',
    stored.clientId !== client.clientId && 'other client',
    stored.redirectUri !== redirectUri && 'redirect_uri mismatch',
    !(await verifyS256(verifier, stored.codeChallenge)) && 'pkce mismatch',
  ].filter(Boolean);
  if (reasons.length > 0) {
    deps.warn('code_exchange_refused', { clientId: client.clientId, reasons });
    throw invalidGrant();
  }
  const refreshToken = randomToken(32);
  const claimed = await claimAuthorizationCode(deps.db, {
    codeHash,
    clientId: client.clientId,
    redirectUri,
    refreshHash: await sha256(refreshToken),
    refreshExpiresAt: refreshExpiry(
      deps.now,
      chainEndsAt(stored.familyId) ?? deps.now + REFRESH_CHAIN_MAX_LIFETIME_SECONDS,
    ),
    now: deps.now,
  });
  if (claimed === null) throw invalidGrant();
  return tokenResponse(deps, {
    userId: claimed.userId,
    clientId: client.clientId,
    scopes: claimed.scopes,
    gen: claimed.tokenGen,
    refreshToken,
  });
}

/** A used code presented again: revoke its refresh chain and the grant's access tokens. */
async function revokeReplayedCode(
  deps: OAuthDeps,
  stored: { familyId: string; userId: string; clientId: string },
): Promise<void> {
  deps.warn('code_replayed', { clientId: stored.clientId });
  await deps.revokeChain(stored);
}
