/**
 * `@appmeta/client/hono`: sign a third-party Hono app's users in with appmeta. The middleware
 * answers `/login`, the callback path of `redirectUri` and `POST /logout`, keeps tokens
 * server-side in a `TokenStore` behind a random session cookie, and gives every request of a
 * signed-in user `c.get('appmeta')`: a ready client whose rotated tokens go back to the store.
 *
 * ```ts
 * const app = new Hono<AppmetaEnv>();
 * app.use(appmeta({ baseUrl, clientId, clientSecret, redirectUri, scope: ['data:read'], store: new MemoryTokenStore() }));
 * app.get('/activities', requireLogin(), async (c) => c.json(await c.var.appmeta.activities.get(id)));
 * ```
 */
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { Appmeta, type FetchLike } from './index.js';
import { SessionClients } from './hono/clients.js';
import { callback, login, logout, type RouteContext } from './hono/routes.js';
import {
  readSessionId,
  resolveCookie,
  sessionKey,
  type SessionCookieOptions,
} from './hono/session.js';
import type { Tokens } from './oauth.js';
import type { TokenStore } from './stores.js';

export { KvTokenStore, MemoryTokenStore } from './stores.js';
export type { KvNamespaceLike, PendingLogin, SessionRecord, TokenStore } from './stores.js';
export type { SessionCookieOptions } from './hono/session.js';
export { safeReturnTo } from './hono/routes.js';

export interface AppmetaHonoOptions {
  /** The appmeta origin, e.g. `https://appmeta.example` (also the OAuth issuer). */
  baseUrl: string;
  clientId: string;
  /** A confidential client's secret; omit for a public client (PKCE alone). */
  clientSecret?: string | undefined;
  /** Registered with the application; its path is where this middleware answers the callback. */
  redirectUri: string;
  /** Scopes to ask for, e.g. `['profile', 'data:read', 'data:write']`. */
  scope: string | readonly string[];
  prompt?: 'login' | 'consent' | 'login consent' | undefined;
  store: TokenStore;
  sessionCookie?: SessionCookieOptions | undefined;
  /** Paths this middleware answers; `callback` defaults to the path of `redirectUri`. */
  paths?: { login?: string; callback?: string; logout?: string } | undefined;
  /** Where to go after signing in when /login had no `return_to`; default `/`. */
  afterLogin?: string | undefined;
  /** Where to go after signing out; default `/`. */
  afterLogout?: string | undefined;
  /** A fetch to reach appmeta with (a service binding, a test double). */
  fetch?: FetchLike | undefined;
}

/** What the middleware puts on the context. `appmeta` is undefined when nobody is signed in. */
export interface AppmetaVariables {
  appmeta: Appmeta | undefined;
  appmetaLoginPath: string;
}

/** The Hono `Env` of an app using the middleware: `new Hono<AppmetaEnv>()`. */
export interface AppmetaEnv {
  Variables: AppmetaVariables;
}

/** The `Env` after `requireLogin()`: `c.var.appmeta` is a client, never undefined. */
export interface SignedInEnv {
  Variables: { appmeta: Appmeta };
}

type OptionsInput<E extends object> =
  AppmetaHonoOptions | ((c: Context<E & object>) => AppmetaHonoOptions);

/**
 * The middleware. `options` may be a function of the context, to read secrets and the KV
 * binding from `c.env` on Workers.
 */
export function appmeta<E extends object = object>(
  options: OptionsInput<E>,
): MiddlewareHandler<E & AppmetaEnv> {
  const clients = new SessionClients();
  return createMiddleware<E & AppmetaEnv>(async (c, next) => {
    const current = typeof options === 'function' ? options(c as unknown as Context<E>) : options;
    const rc = routeContext(current, clients);
    const paths = pathsOf(current);
    c.set('appmetaLoginPath', paths.login);
    const method = c.req.method;
    const route =
      (method === 'GET' && c.req.path === paths.login && login) ||
      (method === 'GET' && c.req.path === paths.callback && callback) ||
      (method === 'POST' && c.req.path === paths.logout && logout);
    if (route) {
      c.header('Cache-Control', 'no-store');
      return route(c as unknown as Context, rc);
    }
    c.set('appmeta', await signedInClient(c as unknown as Context, rc));
    await next();
  });
}

/**
 * Lets only signed-in users through: others are redirected to the login page (GET and HEAD,
 * coming back here afterwards) or answered 401.
 */
export function requireLogin(): MiddlewareHandler<SignedInEnv> {
  return createMiddleware<SignedInEnv>(async (c, next) => {
    const context = c as unknown as Context<AppmetaEnv>;
    if (context.get('appmeta') !== undefined) return next();
    const loginPath = context.get('appmetaLoginPath');
    if (loginPath === undefined)
      throw new Error('requireLogin() needs the appmeta() middleware before it.');
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      return c.text('Sign in first.', 401, { 'Cache-Control': 'no-store' });
    }
    const url = new URL(c.req.url);
    const returnTo = encodeURIComponent(`${url.pathname}${url.search}`);
    return c.redirect(`${loginPath}?return_to=${returnTo}`, 302);
  });
}

async function signedInClient(c: Context, rc: RouteContext): Promise<Appmeta | undefined> {
  const id = readSessionId(c, rc.cookie);
  if (id === undefined) return undefined;
  const key = await sessionKey(id);
  const record = await rc.store.get(key);
  if (record?.tokens === undefined) {
    rc.clients.drop(key);
    return undefined;
  }
  const ttlSeconds = rc.cookie.maxAgeSeconds;
  const persist = (tokens: Tokens) => rc.store.set(key, { tokens }, { ttlSeconds });
  return rc.clients.get(key, record.tokens, persist, rc.client);
}

function routeContext(options: AppmetaHonoOptions, clients: SessionClients): RouteContext {
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const { clientId, clientSecret, redirectUri } = options;
  const oauth = { clientId, clientSecret, redirectUri };
  return {
    baseUrl: options.baseUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    scope: options.scope,
    prompt: options.prompt,
    store: options.store,
    cookie: resolveCookie(options.redirectUri, options.sessionCookie),
    afterLogin: options.afterLogin ?? '/',
    afterLogout: options.afterLogout ?? '/',
    fetch: fetchImpl,
    clients,
    client: (tokens, onTokens) =>
      new Appmeta({
        baseUrl: options.baseUrl,
        fetch: fetchImpl,
        oauth: { ...oauth, tokens, onTokens },
      }),
  };
}

function pathsOf(options: AppmetaHonoOptions) {
  return {
    login: options.paths?.login ?? '/login',
    callback: options.paths?.callback ?? new URL(options.redirectUri).pathname,
    logout: options.paths?.logout ?? '/logout',
  };
}
