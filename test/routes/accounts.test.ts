/** Account pages: signup (and turning it off), login with rate limiting, logout, the session cookie, settings. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  Browser,
  createAccount,
  hiddenValue,
  loginAttempt,
  signedInBrowser,
} from '../helpers/browser';
import { appToken, createApp } from '../helpers/factories';
import { call } from '../helpers/worker';

describe('signup', () => {
  it('creates an account, signs it in and lands on settings', async () => {
    const browser = new Browser();
    const page = await (await browser.get('/signup')).text();
    const email = `new-${crypto.randomUUID()}@example.test`;
    const response = await browser.post('/signup', {
      csrf: hiddenValue(page, 'csrf'),
      first_name: 'Ada',
      last_name: 'Lovelace',
      email,
      password: 'correct horse battery',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/settings');
    const settings = await browser.get('/settings');
    expect(await settings.text()).toContain(`Signed in as ${email}`);
    const stored = await env.DB.prepare('SELECT password_hash FROM users WHERE email = ?')
      .bind(email)
      .first<{ password_hash: string }>();
    expect(stored?.password_hash).toMatch(/^pbkdf2-sha256\$100000\$/);
  });

  it('is turned off with SIGNUP_ENABLED=false', async () => {
    const response = await call('/signup', { bindings: { SIGNUP_ENABLED: 'false' } });
    expect(response.status).toBe(404);
    const post = await call('/signup', { method: 'POST', bindings: { SIGNUP_ENABLED: 'false' } });
    expect(post.status).toBe(404);
  });
});

describe('login', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie', async () => {
    const account = await createAccount();
    const response = await loginAttempt(new Browser(), account.email, account.password);
    expect(response.status).toBe(303);
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith('am_session='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
  });

  it.each([
    ['a wrong password', 'right', 'wrong'],
    ['an unknown email', 'unknown', 'whatever'],
  ])('refuses %s with the same message', async (_name, which, password) => {
    const account = await createAccount();
    const email =
      which === 'unknown' ? `nobody-${crypto.randomUUID()}@example.test` : account.email;
    const response = await loginAttempt(new Browser(), email, password);
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('That email and password do not match an account.');
  });

  it('never redirects to a URL taken from the request', async () => {
    const account = await createAccount();
    const browser = new Browser();
    const page = await (await browser.get('/login?next=https://evil.example')).text();
    const response = await browser.post('/login', {
      csrf: hiddenValue(page, 'csrf'),
      email: account.email,
      password: account.password,
      next: 'https://evil.example',
      tx: 'https://evil.example',
    });
    expect(response.headers.get('Location')).toBe('/settings');
  });
});

describe('logout and settings', () => {
  it('logout ends the session', async () => {
    const account = await createAccount();
    const browser = await signedInBrowser(account);
    const page = await (await browser.get('/settings')).text();
    const response = await browser.post('/logout', { csrf: hiddenValue(page, 'csrf') });
    expect(response.status).toBe(303);
    expect((await browser.get('/settings')).headers.get('Location')).toBe('/login');
  });

  it('settings lists authorized apps and revokes one with a form post', async () => {
    const account = await createAccount();
    const app = await createApp();
    const token = await appToken({ id: account.id, email: account.email }, app, ['profile']);
    const browser = await signedInBrowser(account);
    const page = await (await browser.get('/settings')).text();
    expect(page).toContain(`Test app ${app.clientId.slice(-4)}`);
    expect(page).toContain('See your name and email address');
    const response = await browser.post('/settings/authorizations/revoke', {
      csrf: hiddenValue(page, 'csrf'),
      client_id: app.clientId,
    });
    expect(response.status).toBe(303);
    expect((await call('/api/v1/profile', { token })).status).toBe(401);
  });

  it('settings creates a key and shows it once', async () => {
    const account = await createAccount();
    const browser = await signedInBrowser(account);
    const page = await (await browser.get('/settings')).text();
    const response = await browser.post('/settings/api-keys', {
      csrf: hiddenValue(page, 'csrf'),
      name: 'laptop',
      'scope.data:read': 'on',
      expires_in_days: '30',
    });
    const html = await response.text();
    const token = /<code class="secret" id="new-key">([^<]+)<\/code>/.exec(html)?.[1] as string;
    expect((await call('/api/v1/activities', { token })).status).toBe(200);
    expect(await (await browser.get('/settings')).text()).not.toContain(token);
  });
});
