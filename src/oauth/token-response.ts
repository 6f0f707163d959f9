/** Issuing the token response (RFC 6749 §5.1) once a grant has been checked and claimed. */
import { ACCESS_TOKEN_TTL_SECONDS } from '../config';
import { type Scope, formatScopes } from '../auth/scopes';
import { signAppAccessToken } from '../auth/tokens';
import type { OAuthDeps } from './deps';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

export async function tokenResponse(
  deps: OAuthDeps,
  input: { userId: string; clientId: string; scopes: Scope[]; gen: number; refreshToken: string },
): Promise<TokenResponse> {
  const { token } = await signAppAccessToken(deps.keys, {
    issuer: deps.issuer,
    userId: input.userId,
    clientId: input.clientId,
    scopes: input.scopes,
    gen: input.gen,
    now: deps.now,
  });
  return {
    access_token: token,
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_TTL_SECONDS,
    refresh_token: input.refreshToken,
    scope: formatScopes(input.scopes),
  };
}
