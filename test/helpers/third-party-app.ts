/**
 * A third-party Hono app built on `@appmeta/client/hono`, reaching the Worker through its real
 * fetch, and a browser for it: the pieces the middleware's tests drive the sign-in with.
 */
import { Hono } from 'hono';
import {
  type AppmetaEnv,
  type AppmetaHonoOptions,
  type TokenStore,
  appmeta,
  requireLogin,
} from '../../packages/client/src/hono';
import { type Account, Browser, signedInBrowser, workerFetch } from './browser';
import { ISSUER, type TestApp } from './factories';
import { REDIRECT_URI, followToCallback } from './oauth-flow';

export const APP_ORIGIN = new URL(REDIRECT_URI).origin;
export const APP_SCOPES = ['profile', 'data:read', 'data:write'];

/** The Worker's fetch, counting the calls to /oauth/token. */
export function countingFetch() {
  const counter = { tokenCalls: 0 };
  const fetchImpl = (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input);
    if (url.pathname === '/oauth/token') counter.tokenCalls += 1;
    return workerFetch(input, init);
  };
  return { counter, fetch: fetchImpl as typeof fetch };
}

/** The app: the middleware, `/` (who is signed in) and `/activities` (signed-in users only). */
export function thirdPartyApp(
  app: TestApp,
  store: TokenStore,
  overrides: Partial<AppmetaHonoOptions> = {},
) {
  const web = new Hono<AppmetaEnv>();
  web.use(
    appmeta({
      baseUrl: ISSUER,
      clientId: app.clientId,
      clientSecret: app.secret,
      redirectUri: REDIRECT_URI,
      scope: APP_SCOPES,
      store,
      fetch: workerFetch as typeof fetch,
      ...overrides,
    }),
  );
  web.get('/', (c) => c.text(c.var.appmeta === undefined ? 'signed out' : 'signed in'));
  web.get('/activities', requireLogin(), async (c) => {
    const names: string[] = [];
    for await (const activity of c.var.appmeta.activities.list()) names.push(activity.name);
    return c.json(names);
  });
  return web;
}

/** A browser on the third-party app (its cookies kept apart from the Worker's). */
export function appBrowser(web: Hono<AppmetaEnv>): Browser {
  return new Browser('192.0.2.7', async (input, init) => web.request(input, init), APP_ORIGIN);
}

/**
 * Signs `account` in on the app: its /login, the Worker's authorize, login and consent pages,
 * then the app's callback. Returns the app's responses to /login and to the callback.
 */
export async function signIn(browser: Browser, account: Account, loginPath = '/login') {
  const started = await browser.get(loginPath);
  const authorize = started.headers.get('Location');
  if (started.status !== 302 || authorize === null) throw new Error(`login: ${started.status}`);
  const callback = await followToCallback(await signedInBrowser(account), account, authorize);
  const finished = await browser.get(callback.toString());
  return { started, callback, finished };
}

/** The SHA-256 (base64url) of a session cookie value: the key its record is stored under. */
export async function storeKey(cookieValue: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(cookieValue));
  return btoa(String.fromCharCode(...new Uint8Array(digest)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}
