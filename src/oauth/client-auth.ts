/**
 * Client authentication at the token and revocation endpoints (RFC 6749 §2.3, §3.2.1).
 * Confidential clients MUST use HTTP Basic (client_secret_basic); public clients send
 * `client_id` and no secret (PKCE protects their codes). Secrets are compared as SHA-256
 * digests in constant time.
 *
 * The secret is verified first: correct credentials are always accepted, whatever anyone
 * else did (spec §15). Only a failure is counted, per (client, address), and a failure over
 * the limit is answered 429 instead of 401. Client secrets are 256-bit random, so the limit
 * bounds the cost of a flood, not the odds of a guess.
 */
import { CLIENT_AUTH_FAILURE_WINDOW_SECONDS, CLIENT_AUTH_MAX_FAILURES } from '../config';
import { OAuthError } from '../errors';
import { isId, sha256, timingSafeEqualStrings } from '../ids';
import { type Application, getApplication } from '../storage/applications';
import { countAttempt } from '../storage/auth-failures';
import type { OAuthDeps } from './deps';
import { type BasicCredentials, type Params, parseBasicAuth } from './form';
import { OAuthThrottledError } from './throttled-error';

function invalidClient(description = 'Client authentication failed.'): OAuthError {
  return new OAuthError('invalid_client', description, 401);
}

/** What the request presents to identify its client. */
export interface ClientCredentials {
  params: Params;
  /** The `Authorization` header, if any. */
  authorization: string | undefined;
  /** The caller's address (src/http/client-address.ts), the throttle's second key. */
  address: string;
}

/** The client the request names and the Basic credentials it sent, before any lookup. */
function identify(params: Params, authorization: string | undefined) {
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
  return { clientId, basic };
}

/** The authenticated, enabled application making the request, or an OAuthError thrown. */
export async function authenticateClient(
  deps: OAuthDeps,
  credentials: ClientCredentials,
): Promise<Application> {
  const { clientId, basic } = identify(credentials.params, credentials.authorization);
  const app = await getApplication(deps.db, clientId);
  if (app === null || app.disabledAt !== null) throw invalidClient();
  if (!app.confidential) {
    if (basic) throw invalidClient('Public clients have no secret; send client_id in the body.');
    return app;
  }
  if (!basic) throw invalidClient('Confidential clients authenticate with HTTP Basic.');
  if (await secretMatches(basic, app)) return app;
  throw await failedSecret(deps, app.clientId, credentials.address);
}

async function secretMatches(basic: BasicCredentials, app: Application): Promise<boolean> {
  return timingSafeEqualStrings(await sha256(basic.secret), app.secretHash ?? '');
}

/** Counts a wrong secret for (client, address): 401, or 429 once over the limit. */
async function failedSecret(deps: OAuthDeps, clientId: string, address: string) {
  const window = CLIENT_AUTH_FAILURE_WINDOW_SECONDS;
  // client ids match ID_PATTERN and addresses are IP literals: `|` cannot occur in either.
  const [failures] = await countAttempt(
    deps.db,
    [`client:${clientId}|${address}`],
    deps.now,
    window,
  );
  deps.warn('client_auth_failed', { clientId });
  if (failures !== undefined && failures.count > CLIENT_AUTH_MAX_FAILURES) {
    const retryAfter = Math.max(1, failures.windowStart + window - deps.now);
    return new OAuthThrottledError('Too many failed attempts; try again later.', retryAfter);
  }
  return invalidClient();
}
