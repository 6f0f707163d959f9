/**
 * Account erasure (spec §15, §17): DELETE /api/v1/profile with the session and the password
 * re-entered, and the admin's DELETE /api/v1/admin/users/{id}. Afterwards every token of the
 * user is 401 here at once (a hot cached read included, whatever the token memo remembers),
 * login fails, nothing is exported, and another user's data is untouched.
 */
import { describe, expect, it, vi } from 'vitest';
import * as web from '../helpers/browser';
import { eraseOwn, erasableAccount, expectErased } from '../helpers/erasure';
import { ADMIN } from '../helpers/webhooks';
import { apiError, call, serverTiming } from '../helpers/worker';

// Each test signs an account in and hashes passwords with PBKDF2 (100,000 iterations) several
// times, which takes seconds on a loaded machine.
vi.setConfig({ testTimeout: 30_000 });

describe('DELETE /api/v1/profile', () => {
  it('erases the account with the session and password: 204, cookie cleared, everything gone', async () => {
    const setup = await erasableAccount();
    const response = await eraseOwn(setup.browser, { password: setup.account.password });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.getSetCookie().join('\n')).toMatch(/am_session=;.*Max-Age=0/i);
    await expectErased(setup);
  });

  it('leaves another user untouched: their token, hot view and login still work', async () => {
    const other = await erasableAccount();
    const setup = await erasableAccount();
    expect((await eraseOwn(setup.browser, { password: setup.account.password })).status).toBe(204);
    const hot = await call(other.path, { token: other.tokens[0] });
    expect(hot.status).toBe(200);
    expect(serverTiming(hot).cache).toBe('hit');
    expect((await call(other.path, { token: other.tokens[1] })).status).toBe(200);
    expect((await call('/api/v1/profile/export', { token: other.key.token })).status).toBe(200);
    const login = await web.loginAttempt(
      new web.Browser(),
      other.account.email,
      other.account.password,
    );
    expect(login.status).toBe(303);
  });

  it("answers the erased user's own tokens 401 on DELETE /api/v1/profile too", async () => {
    const setup = await erasableAccount();
    await eraseOwn(setup.browser, { password: setup.account.password });
    for (const token of [...setup.tokens, setup.key.token]) {
      const again = await call('/api/v1/profile', { method: 'DELETE', token, json: {} });
      expect(again.status).toBe(401);
      expect(await again.json()).toStrictEqual(apiError('invalid_token'));
    }
  });

  it('frees the email: a new account can be created with it', async () => {
    const setup = await erasableAccount();
    await eraseOwn(setup.browser, { password: setup.account.password });
    const created = await call('/api/v1/admin/users', {
      method: 'POST',
      headers: ADMIN,
      json: { email: setup.account.email, password: 'a new password', first_name: 'New' },
    });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { id: string }).id).not.toBe(setup.account.id);
  });
});

describe('admin erasure and lookup', () => {
  it('erases a user by id: 204, then every token of theirs is 401', async () => {
    const setup = await erasableAccount();
    const response = await call(`/api/v1/admin/users/${setup.account.id}`, {
      method: 'DELETE',
      headers: ADMIN,
    });
    expect(response.status).toBe(204);
    await expectErased(setup);
  });

  it.each([['usr_doesnotexist'], ['not%20an%20id'], ['x'.repeat(65)]])(
    'answers DELETE of unknown user %s 404 not_found',
    async (id) => {
      const response = await call(`/api/v1/admin/users/${id}`, {
        method: 'DELETE',
        headers: ADMIN,
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toStrictEqual(apiError('not_found'));
    },
  );

  it('finds a user by email, normalised as at signup', async () => {
    const setup = await erasableAccount();
    const query = encodeURIComponent(`  ${setup.account.email.toUpperCase()} `);
    const response = await call(`/api/v1/admin/users?email=${query}`, { headers: ADMIN });
    expect(response.status).toBe(200);
    expect(await response.json()).toStrictEqual({
      data: [
        {
          id: setup.account.id,
          email: setup.account.email,
          first_name: 'Grace',
          last_name: 'Climber',
          display_name: 'Grace Climber',
          registered_at: expect.any(String),
        },
      ],
    });
  });

  it('answers an unknown email {"data":[]}, also after the user is erased', async () => {
    const setup = await erasableAccount();
    await call(`/api/v1/admin/users/${setup.account.id}`, { method: 'DELETE', headers: ADMIN });
    const response = await call(`/api/v1/admin/users?email=${setup.account.email}`, {
      headers: ADMIN,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toStrictEqual({ data: [] });
  });

  it.each([
    ['no email', ''],
    ['an empty email', '?email='],
    ['a non-address', '?email=not-an-email'],
    ['an overlong address', `?email=${'a'.repeat(300)}@example.com`],
  ])('answers a lookup with %s 400 validation_error', async (_, query) => {
    const response = await call(`/api/v1/admin/users${query}`, { headers: ADMIN });
    expect(response.status).toBe(400);
    expect(await response.json()).toStrictEqual(
      apiError('validation_error', { details: { email: expect.any(String) } }),
    );
  });

  it.each([
    ['GET', '/api/v1/admin/users?email=a@example.com'],
    ['DELETE', '/api/v1/admin/users/usr_x'],
  ])('answers %s %s without the admin token 401', async (method, path) => {
    const response = await call(path, { method });
    expect(response.status).toBe(401);
    expect(await response.json()).toStrictEqual(apiError('unauthorized'));
  });
});
