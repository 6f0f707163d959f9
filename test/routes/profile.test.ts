/** GET /api/v1/profile and /api/v1/profile/app-metadata (spec §3, §4, §8). */
import { describe, expect, it } from 'vitest';
import { appToken, createApp, createUser, personalKey } from '../helpers/factories';
import {
  documentOfBytes,
  metadataPath,
  nestedObject,
  patchMetadata,
  putMetadata,
} from '../helpers/entities';
import { apiError, call } from '../helpers/worker';

const PATH = metadataPath('profile');
const anyString = expect.any(String) as unknown as string;

async function setup(scopes?: Parameters<typeof appToken>[2]) {
  const user = await createUser({ firstName: 'Grace', lastName: 'Hopper' });
  const app = await createApp();
  const token = await appToken(user, app, scopes);
  return { user, app, token };
}

describe('GET /api/v1/profile', () => {
  it('answers the profile shape', async () => {
    const { user, token } = await setup();
    const res = await call('/api/v1/profile', { token });
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual({
      id: user.id,
      email: user.email,
      first_name: 'Grace',
      last_name: 'Hopper',
      display_name: 'Grace Hopper',
      registered_at: anyString,
    });
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });

  it('merges the calling app’s document as app_metadata', async () => {
    const { token } = await setup();
    await putMetadata(PATH, token, { theme: 'dark' });
    const res = await call('/api/v1/profile', { token });
    expect(await res.json()).toMatchObject({ app_metadata: { theme: 'dark' } });
  });

  it('never shows another app’s document', async () => {
    const { user, token } = await setup();
    await putMetadata(PATH, token, { theme: 'dark' });
    const other = await appToken(user, await createApp());
    const res = await call('/api/v1/profile', { token: other });
    expect(await res.json()).not.toHaveProperty('app_metadata');
  });

  it('answers a personal key with the profile and no app_metadata', async () => {
    const { user, token } = await setup();
    await putMetadata(PATH, token, { theme: 'dark' });
    const key = await personalKey(user, ['profile']);
    const res = await call('/api/v1/profile', { token: key.token });
    expect(res.status).toBe(200);
    expect(await res.json()).not.toHaveProperty('app_metadata');
  });

  it('needs the profile scope', async () => {
    const { token } = await setup(['data:read', 'data:write']);
    const res = await call('/api/v1/profile', { token });
    expect(res.status).toBe(403);
    expect(await res.json()).toStrictEqual(apiError('insufficient_scope'));
    expect(res.headers.get('WWW-Authenticate')).toBe(
      'Bearer realm="appmeta", error="insufficient_scope", scope="profile"',
    );
  });
});

describe('/api/v1/profile/app-metadata', () => {
  it('accepts 4096 bytes and refuses 4097 with 413', async () => {
    const { token } = await setup();
    const put = (text: string) =>
      call(PATH, {
        method: 'PUT',
        token,
        body: text,
        headers: { 'Content-Type': 'application/json' },
      });
    expect((await put(documentOfBytes(4096))).status).toBe(200);
    expect((await put(documentOfBytes(4096, 'ü'))).status).toBe(200);
    const res = await put(documentOfBytes(4097));
    expect(res.status).toBe(413);
    expect(await res.json()).toStrictEqual(apiError('payload_too_large'));
    expect((await put(documentOfBytes(4097, '€'))).status).toBe(413);
  });

  it('refuses depth 33 with 422 too_deep', async () => {
    const { token } = await setup();
    const res = await call(PATH, {
      method: 'PUT',
      token,
      body: nestedObject(33),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toStrictEqual(apiError('too_deep'));
  });

  it('reads the document alone with an ETag, 404 when absent', async () => {
    const { token } = await setup();
    expect((await call(PATH, { token })).status).toBe(404);
    const put = await putMetadata(PATH, token, { a: 1 });
    const res = await call(PATH, { token });
    expect(await res.json()).toStrictEqual({ a: 1 });
    expect(res.headers.get('ETag')).toBe(put.headers.get('ETag'));
  });

  it('patches, limited to 4096 bytes after merging', async () => {
    const { token } = await setup();
    await putMetadata(PATH, token, { a: 'x'.repeat(3000) });
    expect((await patchMetadata(PATH, token, { b: 'y'.repeat(500) })).status).toBe(200);
    const res = await patchMetadata(PATH, token, { c: 'z'.repeat(1000) });
    expect(res.status).toBe(413);
  });

  it('deletes: 204 with or without a document', async () => {
    const { token } = await setup();
    expect((await call(PATH, { method: 'DELETE', token })).status).toBe(204);
    await putMetadata(PATH, token, { a: 1 });
    expect((await call(PATH, { method: 'DELETE', token })).status).toBe(204);
    expect((await call(PATH, { token })).status).toBe(404);
  });

  it('GET needs profile; writes need data:write', async () => {
    const { token: noProfile } = await setup(['data:read', 'data:write']);
    const get = await call(PATH, { token: noProfile });
    expect(get.status).toBe(403);
    expect(get.headers.get('WWW-Authenticate')).toContain('scope="profile"');
    const { token: readOnly } = await setup(['profile', 'data:read']);
    for (const method of ['PUT', 'DELETE']) {
      const res = await call(PATH, {
        method,
        token: readOnly,
        json: method === 'PUT' ? {} : undefined,
      });
      expect(res.status).toBe(403);
      expect(res.headers.get('WWW-Authenticate')).toContain('scope="data:write"');
    }
    const patch = await patchMetadata(PATH, readOnly, {});
    expect(patch.status).toBe(403);
  });

  it('keeps each user’s profile document separate for one app', async () => {
    const app = await createApp();
    const [first, second] = [await createUser(), await createUser()];
    const tokenA = await appToken(first, app);
    const tokenB = await appToken(second, app);
    await putMetadata(PATH, tokenA, { who: 'first' });
    expect((await call(PATH, { token: tokenB })).status).toBe(404);
    await putMetadata(PATH, tokenB, { who: 'second' });
    expect(await (await call(PATH, { token: tokenA })).json()).toStrictEqual({ who: 'first' });
  });
});
