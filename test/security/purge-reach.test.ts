/**
 * Purging an application with more cached views than one invocation may delete from KV
 * (docs/consistency.md): the purge stays within KV's operation budget, deletes the most
 * recently cached views, and this isolate refuses the app's tokens even on a view it left.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { PURGE_VIEW_DELETES_MAX } from '../../src/config';
import { viewKey } from '../../src/storage/kv-cache';
import { adminCall, applicationPath } from '../helpers/admin-applications';
import { KV_OPERATIONS_PER_INVOCATION, budgetedKv } from '../helpers/bindings';
import { sampleActivity } from '../helpers/entities';
import { userWithApp } from '../helpers/factories';
import { apiError, call, serverTiming } from '../helpers/worker';

const BEYOND = 20;

/** Index rows for views newer than any real one, so the real view is past the purge's cap. */
async function indexNewerViews(userId: string, clientId: string, scope: string, count: number) {
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
     INSERT INTO cached_views (user_id, entity_type, entity_id, scope, principal_id, cached_at)
     SELECT ?, 'activities', 'act_fake_' || i, ?, ?, ? FROM n`,
  )
    .bind(count, userId, scope, clientId, Math.floor(Date.now() / 1000) + 100)
    .run();
}

describe('purging an application with many cached views', () => {
  it('stays within the KV budget and refuses the token here on a view it could not delete', async () => {
    const { user, app, token } = await userWithApp();
    const created = await call('/api/v1/activities', {
      method: 'POST',
      token,
      json: sampleActivity,
    });
    const id = ((await created.json()) as { id: string }).id;
    const path = `/api/v1/activities/${id}`;
    await call(path, { token });
    expect(serverTiming(await call(path, { token })).cache).toBe('hit');
    const grant = await env.DB.prepare(
      'SELECT token_gen FROM authorizations WHERE user_id = ? AND client_id = ?',
    )
      .bind(user.id, app.clientId)
      .first<{ token_gen: number }>();
    const scope = `a.${app.clientId}.${grant?.token_gen}`;
    await indexNewerViews(user.id, app.clientId, scope, PURGE_VIEW_DELETES_MAX + BEYOND);

    const kv = budgetedKv();
    const purged = await adminCall(`${applicationPath(app.clientId)}?purge=true`, {
      method: 'DELETE',
      bindings: { CACHE: kv },
    });
    expect(purged.status).toBe(204);
    expect(kv.operations).toBeLessThanOrEqual(KV_OPERATIONS_PER_INVOCATION);
    expect(await env.CACHE.get(viewKey(user.id, scope, 'activities', id))).not.toBeNull();

    const read = await call(path, { token });
    expect(read.status).toBe(401);
    expect(await read.json()).toStrictEqual(apiError('invalid_token'));
  });
});
