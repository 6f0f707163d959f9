/**
 * Issue 8 finding 9: one email normaliser (src/auth/email.ts) on signup, login and admin user
 * creation. Non-ASCII capitals can log in; compatibility twins are the same address.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../src/auth/email';
import { Browser, loginAttempt, signupAttempt } from '../helpers/browser';
import { call } from '../helpers/worker';

const ADMIN = { Authorization: 'Bearer test-admin-token-0123456789abcdef' };
let sequence = 0;

/** A signup from its own address (the signup limit is per address). */
function signup(email: string) {
  sequence += 1;
  return signupAttempt(new Browser(`192.0.2.${100 + sequence}`), { email, first_name: 'Ümit' });
}

function login(email: string) {
  return loginAttempt(new Browser('192.0.2.99'), email, 'correct horse battery');
}

const unique = () => crypto.randomUUID().slice(0, 8);

describe('signup and login with non-ASCII capitals', () => {
  it.each([
    ['an O with diaeresis', (id: string) => `Örjan-${id}@example.test`],
    ['a dotted capital I', (id: string) => `İlkay-${id}@example.test`],
    ['the Kelvin sign', (id: string) => `\u212Aari-${id}@example.test`],
    ['fullwidth letters', (id: string) => `ＡＢ-${id}@example.test`],
  ])('lets an address with %s sign up and log in as typed', async (_name, make) => {
    const email = make(unique());
    expect((await signup(email)).status).toBe(303);
    const response = await login(email);
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/settings');
  });

  it('lets the owner log in with the lowercase form of what they signed up with', async () => {
    const id = unique();
    expect((await signup(`ÖZGE-${id}@EXAMPLE.TEST`)).status).toBe(303);
    expect((await login(`özge-${id}@example.test`)).status).toBe(303);
  });

  it('stores the normalised form', async () => {
    const id = unique();
    await signup(`  \u212Aelvin-${id}@Example.TEST `);
    const row = await env.DB.prepare('SELECT email FROM users WHERE email = ?')
      .bind(`kelvin-${id}@example.test`)
      .first<{ email: string }>();
    expect(row).toStrictEqual({ email: `kelvin-${id}@example.test` });
  });
});

describe('twins', () => {
  it('refuses a Kelvin-sign twin of an ASCII address as a duplicate', async () => {
    const id = unique();
    expect((await signup(`kate-${id}@example.test`)).status).toBe(303);
    const twin = await signup(`\u212Aate-${id}@example.test`);
    expect(twin.status).toBe(400);
    expect(await twin.text()).toContain('An account with this email already exists.');
  });

  it('refuses at signup a Kelvin-sign twin of an address an admin created in capitals', async () => {
    const id = unique();
    const created = await call('/api/v1/admin/users', {
      method: 'POST',
      headers: ADMIN,
      json: { email: `KIM-${id}@EXAMPLE.TEST`, password: 'correct horse battery', first_name: 'K' },
    });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { email: string }).email).toBe(`kim-${id}@example.test`);
    const twin = await signup(`\u212Aim-${id}@example.test`);
    expect(twin.status).toBe(400);
    expect((await login(`\u212AIM-${id}@example.test`)).status).toBe(303);
  });
});

describe('the normaliser', () => {
  it.each([
    ['trims and lowercases ASCII', '  Ada@Example.TEST ', 'ada@example.test'],
    ['folds the Kelvin sign to k', '\u212A@x.test', 'k@x.test'],
    ['lowercases Ö', 'Ö@x.test', 'ö@x.test'],
    ['maps fullwidth to ASCII', 'ＡＢ@x.test', 'ab@x.test'],
    ['lowercases dotted İ to i and a combining dot', 'İ@x.test', 'i\u0307@x.test'],
    ['composes decomposed letters', 'O\u0308@x.test', 'ö@x.test'],
  ])('%s', (_name, raw, expected) => {
    expect(normalizeEmail(raw)).toBe(expected);
  });
});
