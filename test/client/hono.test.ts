/**
 * @appmeta/client/hono against the real Worker: a third-party Hono app signs a user in through
 * /oauth/authorize, login and consent, keeps the tokens server-side, and calls the API with
 * c.get('appmeta'). The session tests run once per shipped store.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  KvTokenStore,
  MemoryTokenStore,
  type TokenStore,
  requireLogin,
} from '../../packages/client/src/hono';
import { createAccount } from '../helpers/browser';
import { createApp } from '../helpers/factories';
import {
  APP_SCOPES,
  appBrowser,
  countingFetch,
  signIn,
  storeKey,
  thirdPartyApp,
} from '../helpers/third-party-app';
import { call } from '../helpers/worker';

const COOKIE = '__Host-appmeta_session';
const NO_SIGN_IN = 'No sign-in is in progress in this browser: start again from the login page.';

const stores: Array<[string, () => TokenStore]> = [
  ['MemoryTokenStore', () => new MemoryTokenStore()],
  ['KvTokenStore', () => new KvTokenStore(env.CACHE, `sessions-${crypto.randomUUID()}:`)],
];

/** An account signed in on a fresh third-party app, with one activity created through it. */
async function signedInUser(store: TokenStore, name = 'Threshold intervals') {
  const account = await createAccount();
  const app = await createApp();
  const web = thirdPartyApp(app, store);
  web.post('/create', async (c) => {
    await c.var.appmeta?.activities.create({
      sport: 'running',
      start: '2026-05-01T07:00:00Z',
      duration: 1800,
      name,
    });
    return c.body(null, 204);
  });
  const browser = appBrowser(web);
  const flow = await signIn(browser, account);
  const created = await browser.post('/create', {});
  if (created.status !== 204) throw new Error(`create: ${created.status}`);
  return { account, app, web, browser, flow };
}

async function storedRecord(store: TokenStore, cookieValue: string) {
  return store.get(await storeKey(cookieValue));
}

function cookieValue(response: Response): string {
  return /^[^=]+=([^;]*);/.exec(response.headers.get('Set-Cookie') ?? '')?.[1] ?? '';
}

async function s256(verifier: string): Promise<string> {
  return storeKey(verifier);
}

describe.each(stores)('with %s', (_name, makeStore) => {
  it('sends /login to the authorization endpoint with an S256 challenge, the verifier kept server-side', async () => {
    const store = makeStore();
    const web = thirdPartyApp(await createApp(), store);

    const response = await appBrowser(web).get('/login');

    expect(response.status).toBe(302);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const location = new URL(response.headers.get('Location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe('http://localhost/oauth/authorize');
    expect([...location.searchParams.keys()].sort()).toStrictEqual([
      'client_id',
      'code_challenge',
      'code_challenge_method',
      'redirect_uri',
      'response_type',
      'scope',
      'state',
    ]);
    expect(location.searchParams.get('scope')).toBe(APP_SCOPES.join(' '));
    const id = cookieValue(response);
    expect(response.headers.get('Set-Cookie')).toBe(
      `${COOKIE}=${id}; Max-Age=2592000; Path=/; HttpOnly; Secure; SameSite=Lax`,
    );
    const record = await storedRecord(store, id);
    expect(record).toStrictEqual({
      login: {
        state: location.searchParams.get('state'),
        codeVerifier: expect.any(String),
        returnTo: '/',
        expiresAt: expect.any(Number),
      },
    });
    expect(await s256(record?.login?.codeVerifier ?? '')).toBe(
      location.searchParams.get('code_challenge'),
    );
  });

  it('signs a user in through login and consent, and c.get("appmeta") reads their data', async () => {
    const { browser, flow } = await signedInUser(makeStore(), 'Long run');

    expect(flow.finished.status).toBe(303);
    expect(flow.finished.headers.get('Location')).toBe('/');
    const activities = await browser.get('/activities');
    expect(activities.status).toBe(200);
    expect(await activities.json()).toStrictEqual(['Long run']);
    expect(await (await browser.get('/')).text()).toBe('signed in');
  });

  it('gives the session a new id at the callback, so an id set before sign-in is worth nothing', async () => {
    const store = makeStore();
    const { browser, flow } = await signedInUser(store);
    const before = cookieValue(flow.started);
    const after = browser.cookies.get(COOKIE) ?? '';

    expect(after).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(after).not.toBe(before);
    expect(await storedRecord(store, before)).toBeUndefined();
    expect(await storedRecord(store, after)).toStrictEqual({
      tokens: {
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        expires_at: expect.any(Number),
      },
    });
  });

  it('refreshes tokens near expiry once for concurrent requests and writes the new pair back', async () => {
    const store = makeStore();
    const { counter, fetch } = countingFetch();
    const browser = appBrowser(thirdPartyApp(await createApp(), store, { fetch }));
    await signIn(browser, await createAccount());
    const key = await storeKey(browser.cookies.get(COOKIE) ?? '');
    const signedIn = (await store.get(key))?.tokens;
    if (signedIn === undefined) throw new Error('no tokens stored');
    const nearExpiry = { ...signedIn, expires_at: Math.floor(Date.now() / 1000) + 5 };
    await store.set(key, { tokens: nearExpiry }, { ttlSeconds: 3600 });
    const callsBefore = counter.tokenCalls;

    const responses = await Promise.all(
      Array.from({ length: 5 }, () => browser.get('/activities')),
    );

    expect(responses.map((response) => response.status)).toStrictEqual([200, 200, 200, 200, 200]);
    expect(counter.tokenCalls - callsBefore).toBe(1);
    const refreshed = (await store.get(key))?.tokens;
    expect(refreshed?.refresh_token).not.toBe(signedIn.refresh_token);
    expect(refreshed?.access_token).not.toBe(signedIn.access_token);
    expect(refreshed?.expires_at).toBeGreaterThan(Math.floor(Date.now() / 1000) + 3000);
  });

  it('signs out: the cookie is cleared, the session deleted and the refresh token revoked', async () => {
    const store = makeStore();
    const { app, browser } = await signedInUser(store);
    const id = browser.cookies.get(COOKIE) ?? '';
    const refreshToken = (await storedRecord(store, id))?.tokens?.refresh_token ?? '';

    const response = await browser.post('/logout', {});

    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/');
    expect(response.headers.get('Set-Cookie')).toMatch(/^__Host-appmeta_session=; Max-Age=0;/);
    expect(await storedRecord(store, id)).toBeUndefined();
    expect(await (await browser.get('/')).text()).toBe('signed out');
    const refresh = await call('/oauth/token', {
      method: 'POST',
      headers: {
        Authorization: `Basic ${btoa(`${app.clientId}:${app.secret}`)}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    });
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toStrictEqual({
      error: 'invalid_grant',
      error_description: expect.any(String),
    });
  });
});

describe('refusals', () => {
  it('answers a callback whose state is not the pending one with 400 and forgets the sign-in', async () => {
    const web = thirdPartyApp(await createApp(), new MemoryTokenStore());
    const browser = appBrowser(web);
    const started = await browser.get('/login');
    const state = new URL(started.headers.get('Location') ?? '').searchParams.get('state') ?? '';

    const forged = await browser.get(
      `/callback?code=forged&state=x${state}&iss=http%3A%2F%2Flocalhost`,
    );

    expect(forged.status).toBe(400);
    expect(forged.headers.get('Cache-Control')).toBe('no-store');
    expect(await forged.text()).toBe(
      'This sign-in response does not belong to the sign-in this browser started.',
    );
    const retried = await browser.get(
      `/callback?code=forged&state=${state}&iss=http%3A%2F%2Flocalhost`,
    );
    expect(retried.status).toBe(400);
    expect(await retried.text()).toBe(NO_SIGN_IN);
  });

  it('answers a callback with no sign-in in progress with 400', async () => {
    const web = thirdPartyApp(await createApp(), new MemoryTokenStore());

    const response = await appBrowser(web).get('/callback?code=abc&state=xyz');

    expect(response.status).toBe(400);
    expect(await response.text()).toBe(NO_SIGN_IN);
  });

  it('sends a signed-out visitor of a protected page to /login and back to it after sign-in', async () => {
    const web = thirdPartyApp(await createApp(), new MemoryTokenStore());
    const browser = appBrowser(web);

    const refused = await browser.get('/activities?sport=running');

    expect(refused.status).toBe(302);
    const loginPath = refused.headers.get('Location') ?? '';
    expect(loginPath).toBe('/login?return_to=%2Factivities%3Fsport%3Drunning');
    const { finished } = await signIn(browser, await createAccount(), loginPath);
    expect(finished.status).toBe(303);
    expect(finished.headers.get('Location')).toBe('/activities?sport=running');
  });

  it('answers a signed-out POST to a protected route with 401', async () => {
    const web = thirdPartyApp(await createApp(), new MemoryTokenStore());
    web.post('/plans', requireLogin(), (c) => c.text('never'));

    const response = await appBrowser(web).post('/plans', {});

    expect(response.status).toBe(401);
    expect(await response.text()).toBe('Sign in first.');
  });

  it.each([
    ['an absolute URL', 'https://evil.example/'],
    ['a protocol-relative URL', '//evil.example/'],
    ['a backslash host', '/\\evil.example/'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a relative path without a slash', 'activities'],
  ])('refuses %s as return_to and returns to / instead', async (_label, returnTo) => {
    const store = new MemoryTokenStore();
    const web = thirdPartyApp(await createApp(), store);

    const response = await appBrowser(web).get(`/login?return_to=${encodeURIComponent(returnTo)}`);

    expect((await storedRecord(store, cookieValue(response)))?.login?.returnTo).toBe('/');
  });
});

describe('the session cookie', () => {
  it.each([
    ['http://localhost:8790/callback', 'appmeta_session', ''],
    ['http://127.0.0.1:8790/callback', 'appmeta_session', ''],
    ['http://[::1]:8790/callback', 'appmeta_session', ''],
    ['https://app.example.test/callback', COOKIE, '; Secure'],
    ['http://app.example.test/callback', COOKIE, '; Secure'],
    ['http://localhost.example.test/callback', COOKIE, '; Secure'],
  ])(
    'for the redirect URI %s is %s, HttpOnly, SameSite=Lax%s',
    async (redirectUri, name, secure) => {
      const web = thirdPartyApp(await createApp(), new MemoryTokenStore(), { redirectUri });

      const response = await appBrowser(web).get('/login');

      expect(response.headers.get('Set-Cookie')).toBe(
        `${name}=${cookieValue(response)}; Max-Age=2592000; Path=/; HttpOnly${secure}; SameSite=Lax`,
      );
    },
  );
});
