/** PATCH …/app-metadata: RFC 7396 merge patch and its limits (spec §4, §11). */
import { describe, expect, it } from 'vitest';
import { userWithApp } from '../helpers/factories';
import {
  createEntity,
  metadataPath,
  nestedObject,
  patchMetadata,
  putMetadata,
} from '../helpers/entities';
import { apiError, call } from '../helpers/worker';

async function setup(document?: unknown) {
  const { token } = await userWithApp();
  const entity = await createEntity(token);
  const path = metadataPath('activities', entity.id);
  if (document !== undefined) expect((await putMetadata(path, token, document)).status).toBe(200);
  return { token, path, entity };
}

describe('PATCH app-metadata (RFC 7396)', () => {
  it.each<[string, unknown, unknown, unknown]>([
    ['adds a member', { a: 1 }, { b: 2 }, { a: 1, b: 2 }],
    ['replaces a member', { a: 1 }, { a: 'x' }, { a: 'x' }],
    ['deletes a member with null', { a: 1, b: 2 }, { a: null }, { b: 2 }],
    ['ignores null for an absent member', { a: 1 }, { z: null }, { a: 1 }],
    [
      'merges nested objects',
      { o: { x: 1, y: 2 } },
      { o: { y: 3, z: 4 } },
      { o: { x: 1, y: 3, z: 4 } },
    ],
    ['deletes nested members', { o: { x: 1, y: 2 } }, { o: { x: null } }, { o: { y: 2 } }],
    ['replaces arrays whole', { list: [1, 2, 3] }, { list: [4] }, { list: [4] }],
    ['replaces an object with a scalar', { o: { x: 1 } }, { o: 5 }, { o: 5 }],
    ['replaces a scalar with an object', { o: 5 }, { o: { x: null, y: 1 } }, { o: { y: 1 } }],
    ['leaves the document for an empty patch', { a: 1 }, {}, { a: 1 }],
  ])('%s', async (_name, document, patch, expected) => {
    const { token, path } = await setup(document);
    const res = await patchMetadata(path, token, patch);
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual(expected);
    expect(await (await call(path, { token })).json()).toStrictEqual(expected);
  });

  it('creates the document from {} when absent: 200 with an ETag', async () => {
    const { token, path } = await setup();
    const res = await patchMetadata(path, token, { a: 1, gone: null, o: { x: null } });
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual({ a: 1, o: {} });
    expect(res.headers.get('ETag')).toMatch(/^"[^"]+"$/);
  });

  it('changes the ETag', async () => {
    const { token, path } = await setup({ a: 1 });
    const before = (await call(path, { token })).headers.get('ETag');
    const res = await patchMetadata(path, token, { a: 2 });
    expect(res.headers.get('ETag')).not.toBe(before);
  });

  it('keeps __proto__ as a data member through a merge', async () => {
    const { token, path } = await setup({ a: 1 });
    const res = await patchMetadata(path, token, '{"__proto__":{"polluted":true}}');
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual(JSON.parse('{"a":1,"__proto__":{"polluted":true}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(['application/json', 'text/plain', 'application/json-patch+json'])(
    'refuses Content-Type %s with 415 unsupported_media_type',
    async (type) => {
      const { token, path } = await setup({ a: 1 });
      const res = await call(path, {
        method: 'PATCH',
        token,
        body: '{"a":2}',
        headers: { 'Content-Type': type },
      });
      expect(res.status).toBe(415);
      expect(await res.json()).toStrictEqual(
        apiError('unsupported_media_type', { hint: expect.any(String) }),
      );
      expect(await (await call(path, { token })).json()).toStrictEqual({ a: 1 });
    },
  );

  it('refuses a patched result over 1024 bytes with 413, leaving the document', async () => {
    const { token, path } = await setup({ a: 'x'.repeat(600) });
    const res = await patchMetadata(path, token, { b: 'y'.repeat(600) });
    expect(res.status).toBe(413);
    expect(await res.json()).toStrictEqual(apiError('payload_too_large'));
    expect(await (await call(path, { token })).json()).toStrictEqual({ a: 'x'.repeat(600) });
  });

  it('accepts a patched result of exactly the limit', async () => {
    const { token, path } = await setup({ a: 'x'.repeat(500) });
    // {"a":"x…500","b":"…"} = 8 + 500 + 7 + n bytes; n = 509 makes 1024.
    const res = await patchMetadata(path, token, { b: 'y'.repeat(509) });
    expect(res.status).toBe(200);
    expect(new TextEncoder().encode(await res.text()).length).toBe(1024);
    const over = await patchMetadata(path, token, { b: 'y'.repeat(510) });
    expect(over.status).toBe(413);
  });

  it('refuses a patch body over the limit with 413 before merging', async () => {
    const { token, path } = await setup();
    const res = await patchMetadata(path, token, { a: 'z'.repeat(1100) });
    expect(res.status).toBe(413);
  });

  it('refuses a patch deeper than 32 with 422 too_deep', async () => {
    const { token, path } = await setup({ a: 1 });
    const res = await patchMetadata(path, token, nestedObject(33));
    expect(res.status).toBe(422);
    expect(await res.json()).toStrictEqual(apiError('too_deep'));
  });

  it('refuses a depth-33 patch that merges into existing members (a merge never exceeds max(document, patch) depth)', async () => {
    const { token, path } = await setup({ a: JSON.parse(nestedObject(31)) as unknown });
    const res = await patchMetadata(path, token, { a: { a: JSON.parse(nestedObject(31)) } });
    // The patch itself is depth 33 here, so it is refused before merging.
    expect(res.status).toBe(422);
  });

  /** PATCHes the raw text onto `{ a: 1 }` and expects the refusal `status` with exactly `error`. */
  async function expectPatchRefused(patch: string, status: number, error: unknown) {
    const { token, path } = await setup({ a: 1 });
    const res = await patchMetadata(path, token, patch);
    expect(res.status).toBe(status);
    expect(await res.json()).toStrictEqual(error);
  }

  it.each(['[1]', '"x"', 'null', '3'])(
    'refuses the non-object patch %s with 422 validation_error',
    async (patch) => {
      await expectPatchRefused(
        patch,
        422,
        apiError('validation_error', { details: expect.any(Object) }),
      );
    },
  );

  it.each(['{"a":', '{"a":1,"a":2}', '{"a":1e400}', '{"a":"\\ud800"}'])(
    'refuses the malformed patch %s with 400 invalid_json',
    async (patch) => {
      await expectPatchRefused(patch, 400, apiError('invalid_json', { hint: expect.any(String) }));
    },
  );

  it('answers 404 for a missing entity', async () => {
    const { token } = await userWithApp();
    const res = await patchMetadata(metadataPath('activities', 'act_missing'), token, { a: 1 });
    expect(res.status).toBe(404);
    expect(await res.json()).toStrictEqual(apiError('not_found'));
  });

  it('needs data:write', async () => {
    const { token: reader } = await userWithApp(['data:read']);
    const res = await patchMetadata(metadataPath('activities', 'act_x'), reader, { a: 1 });
    expect(res.status).toBe(403);
    expect(res.headers.get('WWW-Authenticate')).toContain('scope="data:write"');
  });
});
