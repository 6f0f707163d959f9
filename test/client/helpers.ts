/**
 * Clients of @appmeta/client wired to the Worker's own fetch (no mocks of the API), with a
 * log of every request they make so tests can count token-endpoint calls and read headers.
 */
import {
  Appmeta,
  AppmetaError,
  type AppmetaOptions,
  type Tokens,
} from '../../packages/client/src/index';
import type { Scope } from '../../src/auth/scopes';
import { type Account, signedInBrowser } from '../helpers/browser';
import type { TestApp } from '../helpers/factories';
import { REDIRECT_URI, followToCallback } from '../helpers/oauth-flow';
import { ALL_SCOPES } from '../helpers/scopes';
import { type BindingOverrides, ORIGIN, dispatch } from '../helpers/worker';

export interface SentRequest {
  method: string;
  url: URL;
  headers: Headers;
  /** The answer's headers, once it arrived. */
  answer?: Headers;
}

/**
 * A fetch that records each request before handing it to the Worker (with `bindings`
 * substituted, e.g. a recording queue) and the answer's headers after.
 */
export function recordingFetch(log: SentRequest[] = [], bindings: BindingOverrides = {}) {
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    const entry: SentRequest = {
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
    };
    log.push(entry);
    const response = await dispatch(request, bindings);
    entry.answer = response.headers;
    return response;
  };
  return { fetch, log };
}

/** A client authenticated with a bearer token (a personal key or a minted app token). */
export function clientWithKey(
  apiKey: string,
  options: Partial<AppmetaOptions> = {},
  bindings: BindingOverrides = {},
) {
  const { fetch, log } = recordingFetch([], bindings);
  const client = new Appmeta({ baseUrl: ORIGIN, apiKey, fetch, ...options });
  return { client, log };
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** The error a promise rejects with; fails the test unless it is an AppmetaError. */
export async function rejection(promise: Promise<unknown>): Promise<AppmetaError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppmetaError))
    throw new Error(`expected an AppmetaError: ${String(error)}`);
  return error;
}

/** A third-party client of `app` (confidential), counting its calls, collecting `onTokens`. */
export function oauthClient(app: TestApp, tokens?: Tokens) {
  const rotated: Tokens[] = [];
  const { fetch, log } = recordingFetch();
  const client = new Appmeta({
    baseUrl: ORIGIN,
    fetch,
    oauth: {
      clientId: app.clientId,
      clientSecret: app.secret,
      redirectUri: REDIRECT_URI,
      tokens,
      onTokens: (pair) => {
        rotated.push(pair);
      },
    },
  });
  return { client, log, rotated };
}

/**
 * A third-party client for `app` that has gone through the real code flow as `account`
 * (login and consent in a browser), with every token pair `onTokens` received.
 */
export async function signedInClient(account: Account, app: TestApp, scopes: Scope[] = ALL_SCOPES) {
  const { client, log, rotated: seen } = oauthClient(app);
  const request = await client.authorizationUrl({ scope: scopes });
  const browser = await signedInBrowser(account);
  const callback = await followToCallback(browser, account, request.url);
  const tokens = await client.exchangeCode(callback, request);
  return { client, tokens, seen, log, request, callback };
}

/** The requests a client made to the token endpoint. */
export function tokenCalls(log: SentRequest[]): SentRequest[] {
  return log.filter((entry) => entry.url.pathname === '/oauth/token');
}
