/**
 * The three routes the middleware answers: /login starts the authorization code flow with
 * PKCE (RFC 7636) and keeps the verifier and state server-side, /callback checks the state
 * (RFC 6749 §10.12) and redeems the code into a fresh session, /logout ends the session and
 * revokes its refresh token (RFC 7009).
 */
import type { Context } from 'hono';
import { AppmetaError } from '../errors.js';
import type { Appmeta, FetchLike } from '../index.js';
import type { ClientFactory, SessionClients } from './clients.js';
import type { ResolvedCookie } from './session.js';
import {
  clearSessionId,
  newSessionId,
  readSessionId,
  sessionKey,
  writeSessionId,
} from './session.js';
import type { TokenStore } from '../stores.js';

/** A pending sign-in is good this long: the user may have to sign up and consent first. */
export const LOGIN_TTL_SECONDS = 600;

export interface RouteContext {
  baseUrl: string;
  clientId: string;
  clientSecret: string | undefined;
  scope: string | readonly string[];
  prompt: 'login' | 'consent' | 'login consent' | undefined;
  store: TokenStore;
  cookie: ResolvedCookie;
  afterLogin: string;
  afterLogout: string;
  fetch: FetchLike;
  clients: SessionClients;
  /** A client for a session's tokens (none: for the authorization request and the exchange). */
  client: ClientFactory;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const NO_STORE = { 'Cache-Control': 'no-store' };

/**
 * A same-origin path to return to after sign-in, or undefined: absolute URLs, `//host` and
 * `/\host` (which browsers read as another origin) are refused, so /login is no open redirect.
 */
export function safeReturnTo(value: string | undefined): string | undefined {
  if (value === undefined || value.length > 2048 || !value.startsWith('/')) return undefined;
  const base = 'http://return-to.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return undefined;
  }
  if (url.origin !== base || /^\/[/\\]/.test(value)) return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}

export async function login(c: Context, rc: RouteContext): Promise<Response> {
  const returnTo = safeReturnTo(c.req.query('return_to')) ?? rc.afterLogin;
  const request = await anonymous(rc).authorizationUrl({ scope: rc.scope, prompt: rc.prompt });
  const id = readSessionId(c, rc.cookie) ?? newSessionId();
  const key = await sessionKey(id);
  const existing = await rc.store.get(key);
  const pending = {
    state: request.state,
    codeVerifier: request.codeVerifier,
    returnTo,
    expiresAt: nowSeconds() + LOGIN_TTL_SECONDS,
  };
  const ttlSeconds = existing?.tokens ? rc.cookie.maxAgeSeconds : LOGIN_TTL_SECONDS;
  const record = existing?.tokens
    ? { tokens: existing.tokens, login: pending }
    : { login: pending };
  await rc.store.set(key, record, { ttlSeconds });
  writeSessionId(c, rc.cookie, id);
  return c.redirect(request.url, 302);
}

export async function callback(c: Context, rc: RouteContext): Promise<Response> {
  const id = readSessionId(c, rc.cookie);
  const key = id === undefined ? undefined : await sessionKey(id);
  const record = key === undefined ? undefined : await rc.store.get(key);
  const pending = record?.login;
  if (key === undefined || pending === undefined || pending.expiresAt <= nowSeconds()) {
    return refuse(c, 'No sign-in is in progress in this browser: start again from the login page.');
  }
  // A pending sign-in is used once, whatever the outcome.
  if (record?.tokens) {
    await rc.store.set(key, { tokens: record.tokens }, { ttlSeconds: rc.cookie.maxAgeSeconds });
  } else {
    await rc.store.delete(key);
  }
  if (c.req.query('state') !== pending.state) {
    return refuse(c, 'This sign-in response does not belong to the sign-in this browser started.');
  }
  const error = c.req.query('error');
  if (error !== undefined) return refuse(c, `Sign-in was not completed (${error}).`);
  let tokens;
  try {
    tokens = await anonymous(rc).exchangeCode(c.req.url, pending);
  } catch (cause) {
    if (cause instanceof AppmetaError && cause.status < 500) {
      return refuse(c, `Sign-in failed: ${cause.errorCode}.`);
    }
    throw cause;
  }
  // A new session id on sign-in, so an id planted before it is worth nothing (session fixation).
  const fresh = newSessionId();
  await rc.store.set(await sessionKey(fresh), { tokens }, { ttlSeconds: rc.cookie.maxAgeSeconds });
  await rc.store.delete(key);
  rc.clients.drop(key);
  writeSessionId(c, rc.cookie, fresh);
  return c.redirect(pending.returnTo, 303);
}

export async function logout(c: Context, rc: RouteContext): Promise<Response> {
  const id = readSessionId(c, rc.cookie);
  if (id !== undefined) {
    const key = await sessionKey(id);
    const record = await rc.store.get(key);
    await rc.store.delete(key);
    rc.clients.drop(key);
    const refreshToken = record?.tokens?.refresh_token;
    if (refreshToken) await revoke(rc, refreshToken).catch(() => undefined);
  }
  clearSessionId(c, rc.cookie);
  return c.redirect(rc.afterLogout, 303);
}

/** RFC 7009 §2.1: revoke the refresh token (the server ends its chain); best effort. */
async function revoke(rc: RouteContext, refreshToken: string): Promise<void> {
  const body = new URLSearchParams({ token: refreshToken, token_type_hint: 'refresh_token' });
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (rc.clientSecret === undefined) body.set('client_id', rc.clientId);
  else {
    // RFC 6749 §2.3.1: form-urlencode id and secret before joining them for Basic.
    const pair = `${encodeURIComponent(rc.clientId)}:${encodeURIComponent(rc.clientSecret)}`;
    headers.Authorization = `Basic ${btoa(pair)}`;
  }
  const url = new URL('oauth/revoke', rc.baseUrl.endsWith('/') ? rc.baseUrl : `${rc.baseUrl}/`);
  await rc.fetch(url, { method: 'POST', headers, body });
}

function anonymous(rc: RouteContext): Appmeta {
  return rc.client(undefined, async () => undefined);
}

function refuse(c: Context, message: string): Response {
  return c.text(message, 400, NO_STORE);
}
