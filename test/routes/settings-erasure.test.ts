/**
 * Deleting the account from /settings (spec §15): a confirmation step (the password again and
 * the word typed), CSRF-protected like every settings form, then signed out and a goodbye
 * page; refusals re-show the confirmation and delete nothing.
 */
import { describe, expect, it, vi } from 'vitest';
import * as web from '../helpers/browser';
import { type Erasable, erasableAccount, expectErased } from '../helpers/erasure';
import { call, serverTiming } from '../helpers/worker';

// Each test signs an account in and hashes passwords with PBKDF2 (100,000 iterations) several
// times, which takes seconds on a loaded machine.
vi.setConfig({ testTimeout: 30_000 });

async function confirmDeletion(browser: web.Browser, fields: Record<string, string>) {
  const page = await browser.get('/settings/delete-account');
  expect(page.status).toBe(200);
  const html = await page.text();
  return browser.post('/settings/delete-account', {
    csrf: web.hiddenValue(html, 'csrf'),
    ...fields,
  });
}

async function expectIntact(setup: Erasable) {
  const hot = await call(setup.path, { token: setup.tokens[0] });
  expect(hot.status).toBe(200);
  expect(serverTiming(hot).cache).toBe('hit');
  expect((await setup.browser.get('/settings')).status).toBe(200);
}

describe('/settings account deletion', () => {
  it('links to the confirmation step from /settings', async () => {
    const setup = await erasableAccount();
    const html = await (await setup.browser.get('/settings')).text();
    expect(html).toContain('<h2>Delete your account</h2>');
    expect(html).toContain('<a href="/settings/delete-account">');
  });

  it('asks for the password and the typed confirmation on its own page', async () => {
    const setup = await erasableAccount();
    const response = await setup.browser.get('/settings/delete-account');
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain('<form method="post" action="/settings/delete-account">');
    expect(html).toContain('name="password" type="password"');
    expect(html).toContain('name="confirm"');
    expect(html).toContain(setup.account.email);
  });

  it('erases the account, signs the browser out and shows the goodbye page', async () => {
    const setup = await erasableAccount();
    const response = await confirmDeletion(setup.browser, {
      password: setup.account.password,
      confirm: 'DELETE',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/goodbye');
    expect(response.headers.getSetCookie().join('\n')).toMatch(/am_session=;.*Max-Age=0/i);
    const goodbye = await setup.browser.get('/goodbye');
    expect(goodbye.status).toBe(200);
    expect(await goodbye.text()).toContain('Your account is deleted');
    await expectErased(setup);
  });

  it.each([
    [
      'without the typed confirmation',
      (s: Erasable) => ({ password: s.account.password }),
      400,
      'Type DELETE to confirm',
    ],
    [
      'with another word typed',
      (s: Erasable) => ({ password: s.account.password, confirm: 'delete' }),
      400,
      'Type DELETE to confirm',
    ],
    [
      'with a wrong password',
      (s: Erasable) => ({ password: 'nope nope', confirm: 'DELETE' }),
      403,
      'That password is wrong',
    ],
    ['without a password', () => ({ confirm: 'DELETE' }), 403, 'That password is wrong'],
  ])('refuses a deletion %s and deletes nothing', async (_, fields, status, message) => {
    const setup = await erasableAccount();
    const response = await confirmDeletion(setup.browser, fields(setup));
    expect(response.status).toBe(status);
    const html = await response.text();
    expect(html).toContain(message);
    expect(html).toContain('Nothing was deleted');
    await expectIntact(setup);
  });

  it.each([
    ['without the CSRF token', {}],
    ['from another origin', { Origin: 'https://evil.example' }],
  ])('refuses a deletion post %s 403 and deletes nothing', async (_, headers) => {
    const setup = await erasableAccount();
    const html = await (await setup.browser.get('/settings/delete-account')).text();
    const csrf = 'Origin' in headers ? web.hiddenValue(html, 'csrf') : 'forged';
    const fields = { csrf, password: setup.account.password, confirm: 'DELETE' };
    const response = await setup.browser.post('/settings/delete-account', fields, headers);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Request refused');
    await expectIntact(setup);
  });

  it('sends a signed-out browser to /login', async () => {
    const response = await new web.Browser().get('/settings/delete-account');
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/login');
  });
});
