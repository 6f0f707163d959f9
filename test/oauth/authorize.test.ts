/** GET /oauth/authorize: what is shown as a page, what goes back to the client, and CSRF on the forms. */
import { describe, expect, it } from 'vitest';
import { Browser, createAccount, hiddenValue, signedInBrowser } from '../helpers/browser';
import { createApp } from '../helpers/factories';
import { REDIRECT_URI, authorizeUrl } from '../helpers/oauth-flow';

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

function query(clientId: string, overrides: Record<string, string | null>) {
  const params: Record<string, string | null> = {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    scope: 'profile',
    state: 'st-1',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    ...overrides,
  };
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== null) search.set(name, value);
  return `/oauth/authorize?${search}`;
}

/** Signs a new account in and opens the consent page of a new app asking for `profile`. */
async function atConsent() {
  const account = await createAccount();
  const app = await createApp();
  const browser = await signedInBrowser(account);
  const { path } = await authorizeUrl({ app, scopes: ['profile'] });
  const consentPath = (await browser.get(path)).headers.get('Location') as string;
  const consent = await (await browser.get(consentPath)).text();
  return { account, browser, consent };
}

describe('requests shown an error page and never redirected', () => {
  it.each([
    ['an unknown client', { client_id: 'app_doesnotexist' }],
    ['a missing client', { client_id: null }],
    ['a missing redirect_uri', { redirect_uri: null }],
    ['a missing scope', { scope: null }],
    ['an empty scope', { scope: '' }],
    ['another host', { redirect_uri: 'https://evil.example/callback' }],
    ['a trailing slash', { redirect_uri: `${REDIRECT_URI}/` }],
    ['an added query', { redirect_uri: `${REDIRECT_URI}?x=1` }],
    ['a fragment', { redirect_uri: `${REDIRECT_URI}#frag` }],
    ['an upper-case host', { redirect_uri: 'https://APP.example.test/callback' }],
    ['a different port', { redirect_uri: 'https://app.example.test:8443/callback' }],
    ['http instead of https', { redirect_uri: 'http://app.example.test/callback' }],
    ['a path prefix', { redirect_uri: 'https://app.example.test/callback/../evil' }],
    ['userinfo', { redirect_uri: 'https://app.example.test@evil.example/callback' }],
  ])('%s', async (_name, overrides) => {
    const app = await createApp();
    const response = await new Browser().get(query(app.clientId, overrides));
    expect(response.status).toBe(400);
    expect(response.headers.get('Location')).toBeNull();
    expect(response.headers.get('Content-Type')).toContain('text/html');
    expect(response.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
  });

  it('a disabled application', async () => {
    const app = await createApp();
    const { env } = await import('cloudflare:workers');
    await env.DB.prepare('UPDATE applications SET disabled_at = 1 WHERE client_id = ?')
      .bind(app.clientId)
      .run();
    const response = await new Browser().get(query(app.clientId, {}));
    expect(response.status).toBe(400);
    expect(response.headers.get('Location')).toBeNull();
  });
});

describe('errors redirected to the client with error, state and iss', () => {
  it.each([
    ['no code_challenge', { code_challenge: null }, 'invalid_request'],
    ['the plain method', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['no method', { code_challenge_method: null }, 'invalid_request'],
    ['a malformed challenge', { code_challenge: 'short' }, 'invalid_request'],
    ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
    ['no response_type', { response_type: null }, 'unsupported_response_type'],
    ['an unknown scope', { scope: 'profile admin' }, 'invalid_scope'],
    ['an unknown prompt', { prompt: 'select_account' }, 'invalid_request'],
  ])('%s', async (_name, overrides, error) => {
    const app = await createApp();
    const response = await new Browser().get(query(app.clientId, overrides));
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('Location') as string);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(Object.fromEntries(location.searchParams)).toStrictEqual({
      error,
      error_description: expect.any(String),
      state: 'st-1',
      iss: 'http://localhost',
    });
  });

  it('a scope the application is not allowed', async () => {
    const app = await createApp({ scopes: ['profile'] });
    const response = await new Browser().get(query(app.clientId, { scope: 'profile data:write' }));
    expect(new URL(response.headers.get('Location') as string).searchParams.get('error')).toBe(
      'invalid_scope',
    );
  });

  it('prompt=none without a session answers login_required', async () => {
    const app = await createApp();
    const response = await new Browser().get(query(app.clientId, { prompt: 'none' }));
    expect(new URL(response.headers.get('Location') as string).searchParams.get('error')).toBe(
      'login_required',
    );
  });
});

describe('loopback redirect URIs (RFC 8252 §7.3)', () => {
  it('accept another port on an http loopback IP literal', async () => {
    const { env } = await import('cloudflare:workers');
    const app = await createApp();
    await env.DB.prepare('UPDATE applications SET redirect_uris = ? WHERE client_id = ?')
      .bind(JSON.stringify(['http://127.0.0.1:9000/callback']), app.clientId)
      .run();
    const ok = await new Browser().get(
      query(app.clientId, { redirect_uri: 'http://127.0.0.1:5555/callback' }),
    );
    expect(ok.headers.get('Location')).toMatch(/^\/login\?tx=/);
    const path = await new Browser().get(
      query(app.clientId, { redirect_uri: 'http://127.0.0.1:5555/other' }),
    );
    expect(path.status).toBe(400);
  });
});

describe('the login and consent forms', () => {
  it('send an anonymous browser to the login page for the request', async () => {
    const app = await createApp();
    const response = await new Browser().get(query(app.clientId, {}));
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toMatch(/^\/login\?tx=[A-Za-z0-9_-]{43}$/);
  });

  it('render the login page with email and password inputs', async () => {
    const app = await createApp();
    const browser = new Browser();
    const login = await browser.get(
      (await browser.get(query(app.clientId, {}))).headers.get('Location') as string,
    );
    const html = await login.text();
    expect(html).toContain('name="email"');
    expect(html).toContain('name="password"');
    expect(html).toContain(`to continue to Test app ${app.clientId.slice(-4)}`);
    expect(login.headers.get('X-Frame-Options')).toBe('DENY');
    expect(login.headers.get('Referrer-Policy')).toBe('same-origin');
    expect(login.headers.get('Cache-Control')).toBe('no-store');
  });

  it.each([
    ['a missing CSRF token', () => ({ csrf: '' }), {}],
    ['a wrong CSRF token', () => ({ csrf: 'A'.repeat(43) }), {}],
    ['a foreign Origin', (csrf: string) => ({ csrf }), { Origin: 'https://evil.example' }],
    ['a null Origin', (csrf: string) => ({ csrf }), { Origin: 'null' }],
  ])('refuse a consent post with %s', async (_name, form, headers) => {
    const { browser, consent } = await atConsent();
    const response = await browser.post(
      '/oauth/consent',
      {
        tx: hiddenValue(consent, 'tx'),
        decision: 'approve',
        ...form(hiddenValue(consent, 'csrf')),
      },
      headers,
    );
    expect(response.status).toBe(403);
    expect(response.headers.get('Location')).toBeNull();
  });

  it('refuse a consent decision from another browser (transaction bound to the browser)', async () => {
    const { account, browser: attacker, consent } = await atConsent();
    const victim = await signedInBrowser(account);
    const victimPage = await (await victim.get('/settings')).text();
    const response = await victim.post('/oauth/consent', {
      csrf: hiddenValue(victimPage, 'csrf'),
      tx: hiddenValue(consent, 'tx'),
      decision: 'approve',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('Location')).toBeNull();
  });

  it('refuse a login post with a wrong CSRF token', async () => {
    const account = await createAccount();
    const browser = new Browser();
    await browser.get('/login');
    const response = await browser.post('/login', {
      csrf: 'B'.repeat(43),
      email: account.email,
      password: account.password,
    });
    expect(response.status).toBe(403);
    expect(browser.cookies.has('am_session')).toBe(false);
  });

  it('decide a request only once', async () => {
    const { browser, consent } = await atConsent();
    const form = {
      csrf: hiddenValue(consent, 'csrf'),
      tx: hiddenValue(consent, 'tx'),
      decision: 'approve',
    };
    expect((await browser.post('/oauth/consent', form)).status).toBe(303);
    expect((await browser.post('/oauth/consent', form)).status).toBe(400);
  });
});
