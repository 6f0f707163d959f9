/** /api/v1/activities: create, read, replace, delete, validation and scopes (spec §8, §11). */
import { describe, expect, it } from 'vitest';
import { appToken, createApp, createUser, personalKey, userWithApp } from '../helpers/factories';
import { createEntity, sampleBodies } from '../helpers/entities';
import {
  anyString,
  expectSampleCreated,
  itRefusesInvalidFields,
  syncFields,
} from '../helpers/entity-cases';
import { apiError, call } from '../helpers/worker';

const sample = sampleBodies.activities;

describe('POST /api/v1/activities', () => {
  it('creates an activity: 201 with the entity and its Location', async () => {
    const res = await expectSampleCreated('activities', {
      sport: 'cycling.road',
      start: '2026-05-01T08:00:00Z',
      end: '2026-05-01T10:00:00Z',
      duration: 7200,
      distance: 60000,
      name: 'Morning ride',
      description: 'Easy spin',
      tags: ['endurance'],
      ...syncFields,
    });
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });

  it('derives end from start + duration', async () => {
    const { token } = await userWithApp();
    const { end, duration } = await createEntity(token, 'activities', {
      end: undefined,
      duration: 1800,
    });
    expect({ end, duration }).toStrictEqual({ end: '2026-05-01T08:30:00Z', duration: 1800 });
  });

  it('normalises offsets to UTC', async () => {
    const { token } = await userWithApp();
    const { start } = await createEntity(token, 'activities', {
      start: '2026-05-01T10:00:00+02:00',
    });
    expect(start).toBe('2026-05-01T08:00:00Z');
  });

  it('fills defaults for optional fields', async () => {
    const { token } = await userWithApp();
    const created = await createEntity(token, 'activities', {
      distance: undefined,
      name: undefined,
      description: undefined,
      tags: undefined,
    });
    expect(created).toMatchObject({ distance: null, name: '', description: '', tags: [] });
  });

  it('ignores unknown JSON keys, including id and user_id', async () => {
    const { token } = await userWithApp();
    const created = await createEntity(token, 'activities', {
      id: 'act_mine',
      user_id: 'usr_other',
      color: 'red',
    });
    expect(created.id).not.toBe('act_mine');
    expect(created).not.toHaveProperty('color');
    expect(created).not.toHaveProperty('user_id');
  });

  itRefusesInvalidFields('activities', [
    ['an unknown sport', { sport: 'cycling.unicycle' }, 'sport'],
    ['a missing sport', { sport: undefined }, 'sport'],
    ['a start without offset', { start: '2026-05-01T08:00:00' }, 'start'],
    ['an impossible date', { start: '2026-02-30T08:00:00Z' }, 'start'],
    ['end before start', { end: '2026-05-01T07:00:00Z' }, 'end'],
    ['neither end nor duration', { end: undefined }, 'end'],
    ['a negative distance', { distance: -1 }, 'distance'],
    ['a string distance', { distance: '10' }, 'distance'],
    ['a fractional duration', { end: undefined, duration: 1.5 }, 'duration'],
    ['a non-array tags', { tags: 'a' }, 'tags'],
    ['an empty tag', { tags: [''] }, 'tags.0'],
    ['a too long name', { name: 'n'.repeat(201) }, 'name'],
  ]);

  it('refuses a body that is not an object: 400 validation_error', async () => {
    const { token } = await userWithApp();
    const res = await call('/api/v1/activities', { method: 'POST', token, json: [sample] });
    expect(res.status).toBe(400);
    expect(await res.json()).toStrictEqual(
      apiError('validation_error', { details: { '(body)': expect.any(String) } }),
    );
  });

  it('refuses a wrong content type: 415 unsupported_media_type', async () => {
    const { token } = await userWithApp();
    const res = await call('/api/v1/activities', {
      method: 'POST',
      token,
      body: JSON.stringify(sample),
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toStrictEqual(
      apiError('unsupported_media_type', { hint: expect.any(String) }),
    );
  });

  it('refuses a token without data:write: 403 insufficient_scope naming it', async () => {
    const { token } = await userWithApp(['data:read']);
    const res = await call('/api/v1/activities', { method: 'POST', token, json: sample });
    expect(res.status).toBe(403);
    expect(await res.json()).toStrictEqual(apiError('insufficient_scope'));
    expect(res.headers.get('WWW-Authenticate')).toBe(
      'Bearer realm="appmeta", error="insufficient_scope", scope="data:write"',
    );
  });

  it('lets a personal key with data:write create', async () => {
    const user = await createUser();
    const { token } = await personalKey(user, ['data:write']);
    const res = await call('/api/v1/activities', { method: 'POST', token, json: sample });
    expect(res.status).toBe(201);
  });
});

describe('GET /api/v1/activities/{id}', () => {
  it('reads the activity as created', async () => {
    const { token } = await userWithApp();
    const created = await createEntity(token);
    const res = await call(`/api/v1/activities/${created.id}`, { token });
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual(created);
  });

  it('refuses a token without data:read: 403 insufficient_scope', async () => {
    const user = await createUser();
    const app = await createApp();
    const writer = await appToken(user, app, ['data:write']);
    const created = await createEntity(writer);
    const res = await call(`/api/v1/activities/${created.id}`, { token: writer });
    expect(res.status).toBe(403);
    expect(res.headers.get('WWW-Authenticate')).toContain('scope="data:read"');
  });

  it.each(['act_missing', 'a'.repeat(65), 'bad%20id', '..'])(
    'answers 404 not_found for the id %j',
    async (id) => {
      const { token } = await userWithApp();
      const res = await call(`/api/v1/activities/${id}`, { token });
      expect(res.status).toBe(404);
      expect(await res.json()).toStrictEqual(apiError('not_found'));
    },
  );
});

describe('PUT /api/v1/activities/{id}', () => {
  it('replaces the activity, keeping id and created_at', async () => {
    const { token } = await userWithApp();
    const created = await createEntity(token);
    const replacement = { sport: 'running', start: '2026-05-02T06:00:00Z', duration: 600 };
    const res = await call(`/api/v1/activities/${created.id}`, {
      method: 'PUT',
      token,
      json: replacement,
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toStrictEqual({
      ...created,
      sport: 'running',
      start: '2026-05-02T06:00:00Z',
      end: '2026-05-02T06:10:00Z',
      duration: 600,
      distance: null,
      name: '',
      description: '',
      tags: [],
      updated_at: anyString,
    });
    const read = await call(`/api/v1/activities/${created.id}`, { token });
    expect(await read.json()).toStrictEqual(body);
  });

  it('answers 404 for a missing activity', async () => {
    const { token } = await userWithApp();
    const res = await call('/api/v1/activities/act_nope', { method: 'PUT', token, json: sample });
    expect(res.status).toBe(404);
    expect(await res.json()).toStrictEqual(apiError('not_found'));
  });

  it('validates like create: 400 naming the field', async () => {
    const { token } = await userWithApp();
    const created = await createEntity(token);
    const res = await call(`/api/v1/activities/${created.id}`, {
      method: 'PUT',
      token,
      json: { ...sample, sport: 'chess' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toStrictEqual(
      apiError('validation_error', { details: { sport: expect.any(String) } }),
    );
  });
});

describe('DELETE /api/v1/activities/{id}', () => {
  it('deletes: 204, then 404 on read and on a second delete', async () => {
    const { token } = await userWithApp();
    const created = await createEntity(token);
    const path = `/api/v1/activities/${created.id}`;
    const res = await call(path, { method: 'DELETE', token });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect((await call(path, { token })).status).toBe(404);
    const again = await call(path, { method: 'DELETE', token });
    expect(again.status).toBe(404);
    expect(await again.json()).toStrictEqual(apiError('not_found'));
  });

  it('needs data:write', async () => {
    const { token: reader } = await userWithApp(['data:read']);
    const res = await call('/api/v1/activities/act_x', { method: 'DELETE', token: reader });
    expect(res.status).toBe(403);
    expect(await res.json()).toStrictEqual(apiError('insufficient_scope'));
  });
});
