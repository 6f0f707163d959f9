/**
 * spec §15: removing a scope from an application removes it from every existing grant, and
 * tokens fail on scopes they no longer hold, hot cached reads included; adding a scope widens
 * no grant (docs/oauth.md, "Scopes an admin removes").
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { authorizedAppWithHotRead, patchApp, refresh } from '../helpers/admin-applications';
import { basicAuth, obtainCallback, REDIRECT_URI } from '../helpers/oauth-flow';
import { apiError, call, serverTiming } from '../helpers/worker';

function grantOf(userId: string, clientId: string) {
  return env.DB.prepare(
    'SELECT scopes, token_gen FROM authorizations WHERE user_id = ? AND client_id = ?',
  )
    .bind(userId, clientId)
    .first<{ scopes: string; token_gen: number }>();
}

describe('removing a scope', () => {
  it('fails the old token at once on a hot cached read: 401 invalid_token', async () => {
    const { app, accessToken, path } = await authorizedAppWithHotRead();
    const res = await patchApp(app.clientId, { scopes: ['profile', 'data:write'] });
    expect(res.status).toBe(200);
    const read = await call(path, { token: accessToken });
    expect(read.status).toBe(401);
    expect(await read.json()).toStrictEqual(apiError('invalid_token'));
    expect(read.headers.get('WWW-Authenticate')).toContain('error="invalid_token"');
  });

  it('takes it from the grant and the refresh issues the remaining scopes only', async () => {
    const { app, account, refreshToken, path } = await authorizedAppWithHotRead();
    const before = await grantOf(account.id, app.clientId);
    await patchApp(app.clientId, { scopes: ['profile', 'data:write'] });
    const after = await grantOf(account.id, app.clientId);
    expect(JSON.parse(after?.scopes ?? '')).toStrictEqual(['profile', 'data:write']);
    expect(after?.token_gen).toBeGreaterThan(before?.token_gen ?? Infinity);
    const refreshed = await refresh(app, refreshToken);
    expect(refreshed.status).toBe(200);
    const tokens = (await refreshed.json()) as { access_token: string; scope: string };
    expect(tokens.scope).toBe('profile data:write');
    const read = await call(path, { token: tokens.access_token });
    expect(read.status).toBe(403);
    expect(await read.json()).toStrictEqual(apiError('insufficient_scope'));
    expect((await call('/api/v1/profile', { token: tokens.access_token })).status).toBe(200);
  });

  it('fails every access token of a grant that held it, even on a scope it keeps', async () => {
    const { app, accessToken, path } = await authorizedAppWithHotRead();
    await patchApp(app.clientId, { scopes: ['profile', 'data:read'] });
    expect((await call(path, { token: accessToken })).status).toBe(401);
  });

  it('leaves grants that never held it alone: their hot reads stay hot', async () => {
    const { app, accessToken, path } = await authorizedAppWithHotRead();
    await patchApp(app.clientId, { scopes: ['profile', 'data:read', 'data:write'] });
    const read = await call(path, { token: accessToken });
    expect(read.status).toBe(200);
    expect(serverTiming(read)).toStrictEqual({ cache: 'hit', d1: 0 });
  });

  it('revokes a refresh token left with no scope: invalid_grant', async () => {
    const { app, account, refreshToken } = await authorizedAppWithHotRead();
    await patchApp(app.clientId, { scopes: ['metadata.read'] });
    expect(JSON.parse((await grantOf(account.id, app.clientId))?.scopes ?? '')).toStrictEqual([]);
    const refreshed = await refresh(app, refreshToken);
    expect(refreshed.status).toBe(400);
    expect(await refreshed.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('voids an unused code that carries it: the exchange is invalid_grant', async () => {
    const { app, account } = await authorizedAppWithHotRead();
    const { callback, verifier } = await obtainCallback(account, {
      app,
      scopes: ['profile', 'data:read'],
    });
    await patchApp(app.clientId, { scopes: ['profile'] });
    const exchanged = await call('/oauth/token', {
      method: 'POST',
      headers: {
        Authorization: basicAuth(app),
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code') ?? '',
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
      }),
    });
    expect(exchanged.status).toBe(400);
    expect(await exchanged.json()).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('adding a scope', () => {
  it('widens no existing grant and leaves its tokens working', async () => {
    const { app, account, accessToken, path } = await authorizedAppWithHotRead();
    await patchApp(app.clientId, { scopes: ['profile', 'data:read', 'data:write'] });
    const before = await grantOf(account.id, app.clientId);
    const res = await patchApp(app.clientId, {
      scopes: ['profile', 'data:read', 'data:write', 'metadata.read', 'metadata.write'],
    });
    expect(res.status).toBe(200);
    expect(await grantOf(account.id, app.clientId)).toStrictEqual(before);
    expect((await call(path, { token: accessToken })).status).toBe(200);
  });
});
