/**
 * Issue 8 finding 10, signup: at most 10 signups per 60 s per address (spec §15), counted
 * before the password is hashed, by the SIGNUP_LIMIT Rate Limiting binding (no D1 round trip).
 * The limiter's counts outlive a test, so every attempt signs up from addresses of its own.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { Browser, signupAttempt } from '../helpers/browser';
import {
  SPENDING_TIMEOUT_MS,
  expectRefusalFields,
  inOneWindow,
  statusCounts,
} from '../helpers/rate-limits';
import { serverTiming } from '../helpers/worker';

function signup(address: string, email = `s-${crypto.randomUUID()}@example.test`) {
  return signupAttempt(new Browser(address), { email });
}

/** An address in 10.0.0.0/8 no other attempt uses. */
function freshAddress(): string {
  const [a = 0, b = 0, c = 0] = crypto.getRandomValues(new Uint8Array(3));
  return `10.${a}.${b}.${c}`;
}

describe('signup', { timeout: SPENDING_TIMEOUT_MS }, () => {
  it('refuses the 11th signup from one address within a minute with 429 and Retry-After', async () => {
    const email = `s-${crypto.randomUUID()}@example.test`;
    const seen = await inOneWindow(async () => {
      const address = freshAddress();
      const counts = await statusCounts(10, () => signup(address));
      return { counts, refused: await signup(address, email) };
    });
    expect(seen.counts).toStrictEqual({ 303: 10 });
    expect(seen.refused.status).toBe(429);
    expect(await seen.refused.text()).toContain('Too many new accounts from this address.');
    expect(seen.refused.headers.get('RateLimit-Policy')).toBe('"signup";q=10;w=60');
    expectRefusalFields(seen.refused, 'signup');
    const stored = await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(email).first();
    expect(stored).toBeNull();
  });

  it('refuses without touching D1', async () => {
    const refused = await inOneWindow(async () => {
      const address = freshAddress();
      await statusCounts(10, () => signup(address));
      return signup(address);
    });
    expect(refused.status).toBe(429);
    expect(serverTiming(refused).d1).toBe(0);
  });

  it('lets another address sign up meanwhile', async () => {
    const seen = await inOneWindow(async () => {
      const address = freshAddress();
      await statusCounts(11, () => signup(address));
      return {
        spent: (await signup(address)).status,
        other: (await signup(freshAddress())).status,
      };
    });
    expect(seen).toStrictEqual({ spent: 429, other: 303 });
  });

  it('keys an IPv6 caller by its /64, so one subscriber cannot rotate addresses', async () => {
    const seen = await inOneWindow(async () => {
      const prefix = `2001:db8:${freshAddress().split('.').slice(1, 3).join(':')}`;
      const counts = await statusCounts(10, () => signup(`${prefix}::1`));
      return { counts, next: (await signup(`${prefix}:ffff:ffff:ffff:ffff`)).status };
    });
    expect(seen).toStrictEqual({ counts: { 303: 10 }, next: 429 });
  });

  it('counts refused attempts too, so invalid input cannot be used to flood', async () => {
    const seen = await inOneWindow(async () => {
      const address = freshAddress();
      const counts = await statusCounts(10, () => signup(address, 'not-an-email'));
      return { counts, next: (await signup(address)).status };
    });
    expect(seen).toStrictEqual({ counts: { 400: 10 }, next: 429 });
  });
});
