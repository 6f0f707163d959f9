/**
 * Spec §10 proven from outside: D1 round trips counted by a wrapping double, the cache outcome
 * in Server-Timing, read-your-writes on the hot path, KV failing in every way, D1 failing, and
 * revocation reaching hot reads.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { countingD1, failingD1, failingKv } from '../helpers/bindings';
import { dropPrincipalViews } from '../helpers/revocation';
import { appToken, createApp, personalKey, userWithApp } from '../helpers/factories';
import { createEntity, metadataPath, patchMetadata, putMetadata } from '../helpers/entities';
import { apiError, call, serverTiming, type CallOptions } from '../helpers/worker';

/** Calls with a fresh counting D1 and returns the response and the round trips it made. */
async function counted(path: string, options: CallOptions = {}) {
  const counting = countingD1();
  const res = await call(path, { ...options, bindings: { ...options.bindings, DB: counting.db } });
  return { res, d1: counting.count(), timing: serverTiming(res) };
}

async function warmEntity() {
  const base = await userWithApp();
  const entity = await createEntity(base.token);
  const path = `/api/v1/activities/${entity.id}`;
  const meta = metadataPath('activities', entity.id);
  expect((await putMetadata(meta, base.token, { v: 1 })).status).toBe(200);
  await call(path, { token: base.token }); // cold read refills KV in the background
  return { ...base, entity, path, meta };
}

describe('D1 round trips', () => {
  it('makes none for a hot read, and says hit in Server-Timing', async () => {
    const { token, path, entity } = await warmEntity();
    const { res, d1, timing } = await counted(path, { token });
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual({ ...entity, app_metadata: { v: 1 } });
    expect(d1).toBe(0);
    expect(timing).toStrictEqual({ cache: 'hit', d1: 0 });
    expect(res.headers.get('Server-Timing')).toBe('cache;desc="hit", d1;desc="0"');
  });

  it('makes none for a hot GET of the document alone', async () => {
    const { token, meta } = await warmEntity();
    const { res, d1, timing } = await counted(meta, { token });
    expect(await res.json()).toStrictEqual({ v: 1 });
    expect([d1, timing.cache]).toStrictEqual([0, 'hit']);
  });

  it('makes none for a hot profile read and a hot personal-key read', async () => {
    const { user, token, path } = await warmEntity();
    await call('/api/v1/profile', { token });
    expect((await counted('/api/v1/profile', { token })).d1).toBe(0);
    const key = await personalKey(user, ['data:read']);
    await call(path, { token: key.token });
    const { res, d1, timing } = await counted(path, { token: key.token });
    expect(await res.json()).not.toHaveProperty('app_metadata');
    expect([d1, timing.cache]).toStrictEqual([0, 'hit']);
  });

  it('makes exactly one for a cold read', async () => {
    const { token } = await userWithApp();
    const entity = await createEntity(token);
    const { res, d1, timing } = await counted(`/api/v1/activities/${entity.id}`, { token });
    expect(res.status).toBe(200);
    expect(d1).toBe(1);
    expect(timing).toStrictEqual({ cache: 'miss', d1: 1 });
  });

  it('makes exactly one for a cold read of a missing entity and of the profile', async () => {
    const { token } = await userWithApp();
    expect((await counted('/api/v1/activities/act_missing', { token })).d1).toBe(1);
    expect((await counted('/api/v1/profile', { token })).d1).toBe(1);
    expect((await counted('/api/v1/activities', { token })).d1).toBe(1);
  });

  it.each(['PUT', 'PATCH', 'DELETE'])('makes exactly one for a metadata %s', async (method) => {
    const { token, meta } = await warmEntity();
    const { res, d1, timing } =
      method === 'PATCH'
        ? await (async () => {
            const counting = countingD1();
            const r = await call(meta, {
              method,
              token,
              body: '{"w":2}',
              headers: { 'Content-Type': 'application/merge-patch+json' },
              bindings: { DB: counting.db },
            });
            return { res: r, d1: counting.count(), timing: serverTiming(r) };
          })()
        : await counted(meta, { method, token, json: method === 'PUT' ? { w: 2 } : undefined });
    expect(res.status).toBe(method === 'DELETE' ? 204 : 200);
    expect(d1).toBe(1);
    expect(timing.d1).toBe(1);
  });

  it.each(['PUT', 'DELETE', 'POST'])('makes exactly one for an entity %s', async (method) => {
    const { token, path, entity } = await warmEntity();
    const target = method === 'POST' ? '/api/v1/activities' : path;
    const json = method === 'DELETE' ? undefined : { ...entity, id: undefined, name: 'renamed' };
    const { res, d1 } = await counted(target, { method, token, json });
    expect(res.status).toBe({ PUT: 200, DELETE: 204, POST: 201 }[method]);
    expect(d1).toBe(1);
  });
});

describe('the writer reads its own writes on the hot path', () => {
  it('sees a metadata PUT on its next read, which refills the cache for the one after', async () => {
    const { token, path, meta, entity } = await warmEntity();
    await putMetadata(meta, token, { v: 2 });
    const next = await counted(path, { token });
    expect(await next.res.json()).toStrictEqual({ ...entity, app_metadata: { v: 2 } });
    expect(next.timing).toStrictEqual({ cache: 'miss', d1: 1 });
    const after = await counted(path, { token });
    expect(await after.res.json()).toStrictEqual({ ...entity, app_metadata: { v: 2 } });
    expect(after.timing).toStrictEqual({ cache: 'hit', d1: 0 });
    expect(after.d1).toBe(0);
  });

  it('sees a metadata PATCH with its new ETag', async () => {
    const { token, meta } = await warmEntity();
    const patched = await patchMetadata(meta, token, { w: 1 });
    const { res } = await counted(meta, { token });
    expect(await res.json()).toStrictEqual({ v: 1, w: 1 });
    expect(res.headers.get('ETag')).toBe(patched.headers.get('ETag'));
  });

  it('sees a metadata DELETE: no app_metadata, and the document 404', async () => {
    const { token, path, meta, entity } = await warmEntity();
    await call(meta, { method: 'DELETE', token });
    expect(await (await call(path, { token })).json()).toStrictEqual(entity);
    expect((await call(meta, { token })).status).toBe(404);
  });

  it('sees an entity PUT', async () => {
    const { token, path, entity } = await warmEntity();
    const json = { ...entity, id: undefined, name: 'renamed' };
    const put = await call(path, { method: 'PUT', token, json });
    const { res } = await counted(path, { token });
    const replaced = (await put.json()) as Record<string, unknown>;
    expect(await res.json()).toStrictEqual({ ...replaced, app_metadata: { v: 1 } });
  });

  it('sees an entity DELETE: 404 for the entity and its document', async () => {
    const { token, path, meta } = await warmEntity();
    expect((await call(path, { method: 'DELETE', token })).status).toBe(204);
    expect((await call(path, { token })).status).toBe(404);
    expect((await call(meta, { token })).status).toBe(404);
  });
});

describe('writes by another client of the same user', () => {
  it('an entity deleted through app B is 404 on app A’s next read, hot before', async () => {
    const { user, token, path } = await warmEntity();
    const other = await appToken(user, await createApp());
    expect((await call(path, { method: 'DELETE', token: other })).status).toBe(204);
    expect((await call(path, { token })).status).toBe(404);
  });

  it('an entity replaced through a personal key shows on app A’s next read', async () => {
    const { user, token, path, entity } = await warmEntity();
    const key = await personalKey(user, ['data:write']);
    const json = { ...entity, id: undefined, name: 'by key' };
    expect((await call(path, { method: 'PUT', token: key.token, json })).status).toBe(200);
    const read = (await (await call(path, { token })).json()) as Record<string, unknown>;
    expect(read).toMatchObject({ name: 'by key', app_metadata: { v: 1 } });
  });
});

describe('KV failing', () => {
  it('throwing on everything: reads and writes still answer with correct data', async () => {
    const { token, path, meta, entity } = await warmEntity();
    const bindings = { CACHE: failingKv('throw-all') };
    const read = await call(path, { token, bindings });
    expect(read.status).toBe(200);
    expect(await read.json()).toStrictEqual({ ...entity, app_metadata: { v: 1 } });
    expect(serverTiming(read)).toStrictEqual({ cache: 'miss', d1: 1 });
    const write = await call(meta, { method: 'PUT', token, json: { v: 3 }, bindings });
    expect(write.status).toBe(200);
    const again = await call(path, { token, bindings });
    expect(await again.json()).toStrictEqual({ ...entity, app_metadata: { v: 3 } });
  });

  it('refusing writes (429): the write succeeds and the next read is not stale', async () => {
    const { token, path, meta, entity } = await warmEntity();
    const kv = failingKv('reject-writes');
    const write = await call(meta, {
      method: 'PUT',
      token,
      json: { v: 4 },
      bindings: { CACHE: kv },
    });
    expect(write.status).toBe(200);
    expect(kv.writes).toBeGreaterThan(0);
    const read = await call(path, { token, bindings: { CACHE: kv } });
    expect(await read.json()).toStrictEqual({ ...entity, app_metadata: { v: 4 } });
    const doc = await call(meta, { token, bindings: { CACHE: kv } });
    expect(doc.headers.get('ETag')).toBe(write.headers.get('ETag'));
  });

  it('refusing writes (429): an entity delete is not undone by a stale entry', async () => {
    const { token, path } = await warmEntity();
    const kv = failingKv('reject-writes');
    expect((await call(path, { method: 'DELETE', token, bindings: { CACHE: kv } })).status).toBe(
      204,
    );
    expect((await call(path, { token, bindings: { CACHE: kv } })).status).toBe(404);
  });
});

describe('D1 failing', () => {
  it.each<[string, CallOptions & { path?: string }]>([
    ['a cold entity read', {}],
    ['a list', { path: '/api/v1/activities' }],
    ['the profile', { path: '/api/v1/profile' }],
    ['a metadata write', { method: 'PUT', json: { a: 1 } }],
    [
      'an entity create',
      {
        path: '/api/v1/activities',
        method: 'POST',
        json: { sport: 'running', start: '2026-05-01T08:00:00Z', duration: 60 },
      },
    ],
  ])('answers %s with 503 service_unavailable', async (_name, options) => {
    const { token } = await userWithApp();
    const entity = await createEntity(token);
    const path =
      options.path ??
      (options.method === 'PUT'
        ? metadataPath('activities', entity.id)
        : `/api/v1/activities/${entity.id}`);
    const res = await call(path, { ...options, token, bindings: { DB: failingD1() } });
    expect(res.status).toBe(503);
    expect(await res.json()).toStrictEqual(apiError('service_unavailable'));
    expect(res.headers.get('Retry-After')).toBe('1');
  });
});

describe('revocation reaches hot reads', () => {
  it('refuses the old token with 401 after the grant generation is bumped', async () => {
    const { user, app, token, path } = await warmEntity();
    expect((await counted(path, { token })).timing.cache).toBe('hit');
    const newGen = Date.now() + 1000;
    await env.DB.prepare(
      'UPDATE authorizations SET token_gen = ? WHERE user_id = ? AND client_id = ?',
    )
      .bind(newGen, user.id, app.clientId)
      .run();
    await dropPrincipalViews(app.clientId, user.id);
    const res = await call(path, { token });
    expect(res.status).toBe(401);
    expect(await res.json()).toStrictEqual(apiError('invalid_token'));
    expect(res.headers.get('WWW-Authenticate')).toContain('error="invalid_token"');
  });

  it('refuses every token of an application disabled through the admin API', async () => {
    const { app, token, path, meta } = await warmEntity();
    expect((await counted(path, { token })).timing.cache).toBe('hit');
    const disabled = await call(`/api/v1/admin/applications/${app.clientId}`, {
      method: 'DELETE',
      token: env.ADMIN_TOKEN,
    });
    expect(disabled.status).toBe(204);
    for (const target of [path, meta, '/api/v1/activities', '/api/v1/profile']) {
      const res = await call(target, { token });
      expect(res.status, target).toBe(401);
      expect(await res.json()).toStrictEqual(apiError('invalid_token'));
    }
    const write = await call(meta, { method: 'PUT', token, json: { after: true } });
    expect(write.status).toBe(401);
  });

  it('refuses hot reads after a disable whose KV deletes were refused (429)', async () => {
    const { app, token, path } = await warmEntity();
    const disabled = await call(`/api/v1/admin/applications/${app.clientId}`, {
      method: 'DELETE',
      token: env.ADMIN_TOKEN,
      bindings: { CACHE: failingKv('reject-writes') },
    });
    expect(disabled.status).toBe(204);
    const res = await call(path, { token });
    expect(res.status).toBe(401);
  });

  it('refuses a revoked token on writes even while its view is still cached', async () => {
    const { user, app, token, meta } = await warmEntity();
    await env.DB.prepare(
      'UPDATE authorizations SET token_gen = token_gen + 1 WHERE user_id = ? AND client_id = ?',
    )
      .bind(user.id, app.clientId)
      .run();
    const res = await call(meta, { method: 'PUT', token, json: { late: true } });
    expect(res.status).toBe(401);
  });
});
