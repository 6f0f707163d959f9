/**
 * The authorization code flow driven by oauth4webapi (an independent client) against the
 * Worker, with the user's side played by a cookie-keeping Browser.
 */
import * as oauth from 'oauth4webapi';
import type { Scope } from '../../src/auth/scopes';
import { type Account, Browser, hiddenValue, signedInBrowser, workerFetch } from './browser';
import type { TestApp } from './factories';
import { ISSUER } from './factories';

export const REDIRECT_URI = 'https://app.example.test/callback';
export const fetchOptions = {
  [oauth.customFetch]: workerFetch as typeof fetch,
  [oauth.allowInsecureRequests]: true,
};

let discovered: oauth.AuthorizationServer | undefined;

export async function authorizationServer(): Promise<oauth.AuthorizationServer> {
  if (!discovered) {
    const issuer = new URL(ISSUER);
    const response = await oauth.discoveryRequest(issuer, { ...fetchOptions, algorithm: 'oauth2' });
    discovered = await oauth.processDiscoveryResponse(issuer, response);
  }
  return discovered;
}

export function clientAuth(app: TestApp, confidential: boolean): oauth.ClientAuth {
  return confidential ? oauth.ClientSecretBasic(app.secret) : oauth.None();
}

export interface AuthorizeInput {
  app: TestApp;
  scopes: Scope[];
  verifier?: string;
  state?: string;
  extra?: Record<string, string>;
}

export async function authorizeUrl(input: AuthorizeInput) {
  const verifier = input.verifier ?? oauth.generateRandomCodeVerifier();
  const state = input.state ?? oauth.generateRandomState();
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: input.app.clientId,
    redirect_uri: REDIRECT_URI,
    scope: input.scopes.join(' '),
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...input.extra,
  });
  return { path: `/oauth/authorize?${params}`, verifier, state };
}

/**
 * Runs authorize → (login) → (consent approve) and returns the callback URL the browser was
 * sent to, with the verifier and state to finish the flow.
 */
export async function obtainCallback(
  account: Account,
  input: AuthorizeInput,
  browser?: Browser,
): Promise<{ callback: URL; verifier: string; state: string; browser: Browser }> {
  const session = browser ?? (await signedInBrowser(account));
  const { path, verifier, state } = await authorizeUrl(input);
  const callback = await followToCallback(session, account, path);
  return { callback, verifier, state, browser: session };
}

/**
 * Opens an authorization URL (a path or a full URL) in `session` and follows the redirects,
 * signing in and approving consent as `account` when asked, to the client's callback URL.
 */
export async function followToCallback(
  session: Browser,
  account: Account,
  authorizationUrl: string,
  redirectUri = REDIRECT_URI,
): Promise<URL> {
  let response = await session.get(authorizationUrl);
  for (let step = 0; step < 5; step += 1) {
    const location = response.headers.get('Location');
    if (response.status !== 303 || location === null)
      throw new Error(`flow stopped: ${response.status}`);
    if (location.startsWith(redirectUri)) return new URL(location);
    response = await session.get(location);
    const html = await response.clone().text();
    if (location.startsWith('/login')) {
      response = await session.post('/login', {
        csrf: hiddenValue(html, 'csrf'),
        tx: hiddenValue(html, 'tx'),
        email: account.email,
        password: account.password,
      });
    } else if (location.startsWith('/oauth/consent')) {
      response = await session.post('/oauth/consent', {
        csrf: hiddenValue(html, 'csrf'),
        tx: hiddenValue(html, 'tx'),
        decision: 'approve',
      });
    }
  }
  throw new Error('flow did not reach the callback');
}

/** The whole flow to a token response, with oauth4webapi validating every step. */
export async function obtainTokens(
  account: Account,
  app: TestApp,
  scopes: Scope[],
  confidential: boolean,
) {
  const as = await authorizationServer();
  const client = { client_id: app.clientId };
  const { callback, verifier, state, browser } = await obtainCallback(account, { app, scopes });
  const params = oauth.validateAuthResponse(as, client, callback, state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    clientAuth(app, confidential),
    params,
    REDIRECT_URI,
    verifier,
    fetchOptions,
  );
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
  return { tokens, browser, code: params.get('code') as string, verifier };
}

/** RFC 6749 §2.3.1 client_secret_basic: id and secret form-urlencoded, then base64. */
export function basicAuth(app: TestApp, secret = app.secret): string {
  return `Basic ${btoa(`${encodeURIComponent(app.clientId)}:${encodeURIComponent(secret)}`)}`;
}

export { Browser };
