/** The authorization code flow end to end, driven by oauth4webapi, for public and confidential clients. */
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { createAccount, hiddenValue } from '../helpers/browser';
import { createApp } from '../helpers/factories';
import {
  type AuthorizeInput,
  REDIRECT_URI,
  authorizationServer,
  authorizeUrl,
  clientAuth,
  fetchOptions,
  obtainCallback,
  obtainTokens,
} from '../helpers/oauth-flow';
import { call } from '../helpers/worker';

/**
 * A signed-in account that has already granted `profile` to a new app authorizes again with
 * `input`: the browser's first response.
 */
async function authorizeAgain(input: Omit<AuthorizeInput, 'app'>) {
  const account = await createAccount();
  const app = await createApp();
  const first = await obtainCallback(account, { app, scopes: ['profile'] });
  const { path } = await authorizeUrl({ app, ...input });
  const response = await first.browser.get(path);
  return { account, app, first, response };
}

describe.each([
  { kind: 'public', confidential: false },
  { kind: 'confidential', confidential: true },
])('the flow for a $kind client', ({ confidential }) => {
  it('issues tokens that read the API with exactly the requested scopes', async () => {
    const account = await createAccount();
    const app = await createApp({ confidential });
    const { tokens } = await obtainTokens(account, app, ['profile', 'data:read'], confidential);
    expect(tokens).toStrictEqual({
      access_token: expect.any(String),
      token_type: 'bearer',
      expires_in: 3600,
      refresh_token: expect.any(String),
      scope: 'profile data:read',
    });
    const claims = JSON.parse(
      atob((tokens.access_token.split('.')[1] as string).replace(/-/g, '+').replace(/_/g, '/')),
    ) as Record<string, unknown>;
    expect(claims.iss).toBe((await authorizationServer()).issuer);
    expect(claims.aud).toBe(app.clientId);
    const profile = await call('/api/v1/profile', { token: tokens.access_token });
    expect(profile.status).toBe(200);
    expect(((await profile.json()) as { id: string }).id).toBe(account.id);
    const write = await call('/api/v1/activities', {
      method: 'POST',
      token: tokens.access_token,
      json: {},
    });
    expect(write.status).toBe(403);
  });

  it('rotates the refresh token and the new access token works', async () => {
    const account = await createAccount();
    const app = await createApp({ confidential });
    const as = await authorizationServer();
    const client = { client_id: app.clientId };
    const { tokens } = await obtainTokens(account, app, ['profile'], confidential);
    const response = await oauth.refreshTokenGrantRequest(
      as,
      client,
      clientAuth(app, confidential),
      tokens.refresh_token as string,
      fetchOptions,
    );
    const refreshed = await oauth.processRefreshTokenResponse(as, client, response);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.scope).toBe('profile');
    expect((await call('/api/v1/profile', { token: refreshed.access_token })).status).toBe(200);
  });

  it('skips the consent page on a later authorization covered by the grant', async () => {
    const account = await createAccount();
    const app = await createApp({ confidential });
    const first = await obtainTokens(account, app, ['profile', 'data:read'], confidential);
    const { path } = await authorizeUrl({ app, scopes: ['profile'] });
    const response = await first.browser.get(path);
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('Location') as string);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('code')).toEqual(expect.any(String));
    expect(location.searchParams.get('iss')).toBe('http://localhost');
  });
});

describe('consent', () => {
  it('shows the app name and the scopes in plain words', async () => {
    const account = await createAccount();
    const app = await createApp();
    const { signedInBrowser } = await import('../helpers/browser');
    const browser = await signedInBrowser(account);
    const { path } = await authorizeUrl({ app, scopes: ['data:read', 'metadata.write'] });
    const redirect = await browser.get(path);
    expect(redirect.headers.get('Location')).toMatch(/^\/oauth\/consent\?tx=/);
    const page = await browser.get(redirect.headers.get('Location') as string);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
    expect(html).toContain(`Test app ${app.clientId.slice(-4)}`);
    expect(html).toContain('Read your activities, traces and tests');
    expect(html).toContain('Store and delete data this app keeps for you');
    expect(html).not.toContain('See your name and email address');
    expect(html).toContain('name="decision" value="approve"');
    expect(html).toContain('name="decision" value="deny"');
  });

  it('sends access_denied with state and iss when the user denies', async () => {
    const account = await createAccount();
    const app = await createApp();
    const { signedInBrowser } = await import('../helpers/browser');
    const browser = await signedInBrowser(account);
    const { path, state } = await authorizeUrl({ app, scopes: ['profile'] });
    const consent = await browser.get((await browser.get(path)).headers.get('Location') as string);
    const html = await consent.text();
    const response = await browser.post('/oauth/consent', {
      csrf: hiddenValue(html, 'csrf'),
      tx: hiddenValue(html, 'tx'),
      decision: 'deny',
    });
    const location = new URL(response.headers.get('Location') as string);
    expect(Object.fromEntries(location.searchParams)).toStrictEqual({
      error: 'access_denied',
      error_description: 'The user denied the request.',
      state,
      iss: 'http://localhost',
    });
  });

  it('is asked again for scopes beyond the current grant', async () => {
    const { response } = await authorizeAgain({ scopes: ['profile', 'data:write'] });
    expect(response.headers.get('Location')).toMatch(/^\/oauth\/consent\?tx=/);
  });

  it('is asked again with prompt=consent', async () => {
    const { response } = await authorizeAgain({
      scopes: ['profile'],
      extra: { prompt: 'consent' },
    });
    expect(response.headers.get('Location')).toMatch(/^\/oauth\/consent\?tx=/);
  });

  it('shows the login page with prompt=login even when signed in', async () => {
    const { account, app, first, response } = await authorizeAgain({
      scopes: ['profile'],
      extra: { prompt: 'login' },
    });
    expect(response.headers.get('Location')).toMatch(/^\/login\?tx=/);
    const again = await obtainCallback(
      account,
      { app, scopes: ['profile'], extra: { prompt: 'login' } },
      first.browser,
    );
    expect(again.callback.searchParams.get('code')).toEqual(expect.any(String));
  });
});
