/**
 * Client authentication at the token and revocation endpoints (RFC 6749 §2.3, §3.2.1).
 * Confidential clients MUST use HTTP Basic (client_secret_basic); public clients send
 * `client_id` and no secret (PKCE protects their codes). Secrets are compared as SHA-256
 * digests in constant time; failures are counted per client and rate limited.
 */
import { CLIENT_AUTH_MAX_FAILURES, LOGIN_FAILURE_WINDOW_SECONDS } from '../config';
import { OAuthError } from '../errors';
import { isId, sha256, timingSafeEqualStrings } from '../ids';
import { type Application, getApplication } from '../storage/applications';
import { maxRecentFailures, recordFailure } from '../storage/auth-failures';
import type { OAuthDeps } from './deps';
import { type Params, parseBasicAuth } from './form';

function invalidClient(description = 'Client authentication failed.'): OAuthError {
  return new OAuthError('invalid_client', description, 401);
}

/** The authenticated, enabled application making the request, or an OAuthError thrown. */
export async function authenticateClient(
  deps: OAuthDeps,
  params: Params,
  authorization: string | undefined,
): Promise<Application> {
  const basic = parseBasicAuth(authorization);
  if (basic === null) throw invalidClient('The Basic credentials are malformed.');
  if (params.has('client_secret')) {
    // RFC 6749 §2.3.1 allows the body as a fallback; this server requires Basic.
    throw invalidClient('Send the client secret with HTTP Basic, not in the body.');
  }
  const bodyId = params.get('client_id');
  if (basic && bodyId !== undefined && bodyId !== basic.clientId) {
    throw new OAuthError('invalid_request', 'client_id differs from the Basic credentials.');
  }
  const clientId = basic?.clientId ?? bodyId;
  if (clientId === undefined) throw invalidClient('The client is not identified.');
  if (!isId(clientId)) throw invalidClient();
  const bucket = `client:${clientId}`;
  const { db, now } = deps;
  if (basic) {
    const failures = await maxRecentFailures(db, [bucket], now, LOGIN_FAILURE_WINDOW_SECONDS);
    if (failures >= CLIENT_AUTH_MAX_FAILURES) {
      throw new OAuthError('invalid_client', 'Too many failed attempts; try again later.', 429);
    }
  }
  const app = await getApplication(db, clientId);
  if (app === null || app.disabledAt !== null) throw invalidClient();
  if (app.confidential) {
    if (!basic) throw invalidClient('Confidential clients authenticate with HTTP Basic.');
    const ok = await timingSafeEqualStrings(await sha256(basic.secret), app.secretHash ?? '');
    if (!ok) {
      await recordFailure(db, [bucket], now, LOGIN_FAILURE_WINDOW_SECONDS);
      deps.warn('client_auth_failed', { clientId });
      throw invalidClient();
    }
    return app;
  }
  if (basic) throw invalidClient('Public clients have no secret; send client_id in the body.');
  return app;
}
