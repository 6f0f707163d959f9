/**
 * The KV cache never serves one principal's entries to another (spec §10, security.md
 * "Isolation"): keys cannot collide, values carry their owner and readers check it, and
 * revoked personal keys are refused on hot reads.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { cacheKeys } from '../../src/storage/kv-cache';
import { revokedStatus } from '../../src/storage/principal-status';
import { Cache } from '../../src/storage/kv-cache';
import { appToken, createApp, createUser, personalKey, userWithApp } from '../helpers/factories';
import { createEntity, metadataPath, putMetadata } from '../helpers/entities';
import { apiError, call, serverTiming } from '../helpers/worker';

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
  it('refuse parts that are not validated ids', () => {
    expect(() => cacheKeys.entity('activities', 'usr/1', 'x')).toThrow();
    expect(() => cacheKeys.document('traces', 'u', 'a:b', 1, 'x')).toThrow();
    expect(() => cacheKeys.grant('u', '')).toThrow();
  });

  it('differ for every kind, user, app, generation and id', () => {
    const keys = [
      cacheKeys.entity('activities', 'u1', 'e1'),
      cacheKeys.entity('traces', 'u1', 'e1'),
      cacheKeys.entity('activities', 'u2', 'e1'),
      cacheKeys.entity('activities', 'u1', 'e2'),
      cacheKeys.document('activities', 'u1', 'a1', 1, 'e1'),
      cacheKeys.document('activities', 'u1', 'a2', 1, 'e1'),
      cacheKeys.document('activities', 'u1', 'a1', 2, 'e1'),
      cacheKeys.document('profile', 'u1', 'a1', 1, 'u1'),
      cacheKeys.grant('u1', 'a1'),
      cacheKeys.application('a1'),
      cacheKeys.personalKey('a1'),
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
    await env.CACHE.put(
      cacheKeys.entity('activities', stranger.user.id, entity.id),
      JSON.stringify({ o: user.id, t: 'activities', i: entity.id, e: entity }),
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
    const gen = (
      await env.DB.prepare(
        'SELECT token_gen FROM authorizations WHERE user_id = ? AND client_id = ?',
      )
        .bind(user.id, second.clientId)
        .first<{ token_gen: number }>()
    )?.token_gen as number;
    await env.CACHE.put(
      cacheKeys.document('activities', user.id, second.clientId, gen, entity.id),
      JSON.stringify({
        o: user.id,
        c: app.clientId,
        g: gen,
        t: 'activities',
        i: entity.id,
        d: '{"x":1}',
        v: 'v',
      }),
      { expirationTtl: 60 },
    );
    const res = await call(path, { token: otherToken });
    expect(await res.json()).toStrictEqual(entity);
  });

  it('treats a corrupt entry as a miss', async () => {
    const { user, token, entity, path } = await hotEntity();
    await env.CACHE.put(cacheKeys.entity('activities', user.id, entity.id), '{not json', {
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
    await new Cache(
      env.CACHE,
      () => {},
      () => {},
    ).putNow([revokedStatus.personalKey(user.id, key.id)]);
    const res = await call(path, { token: key.token });
    expect(res.status).toBe(401);
    expect(await res.json()).toStrictEqual(apiError('invalid_token'));
  });
});
