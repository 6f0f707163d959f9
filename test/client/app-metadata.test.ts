/**
 * App metadata through the client (spec §4, §14): reads with ETags, conditional writes, merge
 * patches, `update` under competing writers (no lost increment) and its bounded retries,
 * the profile's document, and the batch endpoints.
 */
import { describe, expect, it } from 'vitest';
import { AppmetaError } from '../../packages/client/src/index';
import { userWithApp } from '../helpers/factories';
import { clientWithKey, rejection } from './helpers';

const ride = { sport: 'cycling.road' as const, start: '2026-05-01T10:00:00Z', duration: 3600 };

/** An app client for a fresh user, with one activity. */
async function withActivity() {
  const { token, user } = await userWithApp();
  const { client, log } = clientWithKey(token);
  const activity = await client.activities.create(ride);
  return { client, log, token, user, id: activity.id };
}

describe('documents on entities', () => {
  it('resolves get of an absent document to null', async () => {
    const { client, id } = await withActivity();
    expect(await client.activities.appMetadata.get(id)).toBeNull();
    expect(await client.activities.appMetadata.getWithETag(id)).toBeNull();
  });

  it('sets a document and reads it back with the ETag the write returned', async () => {
    const { client, id } = await withActivity();
    const written = await client.activities.appMetadata.set(id, { plan: 'base', week: 3 });
    expect(written).toStrictEqual({
      document: { plan: 'base', week: 3 },
      etag: expect.stringMatching(/^"/),
    });
    expect(await client.activities.appMetadata.get(id)).toStrictEqual({ plan: 'base', week: 3 });
    expect(await client.activities.appMetadata.getWithETag(id)).toStrictEqual(written);
    expect(await client.activities.get(id)).toMatchObject({
      app_metadata: { plan: 'base', week: 3 },
    });
  });

  it('applies a merge patch, null removing a member', async () => {
    const { client, id } = await withActivity();
    await client.activities.appMetadata.set(id, { plan: 'base', week: 3 });
    const patched = await client.activities.appMetadata.patch(id, { week: null, done: true });
    expect(patched.document).toStrictEqual({ plan: 'base', done: true });
  });

  it('refuses a write with a stale ETag as 412 precondition_failed', async () => {
    const { client, id } = await withActivity();
    const first = await client.activities.appMetadata.set(id, { n: 1 });
    await client.activities.appMetadata.set(id, { n: 2 }, { ifMatch: first.etag });
    const error = await rejection(
      client.activities.appMetadata.set(id, { n: 3 }, { ifMatch: first.etag }),
    );
    expect({ status: error.status, errorCode: error.errorCode }).toStrictEqual({
      status: 412,
      errorCode: 'precondition_failed',
    });
    expect(await client.activities.appMetadata.get(id)).toStrictEqual({ n: 2 });
  });

  it('creates only when absent with ifNoneMatch', async () => {
    const { client, id } = await withActivity();
    await client.activities.appMetadata.set(id, { claimed: 'a' }, { ifNoneMatch: true });
    const error = await rejection(
      client.activities.appMetadata.set(id, { claimed: 'b' }, { ifNoneMatch: true }),
    );
    expect(error.status).toBe(412);
  });

  it('deletes a document', async () => {
    const { client, id } = await withActivity();
    await client.activities.appMetadata.set(id, { a: 1 });
    await client.activities.appMetadata.delete(id);
    expect(await client.activities.appMetadata.get(id)).toBeNull();
  });

  it('rejects an oversized document with 413 payload_too_large', async () => {
    const { client, id } = await withActivity();
    const error = await rejection(
      client.activities.appMetadata.set(id, { text: 'x'.repeat(2000) }),
    );
    expect({ status: error.status, errorCode: error.errorCode }).toStrictEqual({
      status: 413,
      errorCode: 'payload_too_large',
    });
  });
});

describe('update', () => {
  it('creates the document from null on an entity that has none', async () => {
    const { client, id } = await withActivity();
    const seen: unknown[] = [];
    const result = await client.activities.appMetadata.update<{ count: number }>(id, (current) => {
      seen.push(current);
      return { count: (current?.count ?? 0) + 1 };
    });
    expect(result).toStrictEqual({ count: 1 });
    expect(seen).toStrictEqual([null]);
  });

  it('loses no increment when two writers each increment a counter 10 times', async () => {
    const { token, id } = await withActivity();
    const pair = [clientWithKey(token), clientWithKey(token)];
    const writers = pair.map((entry) => entry.client);
    // The pause between read and write lets the other writer read the same version.
    const increment = async (current: { count: number } | null) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { count: (current?.count ?? 0) + 1 };
    };
    await Promise.all(
      writers.map(async (writer) => {
        for (let n = 0; n < 10; n += 1) await writer.activities.appMetadata.update(id, increment);
      }),
    );
    expect(await writers[0]!.activities.appMetadata.get(id)).toStrictEqual({ count: 20 });
    const puts = pair.flatMap((entry) => entry.log).filter((entry) => entry.method === 'PUT');
    expect(puts.length).toBeGreaterThan(20);
  });

  it('loses no increment when 20 updates of one client run at once', async () => {
    const { client, id } = await withActivity();
    await Promise.all(
      Array.from({ length: 20 }, () =>
        client.activities.appMetadata.update<{ count: number }>(id, (current) => ({
          count: (current?.count ?? 0) + 1,
        })),
      ),
    );
    expect(await client.activities.appMetadata.get(id)).toStrictEqual({ count: 20 });
  });

  it('writes with If-Match the ETag it read', async () => {
    const { client, log, id } = await withActivity();
    const { etag } = await client.activities.appMetadata.set(id, { count: 1 });
    await client.activities.appMetadata.update<{ count: number }>(id, (c) => ({
      count: c!.count + 1,
    }));
    const put = log.filter((entry) => entry.method === 'PUT').at(-1);
    expect(put?.headers.get('If-Match')).toBe(etag);
  });

  it('gives up with 412 after the bounded number of attempts when the document keeps changing', async () => {
    const { client, token, id } = await withActivity();
    const rival = clientWithKey(token).client;
    let calls = 0;
    const error = await rejection(
      client.activities.appMetadata.update(
        id,
        async (current) => {
          calls += 1;
          await rival.activities.appMetadata.set(id, { rival: calls });
          return { ...current, mine: true };
        },
        { maxAttempts: 3 },
      ),
    );
    expect({ status: error.status, errorCode: error.errorCode }).toStrictEqual({
      status: 412,
      errorCode: 'precondition_failed',
    });
    expect(calls).toBe(3);
    expect(await client.activities.appMetadata.get(id)).toStrictEqual({
      rival: 3,
    });
  });

  it('leaves the document alone when the function returns undefined', async () => {
    const { client, log, id } = await withActivity();
    await client.activities.appMetadata.set(id, { a: 1 });
    expect(await client.activities.appMetadata.update(id, () => undefined)).toStrictEqual({ a: 1 });
    expect(log.filter((entry) => entry.method === 'PUT')).toHaveLength(1);
  });

  it('rejects an update on a missing entity with 404 not_found', async () => {
    const { client } = await withActivity();
    const error = await rejection(
      client.activities.appMetadata.update('act_missing', () => ({ a: 1 })),
    );
    expect({ status: error.status, errorCode: error.errorCode }).toStrictEqual({
      status: 404,
      errorCode: 'not_found',
    });
  });
});

describe('the profile', () => {
  it('reads the profile with the app’s document merged in', async () => {
    const { client, user } = await withActivity();
    await client.profile.appMetadata.set({ units: 'metric' });
    expect(await client.profile.get()).toMatchObject({
      id: user.id,
      email: user.email,
      app_metadata: { units: 'metric' },
    });
  });

  it('updates the profile document without losing increments', async () => {
    const { token } = await withActivity();
    const writers = [clientWithKey(token).client, clientWithKey(token).client];
    await Promise.all(
      writers.map(async (writer) => {
        for (let n = 0; n < 5; n += 1) {
          await writer.profile.appMetadata.update<{ logins: number }>((c) => ({
            logins: (c?.logins ?? 0) + 1,
          }));
        }
      }),
    );
    expect(await writers[0]!.profile.appMetadata.get()).toStrictEqual({ logins: 10 });
    await writers[1]!.profile.appMetadata.delete();
    expect(await writers[0]!.profile.appMetadata.get()).toBeNull();
  });
});

describe('batches', () => {
  it('reads several documents in the order given, a missing one as not_found', async () => {
    const { client, id } = await withActivity();
    const { etag } = await client.activities.appMetadata.set(id, { a: 1 });
    expect(await client.activities.appMetadata.batchGet([id, 'act_missing'])).toStrictEqual([
      { id, app_metadata: { a: 1 }, etag },
      { id: 'act_missing', error: { errorCode: 'not_found' } },
    ]);
  });

  it('writes several documents, each with its own status', async () => {
    const { client, id } = await withActivity();
    const other = await client.activities.create(ride);
    const results = await client.activities.appMetadata.batchPut([
      { id, document: { plan: 'base' } },
      { id: other.id, document: { plan: 'build' }, if_match: '"stale"' },
    ]);
    expect(results).toStrictEqual([
      { id, status: 200, etag: expect.any(String) },
      { id: other.id, status: 412, error: { errorCode: 'precondition_failed' } },
    ]);
    expect(await client.activities.appMetadata.get(id)).toStrictEqual({ plan: 'base' });
  });
});
