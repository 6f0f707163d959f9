/**
 * spec §15 "Application lifecycle", §17 "Lifecycle shapes": PATCH of an application (name,
 * redirect URIs, rate-limit tier, enabled) and client-secret rotation. Scope changes:
 * admin-lifecycle-scopes.test.ts; purge: admin-purge.test.ts; hostile input:
 * test/security/admin-lifecycle-input.test.ts.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetCorsOrigins } from '../../src/http/cors';
import { sha256 } from '../../src/ids';
import { tierKey } from '../../src/storage/kv-cache';
import {
  adminCall,
  applicationPath,
  applicationRow,
  authorizedAppWithHotRead,
  patchApp,
  refresh,
} from '../helpers/admin-applications';
import { change, changesOf } from '../helpers/changes';
import { createApp } from '../helpers/factories';
import { obtainTokens } from '../helpers/oauth-flow';
import { apiError, call } from '../helpers/worker';

const anyString = expect.any(String) as unknown as string;

/** The application as PATCH answers it (spec §17: the list item's shape, no secret). */
const listed = (clientId: string, extra: Record<string, unknown> = {}) => ({
  client_id: clientId,
  name: expect.stringMatching(/^Test app /) as unknown as string,
  redirect_uris: ['https://app.example.test/callback'],
  confidential: true,
  scopes: ['profile', 'data:read', 'data:write', 'metadata.read', 'metadata.write'],
  rate_limit_tier: 'standard',
  created_at: anyString,
  disabled_at: null,
  ...extra,
});

beforeEach(() => resetCorsOrigins());

describe('PATCH /api/v1/admin/applications/{client_id}', () => {
  it('renames an application: 200 with the application and no secret', async () => {
    const app = await createApp();
    const res = await patchApp(app.clientId, { name: 'Renamed coach' });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(await res.json()).toStrictEqual(listed(app.clientId, { name: 'Renamed coach' }));
    expect((await applicationRow(app.clientId))?.name).toBe('Renamed coach');
  });

  it('answers an empty object with the application, changing nothing', async () => {
    const app = await createApp();
    const before = await applicationRow(app.clientId);
    const res = await patchApp(app.clientId, {});
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual(listed(app.clientId));
    expect(await applicationRow(app.clientId)).toStrictEqual(before);
  });

  it('also takes the body as application/merge-patch+json', async () => {
    const app = await createApp();
    const res = await call(applicationPath(app.clientId), {
      method: 'PATCH',
      body: JSON.stringify({ name: 'Merged' }),
      headers: {
        'Content-Type': 'application/merge-patch+json',
        Authorization: `Bearer ${env.ADMIN_TOKEN}`,
      },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual(listed(app.clientId, { name: 'Merged' }));
  });

  it.each(['app_unknown', 'not%20an%20id'])('answers the unknown %s 404', async (id) => {
    const res = await patchApp(id, { name: 'x' });
    expect(res.status).toBe(404);
    expect(await res.json()).toStrictEqual(apiError('not_found'));
  });

  it('sets the rate-limit tier in D1 and publishes it to KV', async () => {
    const app = await createApp();
    const res = await patchApp(app.clientId, { rate_limit_tier: 'high' });
    expect(await res.json()).toStrictEqual(listed(app.clientId, { rate_limit_tier: 'high' }));
    expect((await applicationRow(app.clientId))?.rate_limit_tier).toBe('high');
    expect(await env.CACHE.get(tierKey(app.clientId), 'json')).toBe('high');
  });

  it('replaces the redirect URIs: the new origin is allowed at once, the old one no longer', async () => {
    const app = await createApp({ confidential: false });
    const origin = (name: string) => `https://${name}-${app.clientId.slice(-6).toLowerCase()}.test`;
    const allowed = async (name: string) => {
      const res = await call('/oauth/token', {
        method: 'OPTIONS',
        headers: { Origin: origin(name), 'Access-Control-Request-Method': 'POST' },
      });
      return res.headers.get('Access-Control-Allow-Origin') === origin(name);
    };
    await patchApp(app.clientId, { redirect_uris: [`${origin('first')}/cb`] });
    expect(await allowed('first')).toBe(true);
    const res = await patchApp(app.clientId, { redirect_uris: [`${origin('moved')}/cb`] });
    expect(await res.json()).toStrictEqual(
      listed(app.clientId, { confidential: false, redirect_uris: [`${origin('moved')}/cb`] }),
    );
    expect(await allowed('moved')).toBe(true);
    expect(await allowed('first')).toBe(false);
  });
});

describe('enabled', () => {
  it('false disables like DELETE: tokens fail at once, hot reads included, and users are told', async () => {
    const { app, account, accessToken, path } = await authorizedAppWithHotRead();
    const res = await patchApp(app.clientId, { enabled: false });
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual(listed(app.clientId, { disabled_at: anyString }));
    const read = await call(path, { token: accessToken });
    expect(read.status).toBe(401);
    expect(await read.json()).toStrictEqual(apiError('invalid_token'));
    expect((await changesOf(account.id)).at(-1)).toStrictEqual(
      change(app.clientId, 'authorization.revoked'),
    );
  });

  it('true re-enables, and nothing issued before the disable works again', async () => {
    const { app, account, accessToken, refreshToken, path } = await authorizedAppWithHotRead();
    await patchApp(app.clientId, { enabled: false });
    const res = await patchApp(app.clientId, { enabled: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual(listed(app.clientId));
    expect((await call(path, { token: accessToken })).status).toBe(401);
    const refreshed = await refresh(app, refreshToken);
    expect(refreshed.status).toBe(400);
    expect(await refreshed.json()).toMatchObject({ error: 'invalid_grant' });
    const { tokens } = await obtainTokens(account, app, ['profile', 'data:read'], true);
    expect((await call(path, { token: tokens.access_token })).status).toBe(200);
  });

  it('false twice records the revocation once', async () => {
    const { app, account } = await authorizedAppWithHotRead();
    await patchApp(app.clientId, { enabled: false });
    await patchApp(app.clientId, { enabled: false });
    const revoked = (await changesOf(account.id)).filter((c) => c.type === 'authorization.revoked');
    expect(revoked).toHaveLength(1);
  });
});

describe('POST /api/v1/admin/applications/{client_id}/secret', () => {
  const rotate = (clientId: string) =>
    adminCall(`${applicationPath(clientId)}/secret`, { method: 'POST' });

  it('answers 200 with the new secret, stored hashed and not cached', async () => {
    const app = await createApp();
    const res = await rotate(app.clientId);
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const body = (await res.json()) as { client_secret: string };
    expect(body).toStrictEqual({ client_id: app.clientId, client_secret: anyString });
    expect(body.client_secret.length).toBeGreaterThanOrEqual(32);
    expect((await applicationRow(app.clientId))?.secret_hash).toBe(
      await sha256(body.client_secret),
    );
  });

  it('stops the old secret at once (401 invalid_client) and the new one works', async () => {
    const { app, refreshToken } = await authorizedAppWithHotRead();
    const { client_secret: secret } = (await (await rotate(app.clientId)).json()) as {
      client_secret: string;
    };
    const old = await refresh(app, refreshToken);
    expect(old.status).toBe(401);
    expect(await old.json()).toMatchObject({ error: 'invalid_client' });
    const fresh = await refresh(app, refreshToken, true, secret);
    expect(fresh.status).toBe(200);
  });

  it('refuses a public client 409 conflict: it has no secret', async () => {
    const app = await createApp({ confidential: false });
    const before = await applicationRow(app.clientId);
    const res = await rotate(app.clientId);
    expect(res.status).toBe(409);
    expect(await res.json()).toStrictEqual(apiError('conflict', { hint: anyString }));
    expect(await applicationRow(app.clientId)).toStrictEqual(before);
  });

  it.each(['app_unknown', 'not%20an%20id'])('answers the unknown %s 404', async (id) => {
    const res = await rotate(id);
    expect(res.status).toBe(404);
    expect(await res.json()).toStrictEqual(apiError('not_found'));
  });
});
