/** PUT, GET and DELETE of v1 app metadata on entities (spec §4, §11). */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { appToken, createApp, createUser, personalKey, userWithApp } from '../helpers/factories';
import {
  KINDS,
  activityOfTwoApps,
  createEntity,
  documentOfBytes,
  metadataPath,
  metadataRows,
  nestedObject,
  putMetadata,
} from '../helpers/entities';
import { apiError, call } from '../helpers/worker';

const ETAG = /^"[A-Za-z0-9_-]+"$/;

async function setup(kind: (typeof KINDS)[number] = 'activities') {
  const base = await userWithApp();
  const entity = await createEntity(base.token, kind);
  return { ...base, entity, path: metadataPath(kind, entity.id) };
}

const raw = (path: string, token: string, body: BodyInit, type = 'application/json') =>
  call(path, { method: 'PUT', token, body, headers: { 'Content-Type': type } });

describe.each(KINDS)('PUT /api/v1/%s/{id}/app-metadata', (kind) => {
  it('stores the document: 200 with the document itself and a strong ETag', async () => {
    const { token, path } = await setup(kind);
    const res = await putMetadata(path, token, { plan: 'base', week: 3 });
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual({ plan: 'base', week: 3 });
    expect(res.headers.get('ETag')).toMatch(ETAG);
    expect(res.headers.get('Content-Type')).toContain('application/json');
  });

  it('replaces the whole document', async () => {
    const { token, path } = await setup(kind);
    await putMetadata(path, token, { a: 1, b: 2 });
    const res = await putMetadata(path, token, { c: 3 });
    expect(await res.json()).toStrictEqual({ c: 3 });
    expect(await (await call(path, { token })).json()).toStrictEqual({ c: 3 });
  });

  it('merges the document into the entity read as app_metadata', async () => {
    const { token, path, entity } = await setup(kind);
    await putMetadata(path, token, { plan: 'base' });
    const res = await call(`/api/v1/${kind}/${entity.id}`, { token });
    expect(await res.json()).toStrictEqual({ ...entity, app_metadata: { plan: 'base' } });
  });
});

describe('PUT app-metadata: limits', () => {
  /** The body at the limit is stored (200); the one just over it gets `status` and `error`. */
  async function expectLimit(atLimit: string, overLimit: string, status: number, error: unknown) {
    const { token, path } = await setup();
    expect((await raw(path, token, atLimit)).status).toBe(200);
    const res = await raw(path, token, overLimit);
    expect(res.status).toBe(status);
    expect(await res.json()).toStrictEqual(error);
  }

  it('accepts exactly 1024 bytes and refuses 1025 with 413 payload_too_large', async () => {
    await expectLimit(
      documentOfBytes(1024),
      documentOfBytes(1025),
      413,
      apiError('payload_too_large'),
    );
  });

  it('counts multibyte characters in UTF-8 bytes', async () => {
    const { token, path } = await setup();
    expect((await raw(path, token, documentOfBytes(1024, 'é'))).status).toBe(200);
    expect((await raw(path, token, documentOfBytes(1025, '€'))).status).toBe(413);
    expect((await raw(path, token, documentOfBytes(1026, '😀'))).status).toBe(413);
  });

  it('counts whitespace on the raw body, not the re-serialised document', async () => {
    const { token, path } = await setup();
    const padded = `{"a":1}${' '.repeat(1018)}`;
    expect((await raw(path, token, padded)).status).toBe(413);
  });

  it('accepts depth 32 and refuses depth 33 with 422 too_deep', async () => {
    await expectLimit(nestedObject(32), nestedObject(33), 422, apiError('too_deep'));
  });

  it('counts arrays toward depth', async () => {
    const { token, path } = await setup();
    const arrays = (n: number) => `{"a":${'['.repeat(n - 1)}${']'.repeat(n - 1)}}`;
    expect((await raw(path, token, arrays(32))).status).toBe(200);
    expect((await raw(path, token, arrays(33))).status).toBe(422);
  });

  it.each(['[]', '[1]', '"text"', '42', 'true', 'null'])(
    'refuses the non-object %s with 422 validation_error',
    async (body) => {
      const { token, path } = await setup();
      const res = await raw(path, token, body);
      expect(res.status).toBe(422);
      expect(await res.json()).toStrictEqual(
        apiError('validation_error', { details: expect.any(Object) }),
      );
    },
  );

  it.each([
    ['text/plain', 'text/plain'],
    ['application/merge-patch+json', 'application/merge-patch+json'],
    ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded'],
  ])('refuses Content-Type %s with 415 unsupported_media_type', async (_name, type) => {
    const { token, path } = await setup();
    const res = await raw(path, token, '{"a":1}', type);
    expect(res.status).toBe(415);
    expect(await res.json()).toStrictEqual(
      apiError('unsupported_media_type', { hint: expect.any(String) }),
    );
  });

  it('refuses a missing Content-Type with 415', async () => {
    const { token, path } = await setup();
    const res = await call(path, { method: 'PUT', token, body: new TextEncoder().encode('{}') });
    expect(res.status).toBe(415);
  });

  it('accepts application/json with a charset parameter', async () => {
    const { token, path } = await setup();
    const res = await raw(path, token, '{"a":1}', 'application/json; charset=utf-8');
    expect(res.status).toBe(200);
  });

  it('stores __proto__, constructor and prototype members exactly', async () => {
    const { token, path, entity } = await setup();
    const text = '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},"prototype":2}';
    const res = await raw(path, token, text);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(text);
    expect(await (await call(path, { token })).text()).toBe(text);
    const read = await (await call(`/api/v1/activities/${entity.id}`, { token })).text();
    expect(read.endsWith(`"app_metadata":${text}}`)).toBe(true);
  });
});

describe('GET app-metadata', () => {
  it('returns the document alone with its ETag', async () => {
    const { token, path } = await setup();
    const put = await putMetadata(path, token, { n: 1 });
    const res = await call(path, { token });
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual({ n: 1 });
    expect(res.headers.get('ETag')).toBe(put.headers.get('ETag'));
  });

  it('answers 404 not_found when the app has no document', async () => {
    const { token, path } = await setup();
    const res = await call(path, { token });
    expect(res.status).toBe(404);
    expect(await res.json()).toStrictEqual(apiError('not_found'));
  });

  it('answers 404 for a missing entity', async () => {
    const { token } = await userWithApp();
    const res = await call(metadataPath('traces', 'trc_missing'), { token });
    expect(res.status).toBe(404);
  });

  it('needs data:read, not data:write', async () => {
    const user = await createUser();
    const app = await createApp();
    const writer = await appToken(user, app, ['data:write']);
    const entity = await createEntity(writer);
    const res = await call(metadataPath('activities', entity.id), { token: writer });
    expect(res.status).toBe(403);
    expect(res.headers.get('WWW-Authenticate')).toContain('scope="data:read"');
  });
});

describe('DELETE app-metadata', () => {
  it('deletes: 204, then GET 404 and the entity without app_metadata', async () => {
    const { token, path, entity } = await setup();
    await putMetadata(path, token, { n: 1 });
    const res = await call(path, { method: 'DELETE', token });
    expect(res.status).toBe(204);
    expect((await call(path, { token })).status).toBe(404);
    const read = await call(`/api/v1/activities/${entity.id}`, { token });
    expect(await read.json()).toStrictEqual(entity);
  });

  it('answers 204 when there was no document', async () => {
    const { token, path } = await setup();
    expect((await call(path, { method: 'DELETE', token })).status).toBe(204);
  });

  it('answers 404 not_found for a missing entity', async () => {
    const { token } = await userWithApp();
    const res = await call(metadataPath('tests', 'tst_missing'), { method: 'DELETE', token });
    expect(res.status).toBe(404);
    expect(await res.json()).toStrictEqual(apiError('not_found'));
  });
});

describe('deleting an entity', () => {
  it('deletes every application’s metadata on it', async () => {
    const { tokenA, tokenB, entity, path } = await activityOfTwoApps();
    await putMetadata(path, tokenA, { a: 1 });
    await putMetadata(path, tokenB, { b: 1 });
    expect(await metadataRows('activities', entity.id)).toHaveLength(2);
    const res = await call(`/api/v1/activities/${entity.id}`, { method: 'DELETE', token: tokenA });
    expect(res.status).toBe(204);
    expect(await metadataRows('activities', entity.id)).toStrictEqual([]);
    expect((await call(path, { token: tokenB })).status).toBe(404);
  });
});

describe('personal keys', () => {
  it.each(['GET', 'PUT', 'PATCH', 'DELETE'])(
    'get 403 app_token_required on %s, even with no scopes at all',
    async (method) => {
      const user = await createUser();
      const app = await createApp();
      const entity = await createEntity(await appToken(user, app));
      for (const scopes of [[], ['data:read', 'data:write', 'profile']] as const) {
        const { token } = await personalKey(user, [...scopes]);
        for (const path of [metadataPath('activities', entity.id), metadataPath('profile')]) {
          const res = await call(path, {
            method,
            token,
            body: method === 'PUT' || method === 'PATCH' ? '{}' : undefined,
            headers: { 'Content-Type': 'application/json' },
          });
          expect(res.status, `${method} ${path}`).toBe(403);
          expect(await res.json()).toStrictEqual(
            apiError('app_token_required', { hint: expect.any(String) }),
          );
        }
      }
    },
  );

  it('never see app_metadata on entity reads', async () => {
    const user = await createUser();
    const app = await createApp();
    const token = await appToken(user, app);
    const entity = await createEntity(token);
    await putMetadata(metadataPath('activities', entity.id), token, { secret: 1 });
    const key = await personalKey(user, ['data:read']);
    const single = await call(`/api/v1/activities/${entity.id}`, { token: key.token });
    expect(await single.json()).toStrictEqual(entity);
    const list = await call('/api/v1/activities', { token: key.token });
    expect(await list.json()).toStrictEqual([entity]);
  });
});

it('stores documents in D1 as sent', async () => {
  const { token, path, entity } = await setup();
  await raw(path, token, '{"b":1, "a":[1,2]}');
  const row = await env.DB.prepare('SELECT document FROM app_metadata WHERE entity_id = ?')
    .bind(entity.id)
    .first<{ document: string }>();
  expect(row?.document).toBe('{"b":1, "a":[1,2]}');
});
