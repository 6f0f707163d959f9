/**
 * Hostile input to DELETE /api/v1/profile (issue 11 item 9, spec §17): wrong, missing and
 * malformed passwords, unknown fields, wrong types, cross-site requests and every caller that
 * is not the signed-in session get a clear 4xx and delete nothing; wrong passwords repeated
 * back off like failed logins, per (account, address).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import * as web from '../helpers/browser';
import { type Erasable, cookieHeader, eraseOwn, erasableAccount } from '../helpers/erasure';
import { ADMIN } from '../helpers/webhooks';
import { ORIGIN, apiError, call, serverTiming } from '../helpers/worker';

// Each test signs an account in and hashes passwords with PBKDF2 (100,000 iterations) several
// times, which takes seconds on a loaded machine.
vi.setConfig({ testTimeout: 30_000 });

/** The account still works: a hot cached read, the session, the row itself. */
async function expectIntact(setup: Erasable) {
  const hot = await call(setup.path, { token: setup.tokens[0] });
  expect(hot.status).toBe(200);
  expect(serverTiming(hot).cache).toBe('hit');
  expect((await setup.browser.get('/settings')).status).toBe(200);
  const row = await env.DB.prepare('SELECT id FROM users WHERE id = ?')
    .bind(setup.account.id)
    .first();
  expect(row).toStrictEqual({ id: setup.account.id });
}

const password = (setup: Erasable) => setup.account.password;

/** The optional members each refusal carries (spec §9). */
const EXTRA: Record<string, Record<string, unknown>> = {
  forbidden: { hint: expect.any(String) },
  validation_error: { details: expect.any(Object) },
  invalid_json: { hint: expect.any(String) },
  payload_too_large: {},
  unauthorized: { hint: expect.any(String) },
  invalid_token: {},
};

describe('DELETE /api/v1/profile refuses bad input and deletes nothing', () => {
  it.each([
    ['a wrong password', (s: Erasable) => ({ password: `${password(s)}x` }), 403, 'forbidden'],
    ['a missing password', () => ({}), 403, 'forbidden'],
    ['an empty password', () => ({ password: '' }), 403, 'forbidden'],
    ['an overlong password', () => ({ password: 'p'.repeat(300) }), 403, 'forbidden'],
    ['a number as password', () => ({ password: 12345678 }), 400, 'validation_error'],
    ['null as password', () => ({ password: null }), 400, 'validation_error'],
    [
      'an unknown field',
      (s: Erasable) => ({ password: password(s), also: 1 }),
      400,
      'validation_error',
    ],
    ['an array body', (s: Erasable) => [password(s)], 400, 'validation_error'],
    ['a string body', (s: Erasable) => JSON.stringify(password(s)), 400, 'validation_error'],
    ['malformed JSON', () => '{"password":', 400, 'invalid_json'],
    [
      'duplicate members',
      (s: Erasable) => `{"password":"x","password":"${password(s)}"}`,
      400,
      'invalid_json',
    ],
    ['a huge body', () => ({ password: 'p'.repeat(8000) }), 413, 'payload_too_large'],
  ])('answers %s %s %s', async (_, body, status, errorCode) => {
    const setup = await erasableAccount();
    const response = await eraseOwn(setup.browser, body(setup));
    expect(response.status).toBe(status);
    expect(await response.json()).toStrictEqual(apiError(errorCode, EXTRA[errorCode]));
    await expectIntact(setup);
  });

  it('answers a DELETE with no body at all 403 forbidden', async () => {
    const setup = await erasableAccount();
    const response = await call('/api/v1/profile', {
      method: 'DELETE',
      headers: { Cookie: cookieHeader(setup.browser), Origin: ORIGIN },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toStrictEqual(
      apiError('forbidden', { hint: expect.any(String) }),
    );
    await expectIntact(setup);
  });

  it('answers a body that is not JSON 415 unsupported_media_type', async () => {
    const setup = await erasableAccount();
    const response = await eraseOwn(
      setup.browser,
      { password: password(setup) },
      {
        'Content-Type': 'text/plain',
      },
    );
    expect(response.status).toBe(415);
    await expectIntact(setup);
  });

  it.each([
    ['another Origin', { Origin: 'https://evil.example' }],
    ['Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
    ['Origin: null', { Origin: 'null' }],
  ])('refuses a session request with %s 403 csrf_failed', async (_, headers) => {
    const setup = await erasableAccount();
    const response = await eraseOwn(setup.browser, { password: password(setup) }, headers);
    expect(response.status).toBe(403);
    expect(await response.json()).toStrictEqual(
      apiError('csrf_failed', { hint: expect.any(String) }),
    );
    await expectIntact(setup);
  });
});

describe('only the signed-in session may erase', () => {
  it.each([
    [
      'an app token',
      (s: Erasable) => ({ Authorization: `Bearer ${s.tokens[0]}` }),
      403,
      'forbidden',
    ],
    [
      'a personal key with the account scope',
      (s: Erasable) => ({ Authorization: `Bearer ${s.key.token}` }),
      403,
      'forbidden',
    ],
    ['the admin token (not a token of ours)', () => ADMIN, 401, 'invalid_token'],
    [
      'a malformed bearer token',
      () => ({ Authorization: 'Bearer not-a-jwt' }),
      401,
      'invalid_token',
    ],
    [
      'a session cookie plus a bearer token',
      (s: Erasable) => ({
        Cookie: cookieHeader(s.browser),
        Authorization: `Bearer ${s.key.token}`,
      }),
      403,
      'forbidden',
    ],
    ['nothing', () => ({}), 401, 'unauthorized'],
  ])('answers %s %s %s', async (_, headers, status, errorCode) => {
    const setup = await erasableAccount();
    const response = await call('/api/v1/profile', {
      method: 'DELETE',
      json: { password: password(setup) },
      headers: { Origin: ORIGIN, ...headers(setup) },
    });
    expect(response.status).toBe(status);
    expect(await response.json()).toStrictEqual(apiError(errorCode, EXTRA[errorCode]));
    await expectIntact(setup);
  });

  it('answers a revoked personal key 401 invalid_token, not 403', async () => {
    const setup = await erasableAccount();
    await env.DB.prepare('UPDATE api_keys SET revoked_at = 1 WHERE id = ?')
      .bind(setup.key.id)
      .run();
    const response = await call('/api/v1/profile', {
      method: 'DELETE',
      json: { password: password(setup) },
      headers: { Origin: ORIGIN, Authorization: `Bearer ${setup.key.token}` },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toMatch(/error="invalid_token"/);
    await expectIntact(setup);
  });
});

describe('wrong passwords repeated', () => {
  it('back off per (account, address) like failed logins: 429 with Retry-After, the owner elsewhere still succeeds', async () => {
    const setup = await erasableAccount();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const wrong = await eraseOwn(setup.browser, { password: `wrong-${attempt}` });
      expect(wrong.status).toBe(403);
    }
    const limited = await eraseOwn(setup.browser, { password: password(setup) });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toStrictEqual(apiError('rate_limited'));
    const retryAfter = Number(limited.headers.get('Retry-After'));
    expect(retryAfter).toBeGreaterThanOrEqual(28);
    expect(retryAfter).toBeLessThanOrEqual(30);
    await expectIntact(setup);
    const login = await web.loginAttempt(
      new web.Browser(setup.browser.ip),
      setup.account.email,
      password(setup),
    );
    expect(login.status).toBe(429);
    const elsewhere = await eraseOwn(
      setup.browser,
      { password: password(setup) },
      {
        'CF-Connecting-IP': '203.0.113.77',
      },
    );
    expect(elsewhere.status).toBe(204);
  });
});
