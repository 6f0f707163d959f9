/**
 * Issue 8 finding 7: failed logins are throttled per (account, address) with backoff and per
 * address, never per account alone, so strangers cannot lock the owner out.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { loginWaitSeconds } from '../../src/auth/login-throttle';
import { Browser, createAccount, loginAttempt } from '../helpers/browser';

describe('failed logins', () => {
  it("does not refuse the owner's correct password from a fresh address after 11 addresses failed", async () => {
    const account = await createAccount();
    for (let attempt = 0; attempt < 11; attempt += 1) {
      const failed = await loginAttempt(new Browser(`198.51.100.${attempt}`), account.email, 'x');
      expect(failed.status).toBe(401);
    }
    const owner = await loginAttempt(new Browser('203.0.113.9'), account.email, account.password);
    expect(owner.status).toBe(303);
    expect(owner.headers.get('Location')).toBe('/settings');
  });

  it('backs off one (account, address) after five failures, with Retry-After', async () => {
    const account = await createAccount();
    const address = '198.51.100.200';
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await loginAttempt(new Browser(address), account.email, 'wrong')).status).toBe(401);
    }
    const limited = await loginAttempt(new Browser(address), account.email, account.password);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).toBe('30');
    expect(await limited.text()).toContain('Too many failed attempts');
  });

  it("keeps the owner's other address open while one address is backed off", async () => {
    const account = await createAccount();
    for (let attempt = 0; attempt < 7; attempt += 1) {
      await loginAttempt(new Browser('198.51.100.201'), account.email, 'wrong');
    }
    const owner = await loginAttempt(new Browser('203.0.113.10'), account.email, account.password);
    expect(owner.status).toBe(303);
  });

  it('forgets the pair’s failures after a success', async () => {
    const account = await createAccount();
    const address = '198.51.100.202';
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await loginAttempt(new Browser(address), account.email, 'wrong');
    }
    expect((await loginAttempt(new Browser(address), account.email, account.password)).status).toBe(
      303,
    );
    const rows = await env.DB.prepare(
      "SELECT bucket FROM auth_failures WHERE bucket LIKE 'login:%|198.51.100.202'",
    ).all();
    expect(rows.results).toStrictEqual([]);
  });

  it.each([
    ['an empty email', ''],
    ['a NUL byte', 'a\u0000b@example.test'],
    ['a 10,000-character email', `${'a'.repeat(10_000)}@example.test`],
    ['a lone surrogate', '\ud800@example.test'],
    ['only whitespace', ' \t '],
  ])('answers %s with a clear 401', async (_name, email) => {
    const response = await loginAttempt(new Browser('198.51.100.203'), email, 'whatever');
    expect(response.status).toBe(401);
  });
});

describe('the backoff schedule', () => {
  it.each([
    ['no record', null, 0],
    ['four failures', { failures: 4, lastAt: 1000 }, 0],
    ['five failures, just now', { failures: 5, lastAt: 1000 }, 30],
    ['five failures, 30 s ago', { failures: 5, lastAt: 970 }, 0],
    ['six failures, just now', { failures: 6, lastAt: 1000 }, 60],
    ['eight failures, 100 s ago', { failures: 8, lastAt: 900 }, 140],
    ['forty failures (capped at 15 min)', { failures: 40, lastAt: 1000 }, 900],
  ])('with %s waits the right time', (_name, before, wait) => {
    expect(loginWaitSeconds(before, 1000)).toBe(wait);
  });
});
