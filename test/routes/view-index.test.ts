/**
 * The index of cached views (cached_views): what records a row, what takes rows out (entity
 * writes, revocations, disabled applications) together with the KV views, and the scheduled
 * prune of rows whose views have expired.
 */
import { env } from 'cloudflare:workers';
import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Bindings } from '../../src/env';
import worker from '../../src/index';
import { appToken, createApp, personalKey, userWithApp } from '../helpers/factories';
import { sampleActivity } from '../helpers/entities';
import { dropPrincipalViews } from '../helpers/revocation';
import { call, serverTiming } from '../helpers/worker';

interface IndexRow {
  scope: string;
  principal_id: string;
}

async function indexRows(entityId: string): Promise<IndexRow[]> {
  const { results } = await env.DB.prepare(
    'SELECT scope, principal_id FROM cached_views WHERE entity_id = ? ORDER BY scope',
  )
    .bind(entityId)
    .all<IndexRow>();
  return results;
}

/** A user's activity read hot by two apps and a personal key. */
async function hotForThree() {
  const { user, app, token } = await userWithApp();
  const second = await createApp();
  const tokenB = await appToken(user, second);
  const key = await personalKey(user, ['data:read', 'data:write']);
  const created = await call('/api/v1/activities', { method: 'POST', token, json: sampleActivity });
  const id = ((await created.json()) as { id: string }).id;
  const path = `/api/v1/activities/${id}`;
  for (const reader of [token, tokenB, key.token]) {
    await call(path, { token: reader });
    expect(serverTiming(await call(path, { token: reader })).cache).toBe('hit');
  }
  return { user, app, second, token, tokenB, key, id, path };
}

async function runScheduled(): Promise<void> {
  const controller = createScheduledController({ scheduledTime: new Date(), cron: '*/5 * * * *' });
  const ctx = createExecutionContext();
  await worker.scheduled(controller, env as unknown as Bindings, ctx);
  await waitOnExecutionContext(ctx);
}

describe('the view index', () => {
  it('records one row per principal on a cold read and none on hot reads', async () => {
    const { app, second, key, id } = await hotForThree();
    const rows = await indexRows(id);
    expect(rows.map((row) => row.principal_id).sort()).toStrictEqual(
      [app.clientId, second.clientId, key.id].sort(),
    );
  });

  it('records nothing for a read of a missing entity', async () => {
    const { token } = await userWithApp();
    expect((await call('/api/v1/activities/act_nothing_here', { token })).status).toBe(404);
    expect(await indexRows('act_nothing_here')).toStrictEqual([]);
  });

  it('records nothing for a revoked token', async () => {
    const { user, app, token, id, path } = await hotForThree();
    await env.DB.prepare('DELETE FROM authorizations WHERE user_id = ? AND client_id = ?')
      .bind(user.id, app.clientId)
      .run();
    await dropPrincipalViews(app.clientId, user.id);
    expect((await call(path, { token })).status).toBe(401);
    expect((await indexRows(id)).map((row) => row.principal_id)).not.toContain(app.clientId);
  });

  it("drops every principal's view of an entity replaced by one of them", async () => {
    const { token, tokenB, key, id, path } = await hotForThree();
    const json = { ...sampleActivity, name: 'changed by B' };
    expect((await call(path, { method: 'PUT', token: tokenB, json })).status).toBe(200);
    expect(await indexRows(id)).toStrictEqual([]);
    for (const reader of [token, tokenB, key.token]) {
      const res = await call(path, { token: reader });
      expect(serverTiming(res).cache).toBe('miss');
      expect(((await res.json()) as { name: string }).name).toBe('changed by B');
    }
  });

  it("drops only the revoked principal's views", async () => {
    const { user, app, token, tokenB, id, path } = await hotForThree();
    await dropPrincipalViews(app.clientId, user.id);
    const remaining = (await indexRows(id)).map((row) => row.principal_id);
    expect(remaining).not.toContain(app.clientId);
    expect(remaining).toHaveLength(2);
    expect(serverTiming(await call(path, { token: tokenB })).cache).toBe('hit');
    expect(serverTiming(await call(path, { token })).cache).toBe('miss');
  });

  it("drops a disabled application's views for every user", async () => {
    const first = await hotForThree();
    const other = await userWithApp();
    const otherToken = await appToken(other.user, first.app);
    const created = await call('/api/v1/activities', {
      method: 'POST',
      token: otherToken,
      json: sampleActivity,
    });
    const otherId = ((await created.json()) as { id: string }).id;
    await call(`/api/v1/activities/${otherId}`, { token: otherToken });
    const disabled = await call(`/api/v1/admin/applications/${first.app.clientId}`, {
      method: 'DELETE',
      token: env.ADMIN_TOKEN,
    });
    expect(disabled.status).toBe(204);
    const { results } = await env.DB.prepare('SELECT 1 FROM cached_views WHERE principal_id = ?')
      .bind(first.app.clientId)
      .all();
    expect(results).toStrictEqual([]);
    expect((await call(`/api/v1/activities/${otherId}`, { token: otherToken })).status).toBe(401);
    expect((await call(first.path, { token: first.token })).status).toBe(401);
  });

  it('is pruned by the scheduled handler once views have expired, keeping fresh rows', async () => {
    const { user, id } = await hotForThree();
    const stale = Math.floor(Date.now() / 1000) - 3600;
    await env.DB.prepare(
      `INSERT INTO cached_views (user_id, entity_type, entity_id, scope, principal_id, cached_at)
       VALUES (?, 'activities', 'act_long_gone', 'k.key_gone', 'key_gone', ?)`,
    )
      .bind(user.id, stale)
      .run();
    await runScheduled();
    expect(await indexRows('act_long_gone')).toStrictEqual([]);
    expect(await indexRows(id)).toHaveLength(3);
  });
});
