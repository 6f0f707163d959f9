/**
 * Validating an authorization request (RFC 6749 §4.1.1, §4.1.2.1; RFC 7636; RFC 9207).
 * Order matters: while the client or redirect URI is in doubt the user sees an error page and
 * is never redirected (§4.1.2.1); once both are valid, other errors go back to the client with
 * `error`, `state` and `iss`. `redirect_uri` and `scope` are required (spec §11). A `state`
 * over AUTHORIZE_STATE_MAX_CHARS is `invalid_request`, redirected without the state.
 */
import { type Scope, parseScopeString } from '../auth/scopes';
import { AUTHORIZE_STATE_MAX_CHARS } from '../config';
import type { OAuthErrorCode } from '../errors';
import type { Application } from '../storage/applications';
import type { AuthorizationRequest } from '../storage/authorization-requests';
import { isS256Challenge } from './pkce';
import { matchRedirectUri } from './redirect-uris';

/** What a pending request stores, with the client itself instead of its id. */
export interface ValidAuthorizeRequest extends Omit<
  AuthorizationRequest,
  'clientId' | 'userId' | 'expiresAt'
> {
  client: Application;
  promptNone: boolean;
}

export type AuthorizeValidation =
  | { kind: 'page'; message: string }
  | {
      kind: 'redirect';
      redirectUri: string;
      error: OAuthErrorCode;
      description: string;
      state: string | null;
    }
  | { kind: 'ok'; request: ValidAuthorizeRequest };

/** The single value of a query parameter; `repeated` when it appears more than once. */
export function queryParam(query: URLSearchParams, name: string): string | undefined | 'repeated' {
  const values = query.getAll(name);
  if (values.length > 1) return 'repeated';
  return values[0];
}

/** The client id the request names, if it is one plausible value. */
export function requestedClientId(query: URLSearchParams): string | null {
  const value = queryParam(query, 'client_id');
  return value === undefined || value === 'repeated' ? null : value;
}

export function validateAuthorizeRequest(
  query: URLSearchParams,
  client: Application | null,
): AuthorizeValidation {
  if (client === null || client.disabledAt !== null) {
    return { kind: 'page', message: 'This application is unknown or no longer available.' };
  }
  const redirectUri = queryParam(query, 'redirect_uri');
  if (redirectUri === undefined || redirectUri === 'repeated') {
    return { kind: 'page', message: 'The request does not name exactly one redirect URI.' };
  }
  if (!matchRedirectUri(redirectUri, client.redirectUris)) {
    return { kind: 'page', message: 'The redirect URI is not registered for this application.' };
  }
  const scope = queryParam(query, 'scope');
  if (scope === undefined || scope === 'repeated' || scope.trim() === '') {
    return { kind: 'page', message: 'The request does not say which access it asks for (scope).' };
  }
  const rawState = queryParam(query, 'state');
  const state = rawState === undefined || rawState === 'repeated' ? null : rawState;
  const fail = (error: OAuthErrorCode, description: string): AuthorizeValidation => ({
    kind: 'redirect',
    redirectUri,
    error,
    description,
    state: state !== null && state.length <= AUTHORIZE_STATE_MAX_CHARS ? state : null,
  });
  return checkParameters(query, client, redirectUri, scope, state, fail);
}

function checkParameters(
  query: URLSearchParams,
  client: Application,
  redirectUri: string,
  scope: string,
  state: string | null,
  fail: (error: OAuthErrorCode, description: string) => AuthorizeValidation,
): AuthorizeValidation {
  for (const name of [
    'response_type',
    'state',
    'code_challenge',
    'code_challenge_method',
    'prompt',
  ]) {
    if (queryParam(query, name) === 'repeated')
      return fail('invalid_request', `${name} is repeated.`);
  }
  if (state !== null && state.length > AUTHORIZE_STATE_MAX_CHARS)
    return fail('invalid_request', 'state is too long.');
  if (query.get('response_type') !== 'code') {
    return fail('unsupported_response_type', 'Only response_type=code is supported.');
  }
  const challenge = query.get('code_challenge');
  if (challenge === null) return fail('invalid_request', 'PKCE is required: send code_challenge.');
  if (query.get('code_challenge_method') !== 'S256') {
    return fail('invalid_request', 'code_challenge_method must be S256.');
  }
  if (!isS256Challenge(challenge)) return fail('invalid_request', 'code_challenge is malformed.');
  const scopes = parseScopeString(scope);
  if (scopes === null || scopes.some((item) => !client.scopes.includes(item))) {
    return fail('invalid_scope', 'The requested scope is unknown or not allowed for this app.');
  }
  const prompts = (query.get('prompt') ?? '').split(' ').filter((part) => part !== '');
  if (prompts.some((prompt) => !['login', 'consent', 'none'].includes(prompt))) {
    return fail('invalid_request', 'Unsupported prompt value.');
  }
  if (prompts.includes('none') && prompts.length > 1) {
    return fail('invalid_request', 'prompt=none cannot be combined with other values.');
  }
  return {
    kind: 'ok',
    request: {
      client,
      redirectUri,
      scopes,
      state,
      codeChallenge: challenge,
      promptLogin: prompts.includes('login'),
      promptConsent: prompts.includes('consent'),
      promptNone: prompts.includes('none'),
    },
  };
}

/**
 * The URL the browser is sent back to: the registered URI kept byte for byte (its own query
 * preserved, RFC 6749 §3.1.2) plus the response parameters and RFC 9207 `iss`.
 */
export function clientRedirect(
  redirectUri: string,
  params: Record<string, string | null>,
  issuer: string,
): string {
  const added = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null) added.set(name, value);
  }
  added.set('iss', issuer);
  return `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${added.toString()}`;
}
