/**
 * Document and v2 writes record their events (spec §13) for the owning application alone, in
 * the same D1 batch; a write that did not happen (precondition, quota, absent) records none.
 */
import { describe, expect, it } from 'vitest';
import { sampleActivity } from '../helpers/entities';
import { createApp, appToken, userWithApp } from '../helpers/factories';
import { call, serverTiming } from '../helpers/worker';
import { change, changesOf } from '../helpers/changes';

async function setup() {
  const { user, app, token } = await userWithApp();
  const other = await createApp();
  await appToken(user, other, ['data:read']);
  const created = await call('/api/v1/activities', { method: 'POST', token, json: sampleActivity });
  const { id } = (await created.json()) as { id: string };
  const path = `/api/v1/activities/${id}/app-metadata`;
  const ownEvents = async () =>
    (await changesOf(user.id)).filter((row) => row.type !== 'activity.created');
  return { user, app, token, id, path, ownEvents };
}

const doc = (clientId: string, type: string, id: string, etag: string | null = null) =>
  change(clientId, type, { entity_type: 'activities', entity_id: id, etag });

describe('document change records', () => {
  it('records app_metadata.updated with the new ETag for the writer alone', async () => {
    const { app, token, id, path, ownEvents } = await setup();
    const response = await call(path, { method: 'PUT', token, json: { plan: 'base' } });
    expect(response.status).toBe(200);
    expect(serverTiming(response).d1).toBe(1);
    const etag = response.headers.get('ETag');
    expect(await ownEvents()).toStrictEqual([doc(app.clientId, 'app_metadata.updated', id, etag)]);
  });

  it('records app_metadata.updated for a merge patch', async () => {
    const { app, token, id, path, ownEvents } = await setup();
    const response = await call(path, {
      method: 'PATCH',
      token,
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: '{"done":true}',
    });
    expect(response.status).toBe(200);
    const etag = response.headers.get('ETag');
    expect(await ownEvents()).toStrictEqual([doc(app.clientId, 'app_metadata.updated', id, etag)]);
  });

  it('records nothing when If-Match fails', async () => {
    const { token, path, ownEvents } = await setup();
    const response = await call(path, {
      method: 'PUT',
      token,
      json: { plan: 'base' },
      headers: { 'If-Match': '"nope"' },
    });
    expect(response.status).toBe(412);
    expect(await ownEvents()).toStrictEqual([]);
  });

  it('records app_metadata.deleted for a delete of an existing document', async () => {
    const { app, token, id, path, ownEvents } = await setup();
    await call(path, { method: 'PUT', token, json: { plan: 'base' } });
    const response = await call(path, { method: 'DELETE', token });
    expect(response.status).toBe(204);
    expect(serverTiming(response).d1).toBe(1);
    expect((await ownEvents()).slice(1)).toStrictEqual([
      doc(app.clientId, 'app_metadata.deleted', id),
    ]);
  });

  it('records nothing for a delete of an absent document', async () => {
    const { token, path, ownEvents } = await setup();
    const response = await call(path, { method: 'DELETE', token });
    expect(response.status).toBe(204);
    expect(await ownEvents()).toStrictEqual([]);
  });

  it('names the profile document by entity_type profile and the user id', async () => {
    const { user, app, token } = await userWithApp();
    const response = await call('/api/v1/profile/app-metadata', {
      method: 'PUT',
      token,
      json: { level: 3 },
    });
    expect(await changesOf(user.id)).toStrictEqual([
      change(app.clientId, 'app_metadata.updated', {
        entity_type: 'profile',
        entity_id: user.id,
        etag: response.headers.get('ETag'),
      }),
    ]);
  });
});

describe('v2 entry change records', () => {
  const put = (token: string, key: string, value = 'v') =>
    call(`/api/v2/metadata/${key}`, { method: 'PUT', token, json: { value } });

  it('records metadata.updated with the key, in the write’s one round trip', async () => {
    const { user, app, token } = await userWithApp();
    const response = await put(token, 'ftp');
    expect(response.status).toBe(201);
    expect(serverTiming(response).d1).toBe(1);
    expect(await changesOf(user.id)).toStrictEqual([
      change(app.clientId, 'metadata.updated', { key: 'ftp' }),
    ]);
  });

  it('records metadata.deleted for a delete and nothing for a missing key', async () => {
    const { user, app, token } = await userWithApp();
    await put(token, 'ftp');
    expect((await call('/api/v2/metadata/ftp', { method: 'DELETE', token })).status).toBe(204);
    expect((await call('/api/v2/metadata/ftp', { method: 'DELETE', token })).status).toBe(404);
    expect(await changesOf(user.id)).toStrictEqual([
      change(app.clientId, 'metadata.updated', { key: 'ftp' }),
      change(app.clientId, 'metadata.deleted', { key: 'ftp' }),
    ]);
  });

  it('records nothing for a write refused by the byte quota', async () => {
    const { user, token } = await userWithApp();
    const big = 'x'.repeat(60000);
    for (let i = 0; i < 17; i += 1) await put(token, `k${i}`, big);
    const before = await changesOf(user.id);
    const response = await put(token, 'one-more', big);
    expect(response.status).toBe(422);
    expect(await changesOf(user.id)).toStrictEqual(before);
  });
});
