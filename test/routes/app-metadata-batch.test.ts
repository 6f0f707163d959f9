/** Bulk metadata (spec §14, §17 "Batches"): batch-get and batch-put with per-item outcomes. */
import { describe, expect, it } from 'vitest';
import { changesOf } from '../helpers/changes';
import { activityOfTwoApps, createEntity, putMetadata } from '../helpers/entities';
import { personalKey, userWithApp } from '../helpers/factories';
import { apiError, call } from '../helpers/worker';

const batch = (op: 'get' | 'put', token: string, json: unknown) =>
  call(`/api/v1/activities/app-metadata/batch-${op}`, { method: 'POST', token, json });

/** A fresh app token's batch request with `body` is 400 validation_error. */
async function expectRefused(op: 'get' | 'put', body: unknown): Promise<void> {
  const { token } = await userWithApp();
  const res = await batch(op, token, body);
  expect(res.status).toBe(400);
  expect(await res.json()).toStrictEqual(
    apiError('validation_error', { details: expect.any(Object) }),
  );
}

describe('POST …/app-metadata/batch-get', () => {
  it('answers each id in order: document and etag, none, or not_found', async () => {
    const { entity, path, tokenA, tokenB } = await activityOfTwoApps();
    const bare = await createEntity(tokenA);
    const written = await putMetadata(path, tokenA, { plan: 'base' });
    const foreign = await createEntity((await userWithApp()).token);
    const res = await batch('get', tokenA, {
      ids: [bare.id, 'act_missing', entity.id, foreign.id],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual({
      data: [
        { id: bare.id },
        { id: 'act_missing', error: { errorCode: 'not_found' } },
        { id: entity.id, app_metadata: { plan: 'base' }, etag: written.headers.get('ETag') },
        { id: foreign.id, error: { errorCode: 'not_found' } },
      ],
    });
    const other = await batch('get', tokenB, { ids: [entity.id] });
    expect(await other.json()).toStrictEqual({ data: [{ id: entity.id }] });
  });

  it.each([
    ['duplicate ids', { ids: ['act_a', 'act_a'] }],
    ['no ids', { ids: [] }],
    ['101 ids', { ids: Array.from({ length: 101 }, (_, i) => `act_${i}`) }],
    ['a number id', { ids: [1] }],
  ])('refuses %s: 400 validation_error', (_name, body) => expectRefused('get', body));
});

describe('POST …/app-metadata/batch-put', () => {
  it('writes the accepted items and answers each with its own status', async () => {
    const { user, entity, path, tokenA } = await activityOfTwoApps();
    const second = await createEntity(tokenA);
    const current = (await putMetadata(path, tokenA, { v: 1 })).headers.get('ETag');
    const foreign = await createEntity((await userWithApp()).token);
    const res = await batch('put', tokenA, {
      items: [
        { id: entity.id, document: { v: 2 }, if_match: current },
        { id: second.id, document: { v: 1 }, if_match: '"stale"' },
        { id: foreign.id, document: { v: 1 } },
        { id: 'act_nope', document: { v: 1 } },
        { id: `${second.id}x`, document: { big: 'x'.repeat(1100) } },
        { id: `${second.id}y`, document: [1] },
      ],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Array<{ etag?: string }> };
    const err = (errorCode: string) => ({ errorCode });
    expect(body).toStrictEqual({
      data: [
        { id: entity.id, status: 200, etag: expect.stringMatching(/^"[^"]+"$/) },
        { id: second.id, status: 412, error: err('precondition_failed') },
        { id: foreign.id, status: 404, error: err('not_found') },
        { id: 'act_nope', status: 404, error: err('not_found') },
        { id: `${second.id}x`, status: 413, error: err('payload_too_large') },
        { id: `${second.id}y`, status: 422, error: err('validation_error') },
      ],
    });
    const read = await call(path, { token: tokenA });
    expect(await read.json()).toStrictEqual({ v: 2 });
    expect(read.headers.get('ETag')).toBe(body.data[0]?.etag);
    const updates = (await changesOf(user.id)).filter((c) => c.type === 'app_metadata.updated');
    expect(updates.map((c) => c.entity_id)).toStrictEqual([entity.id, entity.id]);
  });

  it('refuses a document deeper than 32 levels as a 422 too_deep item', async () => {
    const { entity, tokenA } = await activityOfTwoApps();
    let deep: unknown = {};
    for (let i = 0; i < 32; i += 1) deep = { d: deep };
    const res = await batch('put', tokenA, { items: [{ id: entity.id, document: deep }] });
    expect(await res.json()).toStrictEqual({
      data: [{ id: entity.id, status: 422, error: { errorCode: 'too_deep' } }],
    });
  });

  it.each([
    [
      'duplicate ids',
      {
        items: [
          { id: 'act_a', document: {} },
          { id: 'act_a', document: {} },
        ],
      },
    ],
    [
      '26 items',
      { items: Array.from({ length: 26 }, (_, i) => ({ id: `act_${i}`, document: {} })) },
    ],
    ['no items', { items: [] }],
  ])('refuses %s: 400 validation_error', (_name, body) => expectRefused('put', body));

  it('answers a personal key 403 app_token_required', async () => {
    const { user } = await activityOfTwoApps();
    const { token } = await personalKey(user);
    const res = await batch('put', token, { items: [{ id: 'act_a', document: {} }] });
    expect(res.status).toBe(403);
  });
});
