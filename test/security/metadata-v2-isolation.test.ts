/**
 * v2 metadata isolation and access (spec §2, §5, §11; OWASP API1/API3): entries are private to
 * (user, application); personal keys are refused before scopes; scopes are per method; revoked
 * grants and disabled applications can neither read nor write.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../src/auth/scopes';
import { appToken, createApp, createUser, personalKey, userWithApp } from '../helpers/factories';
import { apiError, call } from '../helpers/worker';

const BASE = '/api/v2/metadata';

function put(token: string, key: string, value: string) {
  return call(`${BASE}/${key}`, { method: 'PUT', token, json: { value } });
}

const endpoints: Array<{ name: string; method: string; path: string; json?: unknown }> = [
  { name: 'GET list', method: 'GET', path: BASE },
  { name: 'GET one', method: 'GET', path: `${BASE}/k` },
  { name: 'PUT', method: 'PUT', path: `${BASE}/k`, json: { value: 'v' } },
  { name: 'DELETE', method: 'DELETE', path: `${BASE}/k` },
];

describe('isolation', () => {
  let owner: string;
  let otherApp: string;
  let otherUser: string;

  beforeAll(async () => {
    const { user, app, token } = await userWithApp();
    owner = token;
    otherApp = await appToken(user, await createApp());
    otherUser = await appToken(await createUser(), app);
    await put(owner, 'private', 'owner-only');
  });

  it.each([
    ['another application of the same user', () => otherApp],
    ['the same application for another user', () => otherUser],
  ])('%s sees an empty list', async (_name, token) => {
    expect(await (await call(BASE, { token: token() })).json()).toStrictEqual({ data: [] });
  });

  it.each([
    ['another application of the same user', () => otherApp],
    ['the same application for another user', () => otherUser],
  ])('%s gets 404 on GET and DELETE of the key', async (_name, token) => {
    const get = await call(`${BASE}/private`, { token: token() });
    expect(get.status).toBe(404);
    expect(await get.json()).toStrictEqual(apiError('not_found'));
    const del = await call(`${BASE}/private`, { method: 'DELETE', token: token() });
    expect(del.status).toBe(404);
  });

  it.each([
    ['another application of the same user', () => otherApp],
    ['the same application for another user', () => otherUser],
  ])(
    '%s creates its own entry under the same key (201) without touching the owner’s',
    async (_name, token) => {
      expect((await put(token(), 'private', 'theirs')).status).toBe(201);
      expect(await (await call(`${BASE}/private`, { token: owner })).json()).toStrictEqual({
        key: 'private',
        value: 'owner-only',
        expires_at: null,
      });
    },
  );
});

describe('personal API keys', () => {
  it.each(endpoints)('$name answers 403 app_token_required, even with every scope', async (e) => {
    const user = await createUser();
    const { token } = await personalKey(user);
    const res = await call(e.path, { method: e.method, token, json: e.json });
    expect(res.status).toBe(403);
    expect(await res.json()).toStrictEqual(
      apiError('app_token_required', { hint: expect.any(String) }),
    );
  });

  it.each(endpoints)('$name answers app_token_required before looking at scopes', async (e) => {
    const user = await createUser();
    const { token } = await personalKey(user, ['profile']);
    const res = await call(e.path, { method: e.method, token, json: e.json });
    expect(((await res.json()) as { errorCode: string }).errorCode).toBe('app_token_required');
  });
});

describe('authentication', () => {
  it.each(endpoints)(
    '$name answers 401 with a bare Bearer challenge without a token',
    async (e) => {
      const res = await call(e.path, { method: e.method, json: e.json });
      expect(res.status).toBe(401);
      expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="appmeta"');
      expect(await res.json()).toStrictEqual(
        apiError('unauthorized', { hint: expect.any(String) }),
      );
    },
  );

  it.each(endpoints)('$name answers 401 invalid_token for a garbage token', async (e) => {
    const res = await call(e.path, { method: e.method, token: 'not.a.jwt', json: e.json });
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toContain('error="invalid_token"');
  });

  it.each(endpoints)('$name answers 401 once the grant is revoked', async (e) => {
    const { user, app, token } = await userWithApp();
    await env.DB.prepare(
      `UPDATE authorizations SET token_gen = token_gen + 1 WHERE user_id = ? AND client_id = ?`,
    )
      .bind(user.id, app.clientId)
      .run();
    const res = await call(e.path, { method: e.method, token, json: e.json });
    expect(res.status).toBe(401);
    expect(await res.json()).toStrictEqual(apiError('invalid_token'));
  });

  it('writes nothing with a revoked grant', async () => {
    const { user, app, token } = await userWithApp();
    await env.DB.prepare(`DELETE FROM authorizations WHERE user_id = ? AND client_id = ?`)
      .bind(user.id, app.clientId)
      .run();
    expect((await put(token, 'ghost', 'v')).status).toBe(401);
    const row = await env.DB.prepare(`SELECT count(*) AS n FROM metadata_entries WHERE user_id = ?`)
      .bind(user.id)
      .first<{ n: number }>();
    expect(row?.n).toBe(0);
  });

  it('refuses a disabled application with 401', async () => {
    const { app, token } = await userWithApp();
    await env.DB.prepare(`UPDATE applications SET disabled_at = 1 WHERE client_id = ?`)
      .bind(app.clientId)
      .run();
    expect((await call(BASE, { token })).status).toBe(401);
  });
});

describe('scopes', () => {
  const cases: Array<{
    name: string;
    method: string;
    path: string;
    json?: unknown;
    held: Scope[];
    needed: string;
  }> = [
    { ...endpoints[0]!, held: ['metadata.write'], needed: 'metadata.read' },
    { ...endpoints[1]!, held: ['metadata.write'], needed: 'metadata.read' },
    { ...endpoints[2]!, held: ['metadata.read'], needed: 'metadata.write' },
    { ...endpoints[3]!, held: ['metadata.read'], needed: 'metadata.write' },
    { ...endpoints[0]!, held: ['data:read', 'profile'], needed: 'metadata.read' },
    { ...endpoints[2]!, held: ['data:write'], needed: 'metadata.write' },
  ];

  it.each(cases)(
    '$name with only $held answers 403 insufficient_scope naming $needed',
    async (c) => {
      const user = await createUser();
      const token = await appToken(user, await createApp(), c.held);
      const res = await call(c.path, { method: c.method, token, json: c.json });
      expect(res.status).toBe(403);
      expect(res.headers.get('WWW-Authenticate')).toContain(`scope="${c.needed}"`);
      expect(await res.json()).toStrictEqual(apiError('insufficient_scope'));
    },
  );

  it('metadata.read alone reads, metadata.write alone writes', async () => {
    const user = await createUser();
    const app = await createApp();
    const writer = await appToken(user, app, ['metadata.write']);
    expect((await put(writer, 'split', 'v')).status).toBe(201);
    const reader = await appToken(user, app, ['metadata.read']);
    expect((await call(`${BASE}/split`, { token: reader })).status).toBe(200);
  });
});

describe('OpenAPI document', () => {
  it('describes the v2 endpoints', async () => {
    const doc = (await (await call('/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths[BASE] ?? {})).toStrictEqual(['get']);
    expect(Object.keys(doc.paths[`${BASE}/{key}`] ?? {}).sort()).toStrictEqual([
      'delete',
      'get',
      'put',
    ]);
  });
});
