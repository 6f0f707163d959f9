/**
 * Entities through the client against the real Worker: create, get, replace, delete, lists as
 * async iterators over `Link` (also while writing), filters, and the errors (spec §8, §14).
 */
import { describe, expect, it } from 'vitest';
import { AppmetaError } from '../../packages/client/src/index';
import { createUser, personalKey, userWithApp } from '../helpers/factories';
import { clientWithKey, collect, rejection } from './helpers';

const ride = { sport: 'cycling.road' as const, start: '2026-05-01T10:00:00Z', duration: 3600 };

/** The start of the n-th hour of 1 May 2026, so lists have a known newest-first order. */
const hour = (n: number) => `2026-05-01T${String(n).padStart(2, '0')}:00:00Z`;

/** The fields of an AppmetaError a test compares. */
function fieldsOf(error: AppmetaError) {
  return {
    status: error.status,
    errorCode: error.errorCode,
    requestId: error.requestId,
    details: error.details,
    retryAfter: error.retryAfter,
  };
}

async function keyClient() {
  const user = await createUser();
  const { token } = await personalKey(user);
  return { user, ...clientWithKey(token) };
}

describe('entity reads and writes', () => {
  it('creates an activity and reads it back', async () => {
    const { client } = await keyClient();
    const created = await client.activities.create({ ...ride, name: 'Morning ride' });
    expect(created).toMatchObject({ sport: 'cycling.road', name: 'Morning ride', duration: 3600 });
    expect(await client.activities.get(created.id)).toStrictEqual(created);
  });

  it('resolves get of an entity that does not exist to null', async () => {
    const { client } = await keyClient();
    expect(await client.traces.get('trc_does_not_exist')).toBeNull();
  });

  it('replaces and deletes a test, after which get resolves to null', async () => {
    const { client } = await keyClient();
    const created = await client.tests.create({ sport: 'running', start: hour(8), title: 'Ramp' });
    const replaced = await client.tests.replace(created.id, {
      sport: 'running',
      start: hour(8),
      title: 'Step test',
    });
    expect(replaced).toMatchObject({ id: created.id, title: 'Step test' });
    await client.tests.delete(created.id);
    expect(await client.tests.get(created.id)).toBeNull();
  });

  it('creates once for two calls with the same idempotency key', async () => {
    const { client } = await keyClient();
    const first = await client.activities.create(ride, { idempotencyKey: 'import-42' });
    const retry = await client.activities.create(ride, { idempotencyKey: 'import-42' });
    expect(retry).toStrictEqual(first);
    expect(await collect(client.activities.list())).toStrictEqual([first]);
  });

  it('sends Idempotency-Key only when one is given', async () => {
    const { client, log } = await keyClient();
    await client.activities.create(ride, { idempotencyKey: 'k-1' });
    await client.activities.create(ride);
    const posts = log.filter((entry) => entry.method === 'POST');
    expect(posts.map((entry) => entry.headers.get('Idempotency-Key'))).toStrictEqual(['k-1', null]);
  });
});

describe('errors as AppmetaError', () => {
  it('rejects a delete of a missing entity with 404 not_found', async () => {
    const { client } = await keyClient();
    const error = await rejection(client.activities.delete('act_missing'));
    expect(fieldsOf(error)).toStrictEqual({
      status: 404,
      errorCode: 'not_found',
      requestId: expect.any(String),
      details: undefined,
      retryAfter: undefined,
    });
  });

  it('carries the details of a validation_error', async () => {
    const { client } = await keyClient();
    const error = await rejection(
      client.activities.create({ ...ride, sport: 'curling' as 'cycling' }),
    );
    expect(fieldsOf(error)).toStrictEqual({
      status: 400,
      errorCode: 'validation_error',
      requestId: expect.any(String),
      details: { sport: expect.any(String) },
      retryAfter: undefined,
    });
  });

  it('rejects a bad key with 401 invalid_token', async () => {
    const { client } = clientWithKey('not-a-token');
    const error = await rejection(client.activities.get('act_1'));
    expect(fieldsOf(error)).toMatchObject({ status: 401, errorCode: 'invalid_token' });
    expect(error.message).toEqual(expect.any(String));
  });

  it('rejects app metadata with a personal key as 403 app_token_required', async () => {
    const { client } = await keyClient();
    const created = await client.activities.create(ride);
    const error = await rejection(client.activities.appMetadata.set(created.id, { a: 1 }));
    expect(fieldsOf(error)).toMatchObject({ status: 403, errorCode: 'app_token_required' });
  });
});

describe('lists', () => {
  it('yields every item one by one across pages of limit, newest first', async () => {
    const { client, log } = await keyClient();
    const created = [];
    for (let n = 1; n <= 7; n += 1)
      created.push(await client.activities.create({ ...ride, start: hour(n) }));
    const listed = await collect(client.activities.list({ limit: 3 }));
    expect(listed.map((item) => item.id)).toStrictEqual(created.reverse().map((item) => item.id));
    const pages = log.filter((entry) => entry.method === 'GET');
    expect(pages).toHaveLength(3);
    expect(pages.map((entry) => entry.url.searchParams.get('limit'))).toStrictEqual([
      '3',
      '3',
      '3',
    ]);
  });

  it('never skips or repeats an item while entities are created during the walk', async () => {
    const { client } = await keyClient();
    const created = [];
    for (let n = 10; n <= 15; n += 1)
      created.push(await client.activities.create({ ...ride, start: hour(n) }));
    const seen: string[] = [];
    let extra = 0;
    for await (const item of client.activities.list({ limit: 2 })) {
      seen.push(item.id);
      // One newer and one older than everything listed so far, on every item.
      const minute = String(extra).padStart(2, '0');
      await client.activities.create({ ...ride, start: `2026-05-02T00:${minute}:00Z` });
      await client.activities.create({ ...ride, start: `2026-04-01T00:${minute}:00Z` });
      extra += 1;
      if (extra > 30) break;
    }
    const original = created.reverse().map((item) => item.id);
    expect(seen.slice(0, original.length)).toStrictEqual(original);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('passes sports and tags as comma-separated lists', async () => {
    const { client, log } = await keyClient();
    const road = await client.activities.create({ ...ride, tags: ['race'] });
    await client.activities.create({ ...ride, sport: 'running', tags: ['race'] });
    const listed = await collect(
      client.activities.list({ sports: ['cycling', 'rowing'], tags: ['race', 'z2'] }),
    );
    expect(listed).toStrictEqual([road]);
    expect(log.at(-1)?.url.search).toBe('?sports=cycling%2Crowing&tags=race%2Cz2');
  });

  it('filters on the app’s own metadata with an app token', async () => {
    const { token } = await userWithApp();
    const { client } = clientWithKey(token);
    const [a, b, c] = [
      await client.activities.create(ride),
      await client.activities.create(ride),
      await client.activities.create(ride),
    ];
    await client.activities.appMetadata.set(a.id, { plan: 'base', done: true });
    await client.activities.appMetadata.set(b.id, { plan: 'build' });
    const ids = async (filter: Parameters<typeof client.activities.list>[0]) =>
      (await collect(client.activities.list(filter))).map((item) => item.id).sort();
    expect(await ids({ appMetadata: { equals: { plan: 'base' } } })).toStrictEqual([a.id]);
    expect(await ids({ appMetadata: { has: 'plan', missing: 'done' } })).toStrictEqual([b.id]);
    expect(await ids({ appMetadata: { missing: ['plan'] } })).toStrictEqual([c.id]);
    expect(await ids({ appMetadata: { equals: { done: true, plan: 'base' } } })).toStrictEqual([
      a.id,
    ]);
  });
});
