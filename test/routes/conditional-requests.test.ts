/** ETag, If-Match and If-None-Match on v1 app metadata (spec §4, §11; RFC 9110 §13.1). */
import { describe, expect, it } from 'vitest';
import { userWithApp } from '../helpers/factories';
import { createEntity, metadataPath, patchMetadata, putMetadata } from '../helpers/entities';
import { apiError, call } from '../helpers/worker';

async function setup(document?: unknown) {
  const { token } = await userWithApp();
  const entity = await createEntity(token);
  const path = metadataPath('activities', entity.id);
  let etag: string | null = null;
  if (document !== undefined) etag = (await putMetadata(path, token, document)).headers.get('ETag');
  return { token, path, etag: etag as string };
}

/** Sends a PUT or PATCH of `{ a: 2 }`, or a DELETE, with the given precondition headers. */
function write(method: string, path: string, token: string, headers: Record<string, string>) {
  if (method === 'PUT') return putMetadata(path, token, { a: 2 }, { headers });
  if (method === 'PATCH') return patchMetadata(path, token, { a: 2 }, headers);
  return call(path, { method, token, headers });
}

const preconditionFailed = () => apiError('precondition_failed', { hint: expect.any(String) });

describe('ETag', () => {
  it('changes on every write, even with the same document', async () => {
    const { token, path, etag } = await setup({ a: 1 });
    const second = (await putMetadata(path, token, { a: 1 })).headers.get('ETag');
    const third = (await patchMetadata(path, token, {})).headers.get('ETag');
    expect(new Set([etag, second, third]).size).toBe(3);
  });

  it('is never reused after delete and re-create', async () => {
    const { token, path, etag } = await setup({ a: 1 });
    await call(path, { method: 'DELETE', token });
    const again = await putMetadata(path, token, { a: 1 });
    expect(again.headers.get('ETag')).not.toBe(etag);
    const stale = await putMetadata(path, token, { a: 2 }, { headers: { 'If-Match': etag } });
    expect(stale.status).toBe(412);
  });

  it('is strong', async () => {
    const { etag } = await setup({ a: 1 });
    expect(etag.startsWith('W/')).toBe(false);
  });

  it('answers a GET with a matching If-None-Match 304', async () => {
    const { token, path, etag } = await setup({ a: 1 });
    const res = await call(path, { token, headers: { 'If-None-Match': etag } });
    expect(res.status).toBe(304);
    expect(res.headers.get('ETag')).toBe(etag);
  });
});

describe('If-Match', () => {
  it.each([
    ['another tag', '"other"'],
    ['the weak form of the current tag', 'weak'],
  ])('answers a GET with %s 412 (RFC 9110 §13.1.1)', async (_name, tag) => {
    const { token, path, etag } = await setup({ a: 1 });
    const ifMatch = tag === 'weak' ? `W/${etag}` : tag;
    const res = await call(path, { token, headers: { 'If-Match': ifMatch } });
    expect(res.status).toBe(412);
    expect(await res.json()).toStrictEqual(preconditionFailed());
  });

  it.each(['current', '*'])('answers a GET with If-Match %s 200', async (which) => {
    const { token, path, etag } = await setup({ a: 1 });
    const res = await call(path, { token, headers: { 'If-Match': which === '*' ? '*' : etag } });
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual({ a: 1 });
  });

  it.each(['PUT', 'PATCH', 'DELETE'])('lets %s through with the current tag', async (method) => {
    const { token, path, etag } = await setup({ a: 1 });
    const res = await write(method, path, token, { 'If-Match': etag });
    expect(res.status).toBe(method === 'DELETE' ? 204 : 200);
  });

  it.each(['PUT', 'PATCH', 'DELETE'])(
    'refuses %s with a stale tag: 412, document unchanged',
    async (method) => {
      const { token, path } = await setup({ a: 1 });
      const res = await write(method, path, token, { 'If-Match': '"stale"' });
      expect(res.status).toBe(412);
      expect(await res.json()).toStrictEqual(preconditionFailed());
      expect(await (await call(path, { token })).json()).toStrictEqual({ a: 1 });
    },
  );

  it('never matches a weak tag', async () => {
    const { token, path, etag } = await setup({ a: 1 });
    const res = await putMetadata(path, token, { a: 2 }, { headers: { 'If-Match': `W/${etag}` } });
    expect(res.status).toBe(412);
  });

  it('matches one tag of a list', async () => {
    const { token, path, etag } = await setup({ a: 1 });
    const headers = { 'If-Match': `"other", ${etag}` };
    expect((await putMetadata(path, token, { a: 2 }, { headers })).status).toBe(200);
  });

  it.each(['PUT', 'PATCH', 'DELETE'])('refuses %s on an absent document: 412', async (method) => {
    const { token, path } = await setup();
    for (const value of ['*', '"anything"']) {
      const res = await write(method, path, token, { 'If-Match': value });
      expect(res.status, value).toBe(412);
    }
    expect((await call(path, { token })).status).toBe(404);
  });

  it('lets If-Match: * through when a document exists', async () => {
    const { token, path } = await setup({ a: 1 });
    const res = await putMetadata(path, token, { a: 2 }, { headers: { 'If-Match': '*' } });
    expect(res.status).toBe(200);
  });

  it('lets exactly one of five concurrent writes with the same tag win', async () => {
    const { token, path, etag } = await setup({ n: 0 });
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        putMetadata(path, token, { n }, { headers: { 'If-Match': etag } }),
      ),
    );
    const statuses = results.map((res) => res.status).sort();
    expect(statuses).toStrictEqual([200, 412, 412, 412, 412]);
    const winner = results.find((res) => res.status === 200) as Response;
    const stored = await call(path, { token });
    expect(await stored.json()).toStrictEqual(await winner.json());
    expect(stored.headers.get('ETag')).toBe(winner.headers.get('ETag'));
  });

  it('lets exactly one of five concurrent patches with the same tag win', async () => {
    const { token, path, etag } = await setup({ n: 0 });
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        patchMetadata(path, token, { [`k${n}`]: n }, { 'If-Match': etag }),
      ),
    );
    expect(results.map((res) => res.status).sort()).toStrictEqual([200, 412, 412, 412, 412]);
    const body = (await (await call(path, { token })).json()) as Record<string, number>;
    expect(Object.keys(body)).toHaveLength(2);
  });
});

describe('If-None-Match: *', () => {
  it('creates when absent', async () => {
    const { token, path } = await setup();
    const res = await putMetadata(path, token, { a: 1 }, { headers: { 'If-None-Match': '*' } });
    expect(res.status).toBe(200);
  });

  it('refuses with 412 when a document exists', async () => {
    const { token, path } = await setup({ a: 1 });
    const res = await putMetadata(path, token, { a: 2 }, { headers: { 'If-None-Match': '*' } });
    expect(res.status).toBe(412);
    expect(await res.json()).toStrictEqual(preconditionFailed());
    expect(await (await call(path, { token })).json()).toStrictEqual({ a: 1 });
  });

  it('lets exactly one of five concurrent creates win', async () => {
    const { token, path } = await setup();
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        putMetadata(path, token, { n }, { headers: { 'If-None-Match': '*' } }),
      ),
    );
    expect(results.map((res) => res.status).sort()).toStrictEqual([200, 412, 412, 412, 412]);
  });

  it('works for PATCH creating from {}', async () => {
    const { token, path } = await setup();
    const first = await patchMetadata(path, token, { a: 1 }, { 'If-None-Match': '*' });
    expect(first.status).toBe(200);
    const second = await patchMetadata(path, token, { a: 2 }, { 'If-None-Match': '*' });
    expect(second.status).toBe(412);
  });

  it('refuses a write whose If-None-Match names the current tag', async () => {
    const { token, path, etag } = await setup({ a: 1 });
    const res = await putMetadata(path, token, { a: 2 }, { headers: { 'If-None-Match': etag } });
    expect(res.status).toBe(412);
  });
});
