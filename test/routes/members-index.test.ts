/**
 * The members index behind metadata filters (spec §14) follows every document write and
 * delete in the same batch: PUT, PATCH, DELETE, an entity delete and a revocation.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { activityOfTwoApps, patchMetadata, putMetadata } from '../helpers/entities';
import { personalKey } from '../helpers/factories';
import { call } from '../helpers/worker';

async function members(entityId: string): Promise<Array<[string, string, unknown]>> {
  const { results } = await env.DB.prepare(
    `SELECT key, value_type, value FROM app_metadata_members WHERE entity_id = ?
      ORDER BY client_id, key`,
  )
    .bind(entityId)
    .all<{ key: string; value_type: string; value: unknown }>();
  return results.map((row) => [row.key, row.value_type, row.value]);
}

describe('the members index', () => {
  it('holds each top-level member with its type after a PUT', async () => {
    const { entity, path, tokenA } = await activityOfTwoApps();
    const document = { s: 'x', i: 2, r: 2.5, t: true, f: false, z: null, o: { a: 1 }, l: [1] };
    expect((await putMetadata(path, tokenA, document)).status).toBe(200);
    expect(await members(entity.id)).toStrictEqual([
      ['f', 'false', null],
      ['i', 'number', 2],
      ['l', 'array', null],
      ['o', 'object', null],
      ['r', 'number', 2.5],
      ['s', 'string', 'x'],
      ['t', 'true', null],
      ['z', 'null', null],
    ]);
  });

  it('follows a PATCH that removes and changes members', async () => {
    const { entity, path, tokenA } = await activityOfTwoApps();
    await putMetadata(path, tokenA, { a: 1, b: 2 });
    expect((await patchMetadata(path, tokenA, { a: null, b: 'two' })).status).toBe(200);
    expect(await members(entity.id)).toStrictEqual([['b', 'string', 'two']]);
  });

  it('keeps the rows of a write refused by its precondition', async () => {
    const { entity, path, tokenA } = await activityOfTwoApps();
    await putMetadata(path, tokenA, { a: 1 });
    const refused = await putMetadata(path, tokenA, { b: 1 }, { headers: { 'If-Match': '"no"' } });
    expect(refused.status).toBe(412);
    expect(await members(entity.id)).toStrictEqual([['a', 'number', 1]]);
  });

  it('drops the rows of a deleted document and leaves the other app’s', async () => {
    const { entity, path, tokenA, tokenB } = await activityOfTwoApps();
    await putMetadata(path, tokenA, { a: 1 });
    await putMetadata(path, tokenB, { b: 1 });
    expect((await call(path, { method: 'DELETE', token: tokenA })).status).toBe(204);
    expect(await members(entity.id)).toStrictEqual([['b', 'number', 1]]);
  });

  it('drops every app’s rows when the entity is deleted', async () => {
    const { entity, path, tokenA, tokenB } = await activityOfTwoApps();
    await putMetadata(path, tokenA, { a: 1 });
    await putMetadata(path, tokenB, { b: 1 });
    const res = await call(`/api/v1/activities/${entity.id}`, { method: 'DELETE', token: tokenA });
    expect(res.status).toBe(204);
    expect(await members(entity.id)).toStrictEqual([]);
  });

  it('drops the revoked app’s rows and keeps the others', async () => {
    const { user, first, entity, path, tokenA, tokenB } = await activityOfTwoApps();
    await putMetadata(path, tokenA, { a: 1 });
    await putMetadata(path, tokenB, { b: 1 });
    const { token } = await personalKey(user);
    const revoked = await call(`/api/v1/profile/authorizations/${first.clientId}`, {
      method: 'DELETE',
      token,
    });
    expect(revoked.status).toBe(204);
    expect(await members(entity.id)).toStrictEqual([['b', 'number', 1]]);
  });
});
