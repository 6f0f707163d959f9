/**
 * Every row of spec §13's table reaches the feed of exactly the apps it names, with the event
 * shape of §13, and the token's scopes filter what it sees.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createEntity, metadataPath, sampleActivity } from '../helpers/entities';
import { appToken, createApp, createUser, userWithApp } from '../helpers/factories';
import { feedEvent, walkFeed } from '../helpers/feed';
import { runScheduled } from '../helpers/scheduled';
import { call } from '../helpers/worker';

const v2 = (key: string) => `/api/v2/metadata/${key}`;

describe('feed events', () => {
  it('carries activity created, updated and deleted to every app with data:read', async () => {
    const { user, token } = await userWithApp();
    const reader = await createApp();
    const readerToken = await appToken(user, reader, ['data:read']);
    const id = (await createEntity(token)).id;
    const path = `/api/v1/activities/${id}`;
    expect((await call(path, { method: 'PUT', token, json: sampleActivity })).status).toBe(200);
    expect((await call(path, { method: 'DELETE', token })).status).toBe(204);
    const data = { user_id: user.id, entity_type: 'activities', entity_id: id };
    const expected = ['created', 'updated', 'deleted'].map((action) =>
      feedEvent(`activity.${action}`, data),
    );
    expect(await walkFeed(token)).toStrictEqual(expected);
    expect(await walkFeed(readerToken)).toStrictEqual(expected);
  });

  it.each(['traces', 'tests'] as const)(
    'carries the %s events with their path name',
    async (kind) => {
      const { user, token } = await userWithApp();
      const id = (await createEntity(token, kind)).id;
      const noun = kind === 'traces' ? 'trace' : 'test';
      expect(await walkFeed(token)).toStrictEqual([
        feedEvent(`${noun}.created`, { user_id: user.id, entity_type: kind, entity_id: id }),
      ]);
    },
  );

  it('carries app_metadata.updated with the ETag and app_metadata.deleted to the writer alone', async () => {
    const { user, token } = await userWithApp();
    const other = await createApp();
    const otherToken = await appToken(user, other, ['data:read', 'metadata.read']);
    const id = (await createEntity(token)).id;
    const path = metadataPath('activities', id);
    const put = await call(path, { method: 'PUT', token, json: { plan: 'base' } });
    expect((await call(path, { method: 'DELETE', token })).status).toBe(204);
    const data = { user_id: user.id, entity_type: 'activities', entity_id: id };
    expect((await walkFeed(token)).slice(1)).toStrictEqual([
      feedEvent('app_metadata.updated', { ...data, etag: put.headers.get('ETag') }),
      feedEvent('app_metadata.deleted', data),
    ]);
    expect(await walkFeed(otherToken)).toStrictEqual([feedEvent('activity.created', data)]);
  });

  it('names the profile document by entity_type profile and the user id', async () => {
    const { user, token } = await userWithApp();
    const put = await call(metadataPath('profile'), { method: 'PUT', token, json: { a: 1 } });
    expect(await walkFeed(token)).toStrictEqual([
      feedEvent('app_metadata.updated', {
        user_id: user.id,
        entity_type: 'profile',
        entity_id: user.id,
        etag: put.headers.get('ETag'),
      }),
    ]);
  });

  it('carries metadata.updated, metadata.deleted and metadata.expired with the key', async () => {
    const { user, token } = await userWithApp();
    expect((await call(v2('gone'), { method: 'PUT', token, json: { value: 'x' } })).status).toBe(
      201,
    );
    expect((await call(v2('gone'), { method: 'DELETE', token })).status).toBe(204);
    await env.DB.prepare(
      `INSERT INTO metadata_entries (user_id, client_id, key, value, value_bytes, expires_at, created_at, updated_at)
       SELECT user_id, client_id, 'old', 'x', 1, 1, 1, 1 FROM authorizations WHERE user_id = ?`,
    )
      .bind(user.id)
      .run();
    await runScheduled();
    expect(await walkFeed(token)).toStrictEqual([
      feedEvent('metadata.updated', { user_id: user.id, key: 'gone' }),
      feedEvent('metadata.deleted', { user_id: user.id, key: 'gone' }),
      feedEvent('metadata.expired', { user_id: user.id, key: 'old' }),
    ]);
  });

  it('shows a data:read token no metadata.* events and a metadata.read token no entity events', async () => {
    const user = await createUser();
    const app = await createApp();
    const dataToken = await appToken(user, app, ['data:read', 'data:write', 'metadata.write']);
    const id = (await createEntity(dataToken)).id;
    await call(v2('k'), { method: 'PUT', token: dataToken, json: { value: 'v' } });
    const entity = { user_id: user.id, entity_type: 'activities', entity_id: id };
    expect(await walkFeed(dataToken)).toStrictEqual([feedEvent('activity.created', entity)]);
    const metaToken = await appToken(user, app, ['metadata.read']);
    expect(await walkFeed(metaToken)).toStrictEqual([
      feedEvent('metadata.updated', { user_id: user.id, key: 'k' }),
    ]);
  });

  it('answers 403 insufficient_scope to a token with neither data:read nor metadata.read', async () => {
    const { token } = await userWithApp(['data:write', 'profile']);
    const response = await call('/api/v1/changes', { token });
    expect(response.status).toBe(403);
    expect(response.headers.get('WWW-Authenticate')).toBe(
      'Bearer realm="appmeta", error="insufficient_scope", scope="data:read metadata.read"',
    );
    expect((await response.json()) as object).toMatchObject({ errorCode: 'insufficient_scope' });
  });
});
