/**
 * /settings: password change and sign out everywhere each end every other session and every
 * token of the user, hot cached reads included (issue: there was neither).
 */
import { describe, expect, it } from 'vitest';
import * as web from '../helpers/browser';
import { sampleActivity } from '../helpers/entities';
import { appToken, createApp, personalKey } from '../helpers/factories';
import { call, serverTiming } from '../helpers/worker';

/** A signed-in account with two browsers, an app token with a hot view, and a personal key. */
async function everywhere() {
  const account = await web.createAccount();
  const user = { id: account.id, email: account.email };
  const here = await web.signedInBrowser(account);
  const elsewhere = await web.signedInBrowser(account, new web.Browser());
  const token = await appToken(user, await createApp());
  const key = await personalKey(user);
  const created = await call('/api/v1/activities', { method: 'POST', token, json: sampleActivity });
  const path = `/api/v1/activities/${((await created.json()) as { id: string }).id}`;
  await call(path, { token });
  expect(serverTiming(await call(path, { token })).cache).toBe('hit');
  return { account, here, elsewhere, token, key, path };
}

async function submit(browser: web.Browser, action: string, fields: Record<string, string> = {}) {
  const page = await (await browser.get('/settings')).text();
  return browser.post(action, { csrf: web.hiddenValue(page, 'csrf'), ...fields });
}

async function expectEverythingElseEnded(setup: Awaited<ReturnType<typeof everywhere>>) {
  expect((await call(setup.path, { token: setup.token })).status).toBe(401);
  expect((await call('/api/v1/profile', { token: setup.key.token })).status).toBe(401);
  expect((await setup.elsewhere.get('/settings')).status).toBe(303);
  expect((await setup.here.get('/settings')).status).toBe(200);
}

describe('sign out everywhere', () => {
  it('ends other sessions, app tokens (hot reads included) and personal keys', async () => {
    const setup = await everywhere();
    const response = await submit(setup.here, '/settings/sign-out-everywhere');
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/settings?done=signed-out-everywhere');
    await expectEverythingElseEnded(setup);
  });

  it('refuses a post without the CSRF token', async () => {
    const setup = await everywhere();
    const response = await setup.here.post('/settings/sign-out-everywhere', {});
    expect(response.status).toBe(403);
    expect((await call(setup.path, { token: setup.token })).status).toBe(200);
  });
});

describe('password change', () => {
  it('sets the new password and ends every other session and token', async () => {
    const setup = await everywhere();
    const response = await submit(setup.here, '/settings/password', {
      current_password: setup.account.password,
      new_password: 'a brand new passphrase',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/settings?done=password-changed');
    await expectEverythingElseEnded(setup);
    const oldLogin = await web.loginAttempt(
      new web.Browser(),
      setup.account.email,
      setup.account.password,
    );
    expect(oldLogin.status).not.toBe(303);
    const newLogin = await web.loginAttempt(
      new web.Browser(),
      setup.account.email,
      'a brand new passphrase',
    );
    expect(newLogin.status).toBe(303);
  });

  it.each([
    [
      'a wrong current password',
      (password: string) => ({ current_password: `${password}x`, new_password: 'long enough' }),
      'The current password is wrong.',
    ],
    [
      'a new password that is too short',
      (password: string) => ({ current_password: password, new_password: 'short' }),
      'Choose a new password of 8 to 256 characters.',
    ],
  ])('refuses %s and changes nothing', async (_, fields, message) => {
    const setup = await everywhere();
    const response = await submit(setup.here, '/settings/password', fields(setup.account.password));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(message);
    expect((await call(setup.path, { token: setup.token })).status).toBe(200);
    expect((await setup.elsewhere.get('/settings')).status).toBe(200);
  });
});
