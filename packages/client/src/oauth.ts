/**
 * The OAuth side of the client, on oauth4webapi: discovery (RFC 8414), the authorization code
 * flow with PKCE S256 (RFC 7636), and refresh-token rotation. Refresh is single-flight: the
 * server revokes the whole chain when a rotated refresh token is presented again (RFC 9700
 * §4.14.2), so two parallel refreshes would sign the user out; every caller that needs a
 * fresh token shares the one refresh in progress.
 */
import * as oauth from 'oauth4webapi';
import { AppmetaError } from './errors.js';
import type { Credentials, FetchLike } from './http.js';
import { shareRotation } from './rotations.js';

/** Tokens as stored: `expires_at` in unix seconds (received time + `expires_in`). */
export interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_at: number;
}

export interface OAuthOptions {
  clientId: string;
  /** Only for confidential clients (server side); sent with HTTP Basic (RFC 6749 §2.3.1). */
  clientSecret?: string | undefined;
  redirectUri: string;
  /** Tokens saved from an earlier session. */
  tokens?: Tokens | undefined;
  /** Receives every new token pair (code exchange and each rotation): persist them. */
  onTokens?: ((tokens: Tokens) => void | Promise<void>) | undefined;
}

export interface AuthorizationUrlOptions {
  scope: string | readonly string[];
  prompt?: 'login' | 'consent' | 'login consent' | undefined;
}

export interface AuthorizationRequest {
  url: string;
  state: string;
  codeVerifier: string;
}

/** The stored form of a token response (`expires_at` = now + `expires_in`, RFC 6749 §5.1). */
function tokensOf(response: oauth.TokenEndpointResponse, previousRefreshToken: string): Tokens {
  return {
    access_token: response.access_token,
    refresh_token: response.refresh_token ?? previousRefreshToken,
    expires_at: nowSeconds() + (response.expires_in ?? 0),
  };
}

/** Refresh this long before `expires_at`, so a token never expires in flight. */
export const REFRESH_MARGIN_SECONDS = 30;

const nowSeconds = () => Math.floor(Date.now() / 1000);

export class OAuthSession implements Credentials {
  private tokens: Tokens | undefined;
  private refreshing: Promise<Tokens> | undefined;
  private server: Promise<oauth.AuthorizationServer> | undefined;
  private readonly client: oauth.Client;

  constructor(
    private readonly issuer: URL,
    private readonly fetchImpl: FetchLike,
    private readonly options: OAuthOptions,
  ) {
    this.tokens = options.tokens;
    this.client = { client_id: options.clientId };
  }

  get current(): Tokens | undefined {
    return this.tokens;
  }

  async authorizationUrl(input: AuthorizationUrlOptions): Promise<AuthorizationRequest> {
    const as = await this.discover();
    if (as.authorization_endpoint === undefined) throw missing('authorization_endpoint');
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint);
    const scope = typeof input.scope === 'string' ? input.scope : input.scope.join(' ');
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', this.options.clientId);
    url.searchParams.set('redirect_uri', this.options.redirectUri);
    url.searchParams.set('scope', scope);
    url.searchParams.set('state', state);
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
    if (input.prompt !== undefined) url.searchParams.set('prompt', input.prompt);
    return { url: url.toString(), state, codeVerifier };
  }

  /** Validates the callback (state, `iss` per RFC 9207) and redeems the code. */
  async exchangeCode(
    callbackUrl: string | URL,
    check: { state: string; codeVerifier: string },
  ): Promise<Tokens> {
    const as = await this.discover();
    const params = this.validateCallback(as, new URL(callbackUrl), check.state);
    const tokens = await mapOAuthErrors(async () => {
      const response = await oauth.authorizationCodeGrantRequest(
        as,
        this.client,
        this.clientAuth(),
        params,
        this.options.redirectUri,
        check.codeVerifier,
        this.requestOptions(),
      );
      return oauth.processAuthorizationCodeResponse(as, this.client, response);
    });
    return this.adopt(tokensOf(tokens, ''));
  }

  /**
   * RFC 6749 §4.1.2: an `error` in the callback (the user denied, …) keeps its code; a wrong
   * `state` (RFC 6749 §10.12) or `iss` (RFC 9207) is `invalid_callback`.
   */
  private validateCallback(
    as: oauth.AuthorizationServer,
    callback: URL,
    state: string,
  ): URLSearchParams {
    try {
      return oauth.validateAuthResponse(as, this.client, callback, state);
    } catch (error) {
      if (error instanceof oauth.AuthorizationResponseError) throw toAppmetaError(error);
      throw new AppmetaError({
        status: 0,
        errorCode: 'invalid_callback',
        message: error instanceof Error ? error.message : String(error),
        cause: error,
      });
    }
  }

  async authorization(): Promise<string | undefined> {
    let tokens = this.tokens;
    if (tokens === undefined) return undefined;
    if (tokens.expires_at - REFRESH_MARGIN_SECONDS <= nowSeconds()) tokens = await this.refresh();
    return `Bearer ${tokens.access_token}`;
  }

  async recover(rejected: string): Promise<boolean> {
    if (this.tokens === undefined) return false;
    // Another call may already have replaced the token that was refused: just use the new one.
    if (rejected !== `Bearer ${this.tokens.access_token}`) return true;
    await this.refresh();
    return true;
  }

  /**
   * One refresh at a time: callers arriving while it runs get the same promise, and other
   * clients of this runtime holding the same refresh token share it too (rotations.ts).
   */
  refresh(): Promise<Tokens> {
    if (this.refreshing === undefined) {
      this.refreshing = this.rotateShared().finally(() => {
        this.refreshing = undefined;
      });
    }
    return this.refreshing;
  }

  private async rotateShared(): Promise<Tokens> {
    const refreshToken = this.tokens?.refresh_token;
    if (refreshToken === undefined || refreshToken === '') {
      throw new AppmetaError({
        status: 401,
        errorCode: 'invalid_token',
        message: 'The access token expired and there is no refresh token.',
      });
    }
    const key = `${this.issuer.href} ${this.options.clientId} ${refreshToken}`;
    return this.adopt(await shareRotation(key, () => this.rotate(refreshToken)));
  }

  private async rotate(refreshToken: string): Promise<Tokens> {
    const as = await this.discover();
    const response = await mapOAuthErrors(async () => {
      const answer = await oauth.refreshTokenGrantRequest(
        as,
        this.client,
        this.clientAuth(),
        refreshToken,
        this.requestOptions(),
      );
      return oauth.processRefreshTokenResponse(as, this.client, answer);
    });
    return tokensOf(response, refreshToken);
  }

  /** Keeps a new pair and reports it to `onTokens`. */
  private async adopt(tokens: Tokens): Promise<Tokens> {
    this.tokens = tokens;
    await this.options.onTokens?.({ ...tokens });
    return tokens;
  }

  private discover(): Promise<oauth.AuthorizationServer> {
    this.server ??= (async () => {
      const response = await oauth.discoveryRequest(this.issuer, {
        ...this.requestOptions(),
        algorithm: 'oauth2',
      });
      return oauth.processDiscoveryResponse(this.issuer, response);
    })().catch((error: unknown) => {
      this.server = undefined;
      throw toAppmetaError(error);
    });
    return this.server;
  }

  private clientAuth(): oauth.ClientAuth {
    const secret = this.options.clientSecret;
    return secret === undefined ? oauth.None() : oauth.ClientSecretBasic(secret);
  }

  private requestOptions() {
    return {
      [oauth.customFetch]: this.fetchImpl as typeof fetch,
      // A plain-http base URL is the developer's explicit choice (a local `npm run dev`).
      [oauth.allowInsecureRequests]: this.issuer.protocol === 'http:',
    };
  }
}

async function mapOAuthErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toAppmetaError(error);
  }
}

/** oauth4webapi's errors as AppmetaError (RFC 6749 §4.1.2.1 and §5.2 codes kept). */
export function toAppmetaError(error: unknown): AppmetaError {
  if (error instanceof AppmetaError) return error;
  if (error instanceof oauth.ResponseBodyError) {
    return new AppmetaError({
      status: error.status,
      errorCode: error.error,
      message: error.error_description ?? error.error,
      retryAfter: retryAfter(error.response),
      cause: error,
    });
  }
  if (error instanceof oauth.AuthorizationResponseError) {
    return new AppmetaError({
      status: 0,
      errorCode: error.error,
      message: error.error_description ?? error.error,
      cause: error,
    });
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    const code = error.cause[0]?.parameters.error ?? 'invalid_client';
    return new AppmetaError({ status: error.status, errorCode: code, message: error.message });
  }
  if (error instanceof oauth.OperationProcessingError && error.cause instanceof Response) {
    // A non-conforming answer (an HTML 502, a 429 without a JSON body): keep its status.
    return new AppmetaError({
      status: error.cause.status,
      errorCode: `http_${error.cause.status}`,
      message: error.message,
      retryAfter: retryAfter(error.cause),
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AppmetaError({ status: 0, errorCode: 'oauth_error', message, cause: error });
}

function retryAfter(response: Response): number | undefined {
  const header = response.headers.get('Retry-After');
  return header !== null && /^\d+$/.test(header) ? Number(header) : undefined;
}

function missing(field: string): AppmetaError {
  return new AppmetaError({
    status: 0,
    errorCode: 'oauth_error',
    message: `The authorization server metadata has no ${field}.`,
  });
}
