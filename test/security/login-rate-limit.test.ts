/**
 * Login rate limiting under concurrency: the limit counts attempts atomically, so guesses sent
 * in parallel cannot all pass the check before any failure is recorded (security.md
 * "Repeated failed logins ... are rate limited").
 */
import { describe, expect, it } from 'vitest';
import { Browser, createAccount, hiddenValue } from '../helpers/browser';

async function preparedAttempt(ip: string, email: string, password: string) {
  const browser = new Browser(ip);
  const page = await (await browser.get('/login')).text();
  const csrf = hiddenValue(page, 'csrf');
  return () => browser.post('/login', { csrf, email, password });
}

describe('login rate limiting', () => {
  // Issue 8 finding 7: the limit is per (account, address), never per account alone.
  it('lets at most 5 of 25 parallel wrong guesses for one account from one address be checked', async () => {
    const account = await createAccount();
    const attempts = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        preparedAttempt('198.51.100.150', account.email, `no-${i}`),
      ),
    );
    const statuses = (await Promise.all(attempts.map((attempt) => attempt()))).map((r) => r.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(20);
  });

  it('lets at most 50 of 60 parallel wrong guesses from one IP be checked', async () => {
    const accounts = await Promise.all(Array.from({ length: 6 }, () => createAccount()));
    const attempts = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        preparedAttempt('203.0.113.77', (accounts[i % 6] as { email: string }).email, `no-${i}`),
      ),
    );
    const statuses = (await Promise.all(attempts.map((attempt) => attempt()))).map((r) => r.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(50);
  });

  it('still signs in a user whose earlier attempts were below the limit', async () => {
    const account = await createAccount();
    for (let i = 0; i < 3; i += 1) {
      await (
        await preparedAttempt('192.0.2.50', account.email, 'wrong')
      )();
    }
    const ok = await (await preparedAttempt('192.0.2.50', account.email, account.password))();
    expect(ok.status).toBe(303);
  });
});
