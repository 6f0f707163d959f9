/** /api/v1/profile/authorizations and /export: the user's control over apps (personal key or session). */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createAccount, signedInBrowser } from '../helpers/browser';
import { appToken, createApp, createUser, personalKey } from '../helpers/factories';
import { sampleActivity } from '../helpers/entities';
import { authorizeUrl, obtainTokens } from '../helpers/oauth-flow';
import { ORIGIN, apiError, call } from '../helpers/worker';

async function seedMetadata(userId: string, clientId: string, token: string) {
  await call('/api/v1/profile/app-metadata', { method: 'PUT', token, json: { plan: 'base' } });
  await env.DB.prepare(
    `INSERT INTO metadata_entries (user_id, client_id, key, value, value_bytes, expires_at, created_at, updated_at)
     VALUES (?, ?, 'k1', 'v1', 2, NULL, 1, 1), (?, ?, 'gone', 'x', 1, 1, 1, 1)`,
  )
    .bind(userId, clientId, userId, clientId)
    .run();
}

async function countRows(table: string, userId: string, clientId: string) {
  const row = await env.DB.prepare(
    `SELECT COUNT(*) AS n FROM ${table} WHERE user_id = ? AND client_id = ?`,
  )
    .bind(userId, clientId)
    .first<{ n: number }>();
  return row?.n;
}

describe('listing authorizations', () => {
  it('shows each authorized app with its name and scopes', async () => {
    const user = await createUser();
    const app = await createApp();
    await appToken(user, app, ['profile', 'data:read']);
    const key = await personalKey(user);
    const response = await call('/api/v1/profile/authorizations', { token: key.token });
    expect(response.status).toBe(200);
    expect(await response.json()).toStrictEqual([
      {
        client_id: app.clientId,
        app_name: `Test app ${app.clientId.slice(-4)}`,
        scopes: ['profile', 'data:read'],
        created_at: expect.any(String),
      },
    ]);
  });

  it.each([
    ['an app token', 403, 'app_token_not_allowed'],
    ['no credentials', 401, 'unauthorized'],
  ])('refuses %s', async (name, status, code) => {
    const user = await createUser();
    const token = name === 'an app token' ? await appToken(user, await createApp()) : undefined;
    const response = await call('/api/v1/profile/authorizations', { token });
    expect(response.status).toBe(status);
    expect(await response.json()).toStrictEqual(apiError(code, { hint: expect.any(String) }));
  });
});

describe('revoking an authorization', () => {
  it('ends the app’s tokens, deletes its v1 and v2 metadata and asks consent again', async () => {
    const account = await createAccount();
    const app = await createApp({ confidential: false });
    const { tokens, browser } = await obtainTokens(account, app, ['profile', 'data:write'], false);
    await seedMetadata(account.id, app.clientId, tokens.access_token);
    expect((await call('/api/v1/profile', { token: tokens.access_token })).status).toBe(200);
    const key = await personalKey({ id: account.id, email: account.email });
    const response = await call(`/api/v1/profile/authorizations/${app.clientId}`, {
      method: 'DELETE',
      token: key.token,
    });
    expect(response.status).toBe(204);
    expect((await call('/api/v1/profile', { token: tokens.access_token })).status).toBe(401);
    const refresh = await call('/oauth/token', {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token as string,
        client_id: app.clientId,
      }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(refresh.status).toBe(400);
    expect(await countRows('app_metadata', account.id, app.clientId)).toBe(0);
    expect(await countRows('metadata_entries', account.id, app.clientId)).toBe(0);
    const { path } = await authorizeUrl({ app, scopes: ['profile'] });
    expect((await browser.get(path)).headers.get('Location')).toMatch(/^\/oauth\/consent/);
  });

  it('answers 404 for an app the user never authorized, and leaves others alone', async () => {
    const user = await createUser();
    const mine = await createApp();
    const token = await appToken(user, mine);
    const key = await personalKey(user);
    const response = await call(`/api/v1/profile/authorizations/${(await createApp()).clientId}`, {
      method: 'DELETE',
      token: key.token,
    });
    expect(response.status).toBe(404);
    expect((await call('/api/v1/profile', { token })).status).toBe(200);
  });

  it('with the session needs our Origin (CSRF)', async () => {
    const account = await createAccount();
    const app = await createApp();
    await appToken({ id: account.id, email: account.email }, app);
    const browser = await signedInBrowser(account);
    const path = `/api/v1/profile/authorizations/${app.clientId}`;
    const foreign = await browser.send(path, {
      method: 'DELETE',
      headers: { Origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toStrictEqual(
      apiError('csrf_failed', { hint: expect.any(String) }),
    );
    const missing = await browser.send(path, { method: 'DELETE' });
    expect(missing.status).toBe(403);
    const same = await browser.send(path, { method: 'DELETE', headers: { Origin: ORIGIN } });
    expect(same.status).toBe(204);
  });

  it('by a disabled application’s user still works, and the disabled app’s tokens fail', async () => {
    const user = await createUser();
    const app = await createApp();
    const token = await appToken(user, app);
    await call(`/api/v1/admin/applications/${app.clientId}`, {
      method: 'DELETE',
      headers: { Authorization: 'Bearer test-admin-token-0123456789abcdef' },
    });
    expect((await call('/api/v1/profile', { token })).status).toBe(401);
  });
});

describe('export', () => {
  it('holds the profile, entities, every app’s metadata with names, and the authorizations', async () => {
    const account = await createAccount();
    const user = { id: account.id, email: account.email };
    const app = await createApp();
    const token = await appToken(user, app);
    const created = (await (
      await call('/api/v1/activities', { method: 'POST', token, json: sampleActivity })
    ).json()) as { id: string };
    await seedMetadata(user.id, app.clientId, token);
    const browser = await signedInBrowser(account);
    const response = await browser.get('/api/v1/profile/export');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    const appName = `Test app ${app.clientId.slice(-4)}`;
    expect(Object.keys(body)).toStrictEqual([
      'profile',
      'activities',
      'traces',
      'tests',
      'app_metadata',
      'metadata',
      'authorizations',
    ]);
    expect((body.profile as { id: string }).id).toBe(user.id);
    expect((body.activities as Array<{ id: string }>).map((a) => a.id)).toStrictEqual([created.id]);
    expect(body.app_metadata).toStrictEqual([
      {
        client_id: app.clientId,
        app_name: appName,
        entity_type: 'profile',
        entity_id: user.id,
        document: { plan: 'base' },
      },
    ]);
    expect(body.metadata).toStrictEqual([
      { client_id: app.clientId, app_name: appName, key: 'k1', value: 'v1', expires_at: null },
    ]);
    expect(body.authorizations).toStrictEqual([
      {
        client_id: app.clientId,
        app_name: appName,
        scopes: expect.any(Array),
        created_at: expect.any(String),
      },
    ]);
    expect(JSON.stringify(body)).not.toMatch(/password|secret/);
  });

  it('is refused to app tokens', async () => {
    const user = await createUser();
    const response = await call('/api/v1/profile/export', {
      token: await appToken(user, await createApp()),
    });
    expect(response.status).toBe(403);
  });
});
