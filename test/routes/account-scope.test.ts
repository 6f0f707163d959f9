/**
 * spec §11: with a personal key, revoking an authorization, creating or revoking a key and the
 * export need `account`; listing needs `profile`; a session needs none; `account` exists only
 * for personal keys (issue: a profile-only key could revoke apps and other keys).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { loadKeySet, signAppAccessToken } from '../../src/auth/tokens';
import { appToken, createApp, createUser, ISSUER, personalKey } from '../helpers/factories';
import { apiError, call } from '../helpers/worker';

async function keyHolding(scopes: Parameters<typeof personalKey>[1]) {
  const user = await createUser();
  const app = await createApp();
  await appToken(user, app);
  const other = await personalKey(user);
  const key = await personalKey(user, scopes);
  return { user, app, other, key };
}

describe('the account scope', () => {
  it.each([
    [
      'DELETE',
      (ctx: { app: { clientId: string } }) => `/api/v1/profile/authorizations/${ctx.app.clientId}`,
      undefined,
    ],
    ['POST', () => '/api/v1/profile/api-keys', { name: 'child', scopes: ['profile'] }],
    [
      'DELETE',
      (ctx: { other: { id: string } }) => `/api/v1/profile/api-keys/${ctx.other.id}`,
      undefined,
    ],
    ['GET', () => '/api/v1/profile/export', undefined],
  ] as const)('is required by %s with a profile-only key', async (method, path, json) => {
    const ctx = await keyHolding(['profile', 'data:read', 'data:write']);
    const response = await call(path(ctx as never), { method, token: ctx.key.token, json });
    expect(response.status).toBe(403);
    expect(await response.json()).toStrictEqual(apiError('insufficient_scope'));
    expect(response.headers.get('WWW-Authenticate')).toContain('scope="account"');
  });

  it('lets a profile-only key list authorizations and keys', async () => {
    const { key } = await keyHolding(['profile']);
    for (const path of ['/api/v1/profile/authorizations', '/api/v1/profile/api-keys']) {
      expect((await call(path, { token: key.token })).status).toBe(200);
    }
  });

  it('refuses listing to a key without profile', async () => {
    const { key } = await keyHolding(['account']);
    const response = await call('/api/v1/profile/api-keys', { token: key.token });
    expect(response.status).toBe(403);
    expect(await response.json()).toStrictEqual(apiError('insufficient_scope'));
  });

  it('lets a key holding account revoke an application', async () => {
    const { app, key } = await keyHolding(['account']);
    const response = await call(`/api/v1/profile/authorizations/${app.clientId}`, {
      method: 'DELETE',
      token: key.token,
    });
    expect(response.status).toBe(204);
  });

  it('cannot be allowed to an application by the admin', async () => {
    const response = await call('/api/v1/admin/applications', {
      method: 'POST',
      headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}` },
      json: {
        name: 'Greedy',
        redirect_uris: ['https://greedy.example/cb'],
        confidential: true,
        scopes: ['profile', 'account'],
      },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toStrictEqual(
      apiError('validation_error', { details: { 'scopes.1': expect.any(String) } }),
    );
  });

  it('makes an app token that carries it invalid', async () => {
    const user = await createUser();
    const app = await createApp();
    await appToken(user, app);
    const keys = await loadKeySet(env.SIGNING_KEYS);
    const { token } = await signAppAccessToken(keys, {
      issuer: ISSUER,
      userId: user.id,
      clientId: app.clientId,
      scopes: ['profile', 'account'] as never,
      gen: 1,
      now: Math.floor(Date.now() / 1000),
    });
    const response = await call('/api/v1/profile', { token });
    expect(response.status).toBe(401);
    expect(await response.json()).toStrictEqual(apiError('invalid_token'));
  });
});
