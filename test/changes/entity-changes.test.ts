/**
 * Entity writes record their events (spec §13) in the same D1 batch: one row per application
 * the user has authorized with data:read, none for a write that did not happen.
 */
import { describe, expect, it } from 'vitest';
import { sampleActivity } from '../helpers/entities';
import { appToken, createApp, createUser, personalKey } from '../helpers/factories';
import { call, serverTiming } from '../helpers/worker';
import { change, changesOf, expectWellFormedIds } from '../helpers/changes';

async function userWithReaders() {
  const user = await createUser();
  const reader = await createApp();
  const writerOnly = await createApp();
  const readerToken = await appToken(user, reader, ['data:read', 'data:write']);
  await appToken(user, writerOnly, ['data:write']);
  return { user, reader, readerToken };
}

async function createActivity(token: string): Promise<string> {
  const response = await call('/api/v1/activities', {
    method: 'POST',
    token,
    json: sampleActivity,
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

const event = (clientId: string, type: string, id: string) =>
  change(clientId, type, { entity_type: 'activities', entity_id: id });

describe('entity change records', () => {
  it('records activity.created for each app authorized with data:read, in the write’s one round trip', async () => {
    const { user, reader, readerToken } = await userWithReaders();
    const response = await call('/api/v1/activities', {
      method: 'POST',
      token: readerToken,
      json: sampleActivity,
    });
    const { id } = (await response.json()) as { id: string };
    expect(serverTiming(response).d1).toBe(1);
    expect(await changesOf(user.id)).toStrictEqual([
      event(reader.clientId, 'activity.created', id),
    ]);
    await expectWellFormedIds(user.id);
  });

  it('records an entity event for a write made with a personal key', async () => {
    const { user, reader } = await userWithReaders();
    const key = await personalKey(user, ['data:read', 'data:write']);
    const id = await createActivity(key.token);
    expect(await changesOf(user.id)).toStrictEqual([
      event(reader.clientId, 'activity.created', id),
    ]);
  });

  it('records activity.updated once for a replace', async () => {
    const { user, reader, readerToken } = await userWithReaders();
    const id = await createActivity(readerToken);
    const response = await call(`/api/v1/activities/${id}`, {
      method: 'PUT',
      token: readerToken,
      json: { ...sampleActivity, name: 'Renamed' },
    });
    expect(response.status).toBe(200);
    expect(serverTiming(response).d1).toBe(1);
    expect(await changesOf(user.id)).toStrictEqual([
      event(reader.clientId, 'activity.created', id),
      event(reader.clientId, 'activity.updated', id),
    ]);
  });

  it('records app_metadata.deleted for each document and activity.deleted on delete', async () => {
    const { user, reader, readerToken } = await userWithReaders();
    const id = await createActivity(readerToken);
    await call(`/api/v1/activities/${id}/app-metadata`, {
      method: 'PUT',
      token: readerToken,
      json: { plan: 'base' },
    });
    const response = await call(`/api/v1/activities/${id}`, {
      method: 'DELETE',
      token: readerToken,
    });
    expect(response.status).toBe(204);
    expect(serverTiming(response).d1).toBe(1);
    const recorded = await changesOf(user.id);
    expect(recorded.slice(2)).toStrictEqual([
      event(reader.clientId, 'app_metadata.deleted', id),
      event(reader.clientId, 'activity.deleted', id),
    ]);
  });

  it.each([
    ['PUT', '/api/v1/activities/act_missing000000', sampleActivity],
    ['DELETE', '/api/v1/traces/trc_missing000000', undefined],
  ])('records nothing for %s of a missing entity', async (method, path, json) => {
    const { user, readerToken } = await userWithReaders();
    const response = await call(path, { method, token: readerToken, json });
    expect(response.status).toBe(404);
    expect(await changesOf(user.id)).toStrictEqual([]);
  });

  it('records nothing when the writing token’s grant was revoked', async () => {
    const { user, reader, readerToken } = await userWithReaders();
    const key = await personalKey(user);
    await call(`/api/v1/profile/authorizations/${reader.clientId}`, {
      method: 'DELETE',
      token: key.token,
    });
    const before = await changesOf(user.id);
    const response = await call('/api/v1/activities', {
      method: 'POST',
      token: readerToken,
      json: sampleActivity,
    });
    expect(response.status).toBe(401);
    expect(await changesOf(user.id)).toStrictEqual(before);
  });

  it('names traces and tests by their own event types', async () => {
    const { user, reader, readerToken } = await userWithReaders();
    const trace = await call('/api/v1/traces', {
      method: 'POST',
      token: readerToken,
      json: { timestamp: '2026-05-01T08:00:00Z', lactate: 2.1, tags: [] },
    });
    const test = await call('/api/v1/tests', {
      method: 'POST',
      token: readerToken,
      json: { sport: 'running', start: '2026-05-01T08:00:00Z', tags: [] },
    });
    const traceId = ((await trace.json()) as { id: string }).id;
    const testId = ((await test.json()) as { id: string }).id;
    expect(await changesOf(user.id)).toStrictEqual([
      change(reader.clientId, 'trace.created', { entity_type: 'traces', entity_id: traceId }),
      change(reader.clientId, 'test.created', { entity_type: 'tests', entity_id: testId }),
    ]);
  });
});
