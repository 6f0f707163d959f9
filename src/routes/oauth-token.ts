/**
 * The client-facing OAuth endpoints: POST /oauth/token (RFC 6749 §3.2), POST /oauth/revoke
 * (RFC 7009) and the RFC 8414 metadata. Every token-endpoint response, success or error,
 * carries Cache-Control: no-store (RFC 6749 §5.1). OAuth errors are rendered once, by this
 * sub-app's onError; anything else goes on to the root's.
 */
import { type Context, Hono } from 'hono';
import { oauthPolicy } from '../auth/rate-limits';
import { keySet } from '../auth/require-access-token';
import type { AppEnv } from '../env';
import { OAuthError } from '../errors';
import { clientAddress } from '../http/client-address';
import { readForm } from '../http/form-body';
import { charge } from '../http/rate-limit';
import { type ClientCredentials, authenticateClient } from '../oauth/client-auth';
import type { OAuthDeps } from '../oauth/deps';
import { authorizationServerMetadata } from '../oauth/metadata';
import { OAuthThrottledError } from '../oauth/throttled-error';
import { handleTokenRequest } from '../oauth/token-endpoint';
import { revokeChain, revokeToken } from '../services/revocations';
import type { Application } from '../storage/applications';
import { logEvent } from '../log';

export const oauthTokenApp = new Hono<AppEnv>();

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

async function depsOf(c: Context<AppEnv>): Promise<OAuthDeps> {
  const nowMs = Date.now();
  return {
    db: c.var.db,
    keys: await keySet(c.env),
    issuer: c.var.issuer,
    now: c.var.now,
    nowMs,
    warn: (event, fields = {}) =>
      logEvent('warn', event, { requestId: c.var.requestId, ...fields }),
    revokeChain: (chain) => revokeChain({ ...c.var, nowMs }, chain),
    limitClient: (client) => limitClient(c, client),
  };
}

/** Spec §15: per client_id by its tier ×2; 429 in RFC 6749's shape when spent. */
async function limitClient(c: Context<AppEnv>, client: Application): Promise<void> {
  const limit = oauthPolicy(client.rateLimitTier);
  if (limit === null) return;
  const outcome = await charge(c, limit, client.clientId);
  if (outcome.allowed) return;
  throw new OAuthThrottledError(
    'Too many requests from this client; retry after Retry-After seconds.',
    outcome.retryAfterSeconds,
  );
}

/**
 * RFC 6749 §5.2; a failed Basic authentication also gets a Basic challenge (401), a throttled
 * one a Retry-After (spec §15).
 */
oauthTokenApp.onError((error, c) => {
  if (!(error instanceof OAuthError)) throw error;
  const headers: Record<string, string> = { ...NO_STORE };
  if (error.status === 401) headers['WWW-Authenticate'] = 'Basic realm="appmeta"';
  if (error instanceof OAuthThrottledError) {
    headers['Retry-After'] = String(error.retryAfterSeconds);
  }
  return c.json(
    { error: error.code, error_description: error.description },
    error.status as 400,
    headers,
  );
});

/** The form parameters and what identifies the client. */
async function credentialsOf(c: Context<AppEnv>): Promise<ClientCredentials> {
  const form = await readForm(c);
  if (!form.ok) throw new OAuthError('invalid_request', form.reason);
  return {
    params: form.params,
    authorization: c.req.header('Authorization'),
    address: clientAddress(c),
  };
}

oauthTokenApp.post('/oauth/token', async (c) => {
  const credentials = await credentialsOf(c);
  const response = await handleTokenRequest(await depsOf(c), credentials);
  return c.json(response, 200, NO_STORE);
});

oauthTokenApp.post('/oauth/revoke', async (c) => {
  const credentials = await credentialsOf(c);
  const deps = await depsOf(c);
  const client = await authenticateClient(deps, credentials);
  await deps.limitClient(client);
  const token = credentials.params.get('token');
  if (!token) throw new OAuthError('invalid_request', 'The token parameter is required.');
  const hint = credentials.params.get('token_type_hint');
  await revokeToken({ ...c.var, ...deps }, client, token, hint);
  return c.body(null, 200, NO_STORE);
});

oauthTokenApp.get('/.well-known/oauth-authorization-server', (c) => {
  c.var.cache.outcome = 'bypass';
  return c.json(authorizationServerMetadata(c.var.issuer), 200, {
    'Cache-Control': 'public, max-age=300',
  });
});
