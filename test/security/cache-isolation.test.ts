/**
 * The KV cache never serves one principal's entries to another (spec §10, security.md
 * "Isolation"): keys cannot collide, values carry their owner and readers check it, and
 * revoked personal keys are refused on hot reads.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { viewKey } from '../../src/storage/kv-cache';
import { dropPrincipalViews } from '../helpers/revocation';
import { appToken, createApp, createUser, personalKey, userWithApp } from '../helpers/factories';
import { createEntity, metadataPath, putMetadata } from '../helpers/entities';
import { apiError, call, serverTiming } from '../helpers/worker';

async function tokenGen(userId: string, clientId: string): Promise<number> {
  const row = await env.DB.prepare(
    'SELECT token_gen FROM authorizations WHERE user_id = ? AND client_id = ?',
  )
    .bind(userId, clientId)
    .first<{ token_gen: number }>();
  return row?.token_gen as number;
}

async function ownerApp(userId: string): Promise<{ clientId: string }> {
  const row = await env.DB.prepare('SELECT client_id FROM authorizations WHERE user_id = ? LIMIT 1')
    .bind(userId)
    .first<{ client_id: string }>();
  return { clientId: row?.client_id as string };
}

async function hotEntity() {
  const base = await userWithApp();
  const entity = await createEntity(base.token);
  const path = `/api/v1/activities/${entity.id}`;
  await putMetadata(metadataPath('activities', entity.id), base.token, { secret: 'A' });
  await call(path, { token: base.token });
  expect(serverTiming(await call(path, { token: base.token })).cache).toBe('hit');
  return { ...base, entity, path };
}

describe('cache keys', () => {
  it('refuse parts that are not validated ids or scopes', () => {
    expect(() => viewKey('usr/1', 'a.app_1.1', 'activities', 'x')).toThrow();
    expect(() => viewKey('u', 'a.app:1.1', 'traces', 'x')).toThrow();
    expect(() => viewKey('u', 'a.app_1/x.1', 'traces', 'x')).toThrow();
    expect(() => viewKey('u', 'k.key_1', 'tests', '')).toThrow();
  });

  it('differ for every user, scope, generation, kind and id', () => {
    const keys = [
      viewKey('u1', 'a.a1.1', 'activities', 'e1'),
      viewKey('u1', 'a.a1.1', 'traces', 'e1'),
      viewKey('u2', 'a.a1.1', 'activities', 'e1'),
      viewKey('u1', 'a.a1.1', 'activities', 'e2'),
      viewKey('u1', 'a.a2.1', 'activities', 'e1'),
      viewKey('u1', 'a.a1.2', 'activities', 'e1'),
      viewKey('u1', 'k.a1', 'activities', 'e1'),
      viewKey('u1', 'a.a1.1', 'profile', 'u1'),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('hot entries are never served to another principal', () => {
  it('answers another user 404 for a hot entity id', async () => {
    const { path } = await hotEntity();
    const stranger = await userWithApp();
    const res = await call(path, { token: stranger.token });
    expect(res.status).toBe(404);
    expect(await res.json()).toStrictEqual(apiError('not_found'));
  });

  it('answers another app of the same user without the hot document', async () => {
    const { user, path, entity } = await hotEntity();
    const other = await appToken(user, await createApp());
    const res = await call(path, { token: other });
    expect(await res.json()).toStrictEqual(entity);
    expect((await call(`${path}/app-metadata`, { token: other })).status).toBe(404);
  });

  it('answers a personal key of the same user without the hot document', async () => {
    const { user, path, entity } = await hotEntity();
    const key = await personalKey(user, ['data:read']);
    expect(await (await call(path, { token: key.token })).json()).toStrictEqual(entity);
  });

  it('ignores an entry whose recorded owner is not the reader', async () => {
    const { user, entity } = await hotEntity();
    const stranger = await userWithApp();
    // A planted entry under the stranger's key that names the real owner.
    const strangerScope = `a.${stranger.app.clientId}.${await tokenGen(stranger.user.id, stranger.app.clientId)}`;
    const ownerScope = `a.${(await ownerApp(user.id)).clientId}.${await tokenGen(user.id, (await ownerApp(user.id)).clientId)}`;
    await env.CACHE.put(
      viewKey(stranger.user.id, strangerScope, 'activities', entity.id),
      JSON.stringify({
        h: `${user.id}/${ownerScope}/activities/${entity.id}`,
        b: JSON.stringify(entity),
        d: null,
        v: null,
      }),
      { expirationTtl: 60 },
    );
    const res = await call(`/api/v1/activities/${entity.id}`, { token: stranger.token });
    expect(res.status).toBe(404);
  });

  it('ignores a document entry recorded for another application', async () => {
    const { user, app, entity, path } = await hotEntity();
    const second = await createApp();
    const otherToken = await appToken(user, second);
    await call(path, { token: otherToken });
    const gen = await tokenGen(user.id, second.clientId);
    const firstScope = `a.${app.clientId}.${await tokenGen(user.id, app.clientId)}`;
    await env.CACHE.put(
      viewKey(user.id, `a.${second.clientId}.${gen}`, 'activities', entity.id),
      JSON.stringify({
        h: `${user.id}/${firstScope}/activities/${entity.id}`,
        b: JSON.stringify({ ...entity, app_metadata: { x: 1 } }),
        d: '{"x":1}',
        v: 'v',
      }),
      { expirationTtl: 60 },
    );
    const res = await call(path, { token: otherToken });
    expect(await res.json()).toStrictEqual(entity);
  });

  it('treats a corrupt entry as a miss', async () => {
    const { user, app, token, entity, path } = await hotEntity();
    const scope = `a.${app.clientId}.${await tokenGen(user.id, app.clientId)}`;
    await env.CACHE.put(viewKey(user.id, scope, 'activities', entity.id), '{not json', {
      expirationTtl: 60,
    });
    const res = await call(path, { token });
    expect(res.status).toBe(200);
    expect(serverTiming(res).cache).toBe('miss');
  });
});

describe('personal keys on hot reads', () => {
  it('refuses a revoked key with 401 even when its entity is hot', async () => {
    const user = await createUser();
    const app = await createApp();
    const entity = await createEntity(await appToken(user, app));
    const key = await personalKey(user, ['data:read']);
    const path = `/api/v1/activities/${entity.id}`;
    await call(path, { token: key.token });
    expect(serverTiming(await call(path, { token: key.token })).cache).toBe('hit');
    await env.DB.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ?')
      .bind(Math.floor(Date.now() / 1000), key.id)
      .run();
    await dropPrincipalViews(key.id, user.id);
    const res = await call(path, { token: key.token });
    expect(res.status).toBe(401);
    expect(await res.json()).toStrictEqual(apiError('invalid_token'));
  });
});
