/**
 * POST /oauth/token logic (RFC 6749 §3.2): authenticate the client, then dispatch on
 * grant_type to one function per grant.
 */
import { OAuthError } from '../errors';
import type { Application } from '../storage/applications';
import { authorizationCodeGrant } from './authorization-code-grant';
import { type ClientCredentials, authenticateClient } from './client-auth';
import type { OAuthDeps } from './deps';
import type { Params } from './form';
import { refreshTokenGrant } from './refresh-token-grant';
import type { TokenResponse } from './token-response';

type GrantHandler = (
  deps: OAuthDeps,
  client: Application,
  params: Params,
) => Promise<TokenResponse>;

export const GRANTS: Readonly<Record<string, GrantHandler>> = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
};

export const GRANT_TYPES = Object.keys(GRANTS);

export async function handleTokenRequest(
  deps: OAuthDeps,
  credentials: ClientCredentials,
): Promise<TokenResponse> {
  const { params } = credentials;
  const grantType = params.get('grant_type');
  if (!grantType) throw new OAuthError('invalid_request', 'The grant_type parameter is required.');
  const client = await authenticateClient(deps, credentials);
  // spec §15: counted after the client is identified, so a stranger's wrong secrets never
  // spend the client's budget (they have their own throttle, src/oauth/client-auth.ts).
  await deps.limitClient(client);
  const grant = Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType] : undefined;
  if (grant === undefined) {
    throw new OAuthError('unsupported_grant_type', 'Only authorization_code and refresh_token.');
  }
  return grant(deps, client, params);
}
