/** Sync fields and filters (spec §14): created_at, updated_at, created_by, updated_since, sort. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { KINDS, createEntity } from '../helpers/entities';
import { appToken, createApp, personalKey, userWithApp } from '../helpers/factories';
import { apiError, call } from '../helpers/worker';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('sync fields', () => {
  it.each(KINDS)('%s carry created_at, updated_at and the creating client_id', async (kind) => {
    const { app, token } = await userWithApp();
    const created = await createEntity(token, kind);
    expect(created.created_by).toBe(app.clientId);
    expect(created.created_at).toMatch(ISO);
    expect(created.updated_at).toBe(created.created_at);
  });

  it.each(KINDS)('%s created with a personal key have created_by null', async (kind) => {
    const { user } = await userWithApp();
    const { token } = await personalKey(user);
    expect((await createEntity(token, kind)).created_by).toBeNull();
  });
});

describe('sync filters', () => {
  it('selects entities created by one application with created_by', async () => {
    const { user, app, token } = await userWithApp();
    const other = await appToken(user, await createApp());
    const mine = await createEntity(token, 'activities');
    await createEntity(other, 'activities');
    const res = await call(`/api/v1/activities?created_by=${app.clientId}`, { token: other });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Array<{ id: string }>).map((a) => a.id)).toStrictEqual([mine.id]);
  });

  it('selects entities updated at or after updated_since', async () => {
    const { token } = await userWithApp();
    const old = await createEntity(token, 'tests');
    const recent = await createEntity(token, 'tests');
    const edge = await createEntity(token, 'tests');
    const stamp = env.DB.prepare('UPDATE tests SET updated_at = ? WHERE id = ?');
    await env.DB.batch([
      stamp.bind(1_700_000_000, old.id),
      stamp.bind(1_800_000_000, recent.id),
      stamp.bind(1_750_000_000, edge.id),
    ]);
    const since = new Date(1_750_000_000 * 1000).toISOString();
    const res = await call(`/api/v1/tests?sort=updated_at&updated_since=${since}`, { token });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Array<{ id: string }>).map((t) => t.id)).toStrictEqual([
      edge.id,
      recent.id,
    ]);
  });

  it.each([
    ['updated_since', 'yesterday'],
    ['updated_since', '2026-05-01'],
    ['sort', 'start'],
    ['sort', 'updated_at,id'],
    ['created_by', 'a b'],
    ['created_by', 'x'.repeat(129)],
  ])('refuses %s=%j: 400 validation_error naming it', async (field, value) => {
    const { token } = await userWithApp();
    const res = await call(`/api/v1/traces?${field}=${encodeURIComponent(value)}`, { token });
    expect(res.status).toBe(400);
    expect(await res.json()).toStrictEqual(
      apiError('validation_error', { details: { [field]: expect.any(String) } }),
    );
  });
});
