/** /api/v1/profile/api-keys: personal keys are created once-shown, listed, revoked, and refused by metadata endpoints. */
import { describe, expect, it } from 'vitest';
import { createAccount, signedInBrowser } from '../helpers/browser';
import { appToken, createApp, createUser, personalKey } from '../helpers/factories';
import { ORIGIN, apiError, call } from '../helpers/worker';

const inAMonth = new Date((Math.floor(Date.now() / 1000) + 30 * 86400) * 1000)
  .toISOString()
  .replace('.000Z', 'Z');

describe('personal API keys', () => {
  it('are created with the chosen scopes and shown once', async () => {
    const user = await createUser();
    const { token } = await personalKey(user);
    const response = await call('/api/v1/profile/api-keys', {
      method: 'POST',
      token,
      json: { name: 'script', scopes: ['data:read'], expires_at: inAMonth },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const body = (await response.json()) as { id: string; token: string };
    expect(body).toStrictEqual({
      id: expect.any(String),
      name: 'script',
      token: expect.any(String),
      scopes: ['data:read'],
      created_at: expect.any(String),
      expires_at: inAMonth,
    });
    expect((await call('/api/v1/activities', { token: body.token })).status).toBe(200);
    expect((await call('/api/v1/profile', { token: body.token })).status).toBe(403);
    const list = (await (await call('/api/v1/profile/api-keys', { token })).json()) as Array<
      Record<string, unknown>
    >;
    expect(list.find((item) => item.id === body.id)).toStrictEqual({
      id: body.id,
      name: 'script',
      scopes: ['data:read'],
      created_at: expect.any(String),
      expires_at: inAMonth,
    });
    expect(JSON.stringify(list)).not.toContain(body.token);
  });

  it('are created from the session with an Origin check', async () => {
    const account = await createAccount();
    const browser = await signedInBrowser(account);
    const send = (origin: string) =>
      browser.send('/api/v1/profile/api-keys', {
        method: 'POST',
        body: JSON.stringify({ name: 'k', scopes: ['profile'] }),
        headers: { 'Content-Type': 'application/json', Origin: origin },
      });
    expect((await send('https://evil.example')).status).toBe(403);
    const created = await send(ORIGIN);
    expect(created.status).toBe(201);
    expect(((await created.json()) as { expires_at: unknown }).expires_at).toBeNull();
  });

  it('stop working at once when revoked', async () => {
    const user = await createUser();
    const key = await personalKey(user);
    expect((await call('/api/v1/activities', { token: key.token })).status).toBe(200);
    const response = await call(`/api/v1/profile/api-keys/${key.id}`, {
      method: 'DELETE',
      token: key.token,
    });
    expect(response.status).toBe(204);
    expect((await call('/api/v1/activities', { token: key.token })).status).toBe(401);
  });

  it.each([
    ['no name', { scopes: ['profile'] }],
    ['no scopes', { name: 'x', scopes: [] }],
    ['an unknown scope', { name: 'x', scopes: ['admin'] }],
    ['a past expiry', { name: 'x', scopes: ['profile'], expires_at: '2001-01-01T00:00:00Z' }],
  ])('refuse %s with 400 validation_error', async (_name, json) => {
    const user = await createUser();
    const { token } = await personalKey(user);
    const response = await call('/api/v1/profile/api-keys', { method: 'POST', token, json });
    expect(response.status).toBe(400);
    expect(await response.json()).toStrictEqual(
      apiError('validation_error', { details: expect.any(Object) }),
    );
  });

  it('cannot mint a key with scopes the calling key lacks', async () => {
    const user = await createUser();
    const { token } = await personalKey(user, ['data:read']);
    const response = await call('/api/v1/profile/api-keys', {
      method: 'POST',
      token,
      json: { name: 'x', scopes: ['data:write'] },
    });
    expect(response.status).toBe(403);
  });

  it('cannot revoke another user’s key', async () => {
    const owner = await createUser();
    const other = await createUser();
    const key = await personalKey(owner);
    const response = await call(`/api/v1/profile/api-keys/${key.id}`, {
      method: 'DELETE',
      token: (await personalKey(other)).token,
    });
    expect(response.status).toBe(404);
    expect((await call('/api/v1/activities', { token: key.token })).status).toBe(200);
  });

  it.each([['/api/v1/profile/app-metadata'], ['/api/v2/metadata']])(
    'are refused by %s with 403 app_token_required (when the endpoint exists)',
    async (path) => {
      const user = await createUser();
      const { token } = await personalKey(user);
      const response = await call(path, { token });
      if (response.status === 404) return; // v2 is built on another branch
      expect(response.status).toBe(403);
      expect(await response.json()).toStrictEqual(
        apiError('app_token_required', { hint: expect.any(String) }),
      );
    },
  );

  it('endpoints refuse app tokens with 403 app_token_not_allowed', async () => {
    const user = await createUser();
    const token = await appToken(user, await createApp());
    const response = await call('/api/v1/profile/api-keys', {
      method: 'POST',
      token,
      json: { name: 'x', scopes: ['profile'] },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toStrictEqual(
      apiError('app_token_not_allowed', { hint: expect.any(String) }),
    );
  });
});

describe('the OpenAPI document', () => {
  it('describes the user endpoints', async () => {
    const document = (await (await call('/openapi.json')).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/profile/authorizations',
        '/api/v1/profile/authorizations/{client_id}',
        '/api/v1/profile/api-keys',
        '/api/v1/profile/api-keys/{id}',
        '/api/v1/profile/export',
      ]),
    );
  });
});
