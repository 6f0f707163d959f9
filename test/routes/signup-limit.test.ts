/**
 * Issue 8 finding 10, signup: at most 10 signups per 60 s per address (spec §15), counted
 * before the password is hashed.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { Browser, signupAttempt } from '../helpers/browser';

function signup(address: string, email = `s-${crypto.randomUUID()}@example.test`) {
  return signupAttempt(new Browser(address), { email });
}

describe('signup', () => {
  it('refuses the 11th signup from one address within a minute with 429 and Retry-After', async () => {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      expect((await signup('198.51.100.40')).status).toBe(303);
    }
    const email = `s-${crypto.randomUUID()}@example.test`;
    const refused = await signup('198.51.100.40', email);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('Retry-After')).toMatch(/^[1-9][0-9]*$/);
    expect(await refused.text()).toContain('Too many new accounts from this address.');
    const stored = await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(email).first();
    expect(stored).toBeNull();
  });

  it('lets another address sign up meanwhile', async () => {
    for (let attempt = 0; attempt < 11; attempt += 1) await signup('198.51.100.41');
    expect((await signup('198.51.100.42')).status).toBe(303);
  });

  it('counts refused attempts too, so invalid input cannot be used to flood', async () => {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      expect((await signup('198.51.100.43', 'not-an-email')).status).toBe(400);
    }
    expect((await signup('198.51.100.43')).status).toBe(429);
  });
});
