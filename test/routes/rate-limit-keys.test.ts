/**
 * Which budget each caller spends (spec §15), seen through doubles of the Rate Limiting
 * bindings that record every call: the binding (the tier) and the key (the caller), and that
 * callers without a limit make no limiter call at all.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { recordingLimiters } from '../helpers/bindings';
import { createAccount, signedInBrowser } from '../helpers/browser';
import { appToken, createApp, createUser, personalKey } from '../helpers/factories';
import { expectApiRefusal } from '../helpers/rate-limits';
import { call } from '../helpers/worker';

describe('the budget a token spends', () => {
  it.each([
    ['a standard application', 'standard', 'API_LIMIT_STANDARD'],
    ['a high-tier application', 'high', 'API_LIMIT_HIGH'],
  ] as const)('keys an app token of %s by (application, user)', async (_, tier, binding) => {
    const user = await createUser();
    const app = await createApp({ rateLimitTier: tier });
    const { bindings, calls } = recordingLimiters('allow');
    const response = await call('/api/v1/profile', { token: await appToken(user, app), bindings });
    expect(response.status).toBe(200);
    expect(calls).toStrictEqual([{ binding, key: `${app.clientId}|${user.id}` }]);
  });

  it('keys a personal key by its key id', async () => {
    const key = await personalKey(await createUser());
    const { bindings, calls } = recordingLimiters('allow');
    expect((await call('/api/v1/profile', { token: key.token, bindings })).status).toBe(200);
    expect(calls).toStrictEqual([{ binding: 'PERSONAL_KEY_LIMIT', key: key.id }]);
  });

  it('refuses a personal key over its budget with 429 and its own policy', async () => {
    const key = await personalKey(await createUser());
    const { bindings } = recordingLimiters('refuse');
    const refused = await call('/api/v1/profile', { token: key.token, bindings });
    await expectApiRefusal(refused, 'personal-key', 3000);
  });

  it('lets requests through when the rate-limit service fails, still naming the policy', async () => {
    const user = await createUser();
    const token = await appToken(user, await createApp());
    const { bindings, calls } = recordingLimiters('throw');
    const response = await call('/api/v1/profile', { token, bindings });
    expect(response.status).toBe(200);
    expect(calls).toHaveLength(1);
    expect(response.headers.get('RateLimit-Policy')).toBe('"standard";q=300;w=60');
  });
});

describe('one request, one count', () => {
  it.each([
    ['GET', '/api/v1/activities'],
    ['GET', '/api/v1/profile/app-metadata'],
    ['GET', '/api/v2/metadata'],
    ['GET', '/api/v1/changes'],
    ['POST', '/api/v1/activities/app-metadata/batch-get'],
  ])('%s %s spends the budget once', async (method, path) => {
    const user = await createUser();
    const app = await createApp();
    const { bindings, calls } = recordingLimiters('allow');
    const json = method === 'POST' ? { ids: [] } : undefined;
    await call(path, { method, token: await appToken(user, app), json, bindings });
    expect(calls).toStrictEqual([
      { binding: 'API_LIMIT_STANDARD', key: `${app.clientId}|${user.id}` },
    ]);
  });

  it('counts a personal key once on the endpoints for the user alone', async () => {
    const key = await personalKey(await createUser());
    const { bindings, calls } = recordingLimiters('allow');
    const response = await call('/api/v1/profile/authorizations', { token: key.token, bindings });
    expect(response.status).toBe(200);
    expect(calls).toStrictEqual([{ binding: 'PERSONAL_KEY_LIMIT', key: key.id }]);
  });
});

describe('callers without a limit make no limiter call', () => {
  it.each([
    [
      'an unlimited application’s token',
      async () => {
        const app = await createApp({ rateLimitTier: 'unlimited' });
        return { path: '/api/v1/profile', token: await appToken(await createUser(), app) };
      },
    ],
    [
      'the admin token',
      async () => ({ path: '/api/v1/admin/applications', token: env.ADMIN_TOKEN }),
    ],
    ['an invalid token (refused first)', async () => ({ path: '/api/v1/profile', token: 'x.y.z' })],
  ])('%s', async (_, caller) => {
    const { path, token } = await caller();
    const { bindings, calls } = recordingLimiters('refuse');
    const response = await call(path, { token, bindings });
    expect(response.status).not.toBe(429);
    expect(calls).toStrictEqual([]);
    expect(response.headers.get('RateLimit-Policy')).toBeNull();
  });

  it('the signed-in session of /settings (first-party, not application traffic)', async () => {
    const browser = await signedInBrowser(await createAccount());
    const { bindings, calls } = recordingLimiters('refuse');
    const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await call('/api/v1/profile/authorizations', {
      headers: { Cookie: cookie },
      bindings,
    });
    expect(response.status).toBe(200);
    expect(calls).toStrictEqual([]);
  });
});
