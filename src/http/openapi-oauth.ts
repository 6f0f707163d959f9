/**
 * The OAuth endpoints in /openapi.json (spec §15). Their handlers read form bodies through the
 * bounded reader (src/routes/oauth-token.ts), so they are only described here, never validated
 * by these schemas. Request bodies are application/x-www-form-urlencoded (RFC 6749 §4.1.3,
 * §6; RFC 7009 §2.1); errors have RFC 6749 §5.2's shape.
 */
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { SCOPES } from '../auth/scopes';
import type { AppEnv } from '../env';
import { RATE_LIMIT_HEADERS } from './openapi';
import { PUBLIC_SECURITY } from './openapi-security';

const OAuthErrorSchema = z
  .object({
    error: z.string().openapi({ example: 'invalid_grant' }),
    error_description: z.string().optional(),
  })
  .openapi('OAuthError', { description: 'RFC 6749 §5.2 error response' });

const oauthErrors = {
  400: {
    description: 'invalid_request, invalid_grant, unsupported_grant_type, invalid_scope',
    content: { 'application/json': { schema: OAuthErrorSchema } },
  },
  401: {
    description: 'invalid_client (with a Basic challenge when Basic was sent)',
    content: { 'application/json': { schema: OAuthErrorSchema } },
  },
  // spec §15: the OAuth endpoints answer 429 in RFC 6749's shape, temporarily_unavailable.
  429: {
    description:
      'temporarily_unavailable: over the client’s limit, or client authentication throttled',
    headers: RATE_LIMIT_HEADERS,
    content: { 'application/json': { schema: OAuthErrorSchema } },
  },
};

const TokenRequest = z
  .object({
    grant_type: z.enum(['authorization_code', 'refresh_token']),
    code: z.string().optional().openapi({ description: 'authorization_code grant' }),
    redirect_uri: z.string().optional().openapi({ description: 'authorization_code grant' }),
    code_verifier: z.string().optional().openapi({ description: 'RFC 7636 PKCE verifier' }),
    refresh_token: z.string().optional().openapi({ description: 'refresh_token grant' }),
    scope: z.string().optional().openapi({ description: 'refresh_token grant: a narrower set' }),
    client_id: z.string().optional().openapi({ description: 'public clients (no Basic)' }),
  })
  .openapi('TokenRequest');

const TokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int(),
    refresh_token: z.string(),
    scope: z.string(),
  })
  .openapi('TokenResponse');

const RevokeRequest = z
  .object({
    token: z.string(),
    token_type_hint: z.enum(['access_token', 'refresh_token']).optional(),
    client_id: z.string().optional().openapi({ description: 'public clients (no Basic)' }),
  })
  .openapi('RevokeRequest');

const ServerMetadata = z
  .object({
    issuer: z.string(),
    authorization_endpoint: z.string(),
    token_endpoint: z.string(),
    revocation_endpoint: z.string(),
    jwks_uri: z.string(),
    scopes_supported: z.array(z.enum(SCOPES)),
  })
  .catchall(z.unknown())
  .openapi('AuthorizationServerMetadata');

/** Confidential clients send Basic; public clients send client_id in the body (RFC 6749 §2.3). */
const clientAuth: Array<Record<string, string[]>> = [{ clientBasic: [] }, {}];
const form = (schema: z.ZodType) => ({
  required: true,
  content: { 'application/x-www-form-urlencoded': { schema } },
});

/** Registers /oauth/token, /oauth/revoke and the RFC 8414 metadata in the document. */
export function documentOAuthEndpoints(app: OpenAPIHono<AppEnv>): void {
  const registry = app.openAPIRegistry;
  registry.registerPath({
    method: 'post',
    path: '/oauth/token',
    operationId: 'requestToken',
    tags: ['oauth'],
    summary: 'Exchange a code (with PKCE) or a refresh token for tokens (RFC 6749 §3.2)',
    security: clientAuth,
    request: { body: form(TokenRequest) },
    responses: {
      200: {
        description: 'Tokens (Cache-Control: no-store)',
        content: { 'application/json': { schema: TokenResponse } },
      },
      ...oauthErrors,
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/oauth/revoke',
    operationId: 'revokeToken',
    tags: ['oauth'],
    summary: 'Revoke an access or refresh token (RFC 7009)',
    security: clientAuth,
    request: { body: form(RevokeRequest) },
    responses: {
      200: { description: 'Revoked, or the token was already unknown (RFC 7009 §2.2)' },
      ...oauthErrors,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/.well-known/oauth-authorization-server',
    operationId: 'getAuthorizationServerMetadata',
    tags: ['oauth'],
    security: PUBLIC_SECURITY,
    summary: 'Authorization server metadata (RFC 8414)',
    responses: {
      200: {
        description: 'The metadata; issuer equals the iss of every token',
        content: { 'application/json': { schema: ServerMetadata } },
      },
    },
  });
}
