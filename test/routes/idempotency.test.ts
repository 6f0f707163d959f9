/** Idempotency-Key on entity POST and batch-put (spec §14). */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/ids';
import { runScheduledJobs } from '../../src/jobs/scheduled';
import { Database } from '../../src/storage/db';
import { activityOfTwoApps, sampleActivity } from '../helpers/entities';
import { personalKey, userWithApp } from '../helpers/factories';
import { apiError, call } from '../helpers/worker';

const post = (token: string, key: string, json: unknown = sampleActivity) =>
  call('/api/v1/activities', { method: 'POST', token, json, headers: { 'Idempotency-Key': key } });

/** The hash the service keeps for POST /api/v1/activities with the sample body. */
const requestHash = () => sha256(`POST /api/v1/activities\n${JSON.stringify(sampleActivity)}`);

async function activityCount(userId: string): Promise<number> {
  const row = await env.DB.prepare('SELECT count(*) AS n FROM activities WHERE user_id = ?')
    .bind(userId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe('Idempotency-Key on POST', () => {
  it('replays the first response to a retry, with Idempotent-Replayed: true', async () => {
    const { user, token } = await userWithApp();
    const first = await post(token, 'k-1');
    expect(first.status).toBe(201);
    expect(first.headers.get('Idempotent-Replayed')).toBeNull();
    const retry = await post(token, 'k-1');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    expect(retry.headers.get('Location')).toBe(first.headers.get('Location'));
    expect(await retry.json()).toStrictEqual(await first.json());
    expect(await activityCount(user.id)).toBe(1);
  });

  it('answers the same key with another body 422 idempotency_key_reused', async () => {
    const { token } = await userWithApp();
    await post(token, 'k-2');
    const res = await post(token, 'k-2', { ...sampleActivity, name: 'other' });
    expect(res.status).toBe(422);
    expect(await res.json()).toStrictEqual(
      apiError('idempotency_key_reused', { hint: expect.any(String) }),
    );
  });

  it('answers a retry while the first still runs 409 idempotency_in_progress', async () => {
    const { user, app, token } = await userWithApp();
    await env.DB.prepare(
      `INSERT INTO idempotency_keys (user_id, principal_id, key, request_hash, status, body,
                                     created_at, expires_at)
       VALUES (?, ?, 'k-3', ?, NULL, NULL, ?, ?)`,
    )
      .bind(user.id, app.clientId, await requestHash(), Math.floor(Date.now() / 1000), Date.now())
      .run();
    const res = await post(token, 'k-3');
    expect(res.status).toBe(409);
    expect(await res.json()).toStrictEqual(
      apiError('idempotency_in_progress', { hint: expect.any(String) }),
    );
  });

  it('creates exactly one entity for parallel first requests', async () => {
    const { user, token } = await userWithApp();
    const responses = await Promise.all(Array.from({ length: 6 }, () => post(token, 'k-4')));
    for (const res of responses) expect([201, 409]).toContain(res.status);
    expect(await activityCount(user.id)).toBe(1);
  });

  it('keeps keys apart per application and personal key', async () => {
    const { user, token } = await userWithApp();
    const key = await personalKey(user);
    expect((await post(token, 'k-5')).status).toBe(201);
    const other = await post(key.token, 'k-5');
    expect(other.status).toBe(201);
    expect(other.headers.get('Idempotent-Replayed')).toBeNull();
    expect(await activityCount(user.id)).toBe(2);
  });

  it('runs the request again after a refused first attempt', async () => {
    const { user, token } = await userWithApp();
    const refused = await post(token, 'k-6', { ...sampleActivity, sport: 'chess' });
    expect(refused.status).toBe(400);
    expect((await post(token, 'k-6')).status).toBe(201);
    expect(await activityCount(user.id)).toBe(1);
  });

  it.each([
    ['too long', 'k'.repeat(256)],
    ['with a space', 'a b'],
    ['non-ASCII', 'clé'],
  ])('refuses a key %s: 400 validation_error naming it', async (_name, key) => {
    const { token } = await userWithApp();
    const res = await call('/api/v1/activities', {
      method: 'POST',
      token,
      json: sampleActivity,
      headers: { 'Idempotency-Key': key },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toStrictEqual(
      apiError('validation_error', { details: { 'Idempotency-Key': expect.any(String) } }),
    );
  });
});

describe('Idempotency-Key on batch-put', () => {
  it('replays the per-item answers instead of writing again', async () => {
    const { entity, tokenA } = await activityOfTwoApps();
    const send = () =>
      call('/api/v1/activities/app-metadata/batch-put', {
        method: 'POST',
        token: tokenA,
        json: { items: [{ id: entity.id, document: { n: 1 } }] },
        headers: { 'Idempotency-Key': 'b-1' },
      });
    const first = await send();
    const retry = await send();
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await retry.json()).toStrictEqual(await first.json());
  });
});

describe('the scheduled purge', () => {
  it('deletes expired keys and keeps live ones', async () => {
    const { user } = await userWithApp();
    const insert = env.DB.prepare(
      `INSERT INTO idempotency_keys (user_id, principal_id, key, request_hash, status, body,
                                     created_at, expires_at) VALUES (?, 'p', ?, 'h', 201, '{}', 0, ?)`,
    );
    await env.DB.batch([insert.bind(user.id, 'old', 10), insert.bind(user.id, 'live', 4e9)]);
    await runScheduledJobs(new Database(env.DB), 1_000, '*/5 * * * *', {
      changesRetentionDays: 7,
      sweepOutbox: async () => 0,
    });
    const { results } = await env.DB.prepare('SELECT key FROM idempotency_keys WHERE user_id = ?')
      .bind(user.id)
      .all<{ key: string }>();
    expect(results).toStrictEqual([{ key: 'live' }]);
  });
});
