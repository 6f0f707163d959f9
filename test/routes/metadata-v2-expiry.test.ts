/**
 * Expiry (spec §5, docs/security.md promise 4): an expired entry is never served, with the purge
 * never running; and the scheduled handler, run in the Workers runtime, purges in chunks.
 */
import { env } from 'cloudflare:workers';
import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import worker from '../../src/index';
import type { Bindings } from '../../src/env';
import { purgeExpiredMetadata } from '../../src/jobs/purge-metadata';
import { Database } from '../../src/storage/db';
import { userWithApp, type TestApp, type TestUser } from '../helpers/factories';
import { apiError, call } from '../helpers/worker';

const BASE = '/api/v2/metadata';
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The API refuses past expiries, so expired rows are written straight to D1. */
async function insertRow(user: TestUser, app: TestApp, key: string, expiresAt: number | null) {
  const now = nowSeconds();
  await env.DB.prepare(
    `INSERT INTO metadata_entries (user_id, client_id, key, value, value_bytes, expires_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(
      user.id,
      app.clientId,
      key,
      `secret-${key}`,
      8 + key.length,
      expiresAt,
      now - 120,
      now - 120,
    )
    .run();
}

async function keysInD1(user: TestUser): Promise<string[]> {
  const { results } = await env.DB.prepare(
    `SELECT key FROM metadata_entries WHERE user_id = ? ORDER BY key`,
  )
    .bind(user.id)
    .all<{ key: string }>();
  return results.map((row) => row.key);
}

async function runScheduled(): Promise<void> {
  const controller = createScheduledController({
    scheduledTime: new Date(),
    cron: '*/5 * * * *',
  });
  const ctx = createExecutionContext();
  await worker.scheduled(controller, env as unknown as Bindings, ctx);
  await waitOnExecutionContext(ctx);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('expired entries that were never purged', () => {
  it('are absent from the list', async () => {
    const { user, app, token } = await userWithApp();
    await insertRow(user, app, 'old', nowSeconds() - 60);
    await insertRow(user, app, 'live', nowSeconds() + 3600);
    await insertRow(user, app, 'forever', null);
    const res = await call(BASE, { token });
    const body = (await res.json()) as { data: Array<{ key: string }> };
    expect(body.data.map((entry) => entry.key)).toStrictEqual(['forever', 'live']);
  });

  it('answer 404 to a single GET', async () => {
    const { user, app, token } = await userWithApp();
    await insertRow(user, app, 'old', nowSeconds() - 60);
    const res = await call(`${BASE}/old`, { token });
    expect(res.status).toBe(404);
    expect(await res.json()).toStrictEqual(apiError('not_found'));
  });

  it('count as expired from the second expires_at names', async () => {
    const { user, app, token } = await userWithApp();
    await insertRow(user, app, 'edge', nowSeconds());
    expect((await call(`${BASE}/edge`, { token })).status).toBe(404);
  });

  it('answer 404 to DELETE, and the row is removed', async () => {
    const { user, app, token } = await userWithApp();
    await insertRow(user, app, 'old', nowSeconds() - 60);
    const res = await call(`${BASE}/old`, { method: 'DELETE', token });
    expect(res.status).toBe(404);
    expect(await keysInD1(user)).toStrictEqual([]);
  });

  it('are created anew by a PUT, which answers 201', async () => {
    const { user, app, token } = await userWithApp();
    await insertRow(user, app, 'old', nowSeconds() - 60);
    const res = await call(`${BASE}/old`, { method: 'PUT', token, json: { value: 'new' } });
    expect(res.status).toBe(201);
    expect(await res.json()).toStrictEqual({ key: 'old', value: 'new', expires_at: null });
    const { results } = await env.DB.prepare(
      `SELECT created_at, updated_at FROM metadata_entries WHERE user_id = ? AND key = 'old'`,
    )
      .bind(user.id)
      .all<{ created_at: number; updated_at: number }>();
    expect(results[0]?.created_at).toBe(results[0]?.updated_at);
  });
});

describe('the scheduled handler', () => {
  it('purges expired entries and keeps live ones', async () => {
    const { user, app } = await userWithApp();
    await insertRow(user, app, 'a-expired', nowSeconds() - 3600);
    await insertRow(user, app, 'b-expired', nowSeconds() - 1);
    await insertRow(user, app, 'c-live', nowSeconds() + 3600);
    await insertRow(user, app, 'd-forever', null);
    await runScheduled();
    expect(await keysInD1(user)).toStrictEqual(['c-live', 'd-forever']);
  });

  it('is idempotent: a second run changes nothing', async () => {
    const { user, app } = await userWithApp();
    await insertRow(user, app, 'expired', nowSeconds() - 60);
    await insertRow(user, app, 'live', nowSeconds() + 3600);
    await runScheduled();
    await runScheduled();
    expect(await keysInD1(user)).toStrictEqual(['live']);
  });

  it('keeps an expired entry that was renewed before the purge ran', async () => {
    const { user, app, token } = await userWithApp();
    await insertRow(user, app, 'renewed', nowSeconds() - 60);
    const expires = new Date((nowSeconds() + 3600) * 1000).toISOString().replace('.000Z', 'Z');
    await call(`${BASE}/renewed`, {
      method: 'PUT',
      token,
      json: { value: 'again', expires_at: expires },
    });
    await runScheduled();
    expect(await (await call(`${BASE}/renewed`, { token })).json()).toStrictEqual({
      key: 'renewed',
      value: 'again',
      expires_at: expires,
    });
  });

  it('logs the number purged and never a key or value', async () => {
    const { user, app } = await userWithApp();
    await insertRow(user, app, 'logged', nowSeconds() - 60);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await runScheduled();
    const lines = log.mock.calls.map((args) => String(args[0]));
    const purge = lines.find((line) => line.includes('"metadata_purge"'));
    expect(JSON.parse(purge ?? '{}')).toMatchObject({ event: 'metadata_purge', complete: true });
    expect(lines.join('\n')).not.toContain('logged');
  });
});

describe('purgeExpiredMetadata', () => {
  it('deletes in chunks, stops at the run limit, and finishes on the next run', async () => {
    const { user, app } = await userWithApp();
    for (let i = 0; i < 5; i += 1) await insertRow(user, app, `chunk-${i}`, nowSeconds() - 60);
    await insertRow(user, app, 'live', nowSeconds() + 3600);
    const db = new Database(env.DB);
    const limits = { chunkRows: 2, maxChunks: 2 };
    const first = await purgeExpiredMetadata(db, nowSeconds(), limits);
    expect(first).toStrictEqual({ deleted: 4, chunks: 2, complete: false });
    expect(db.roundTrips).toBe(2);
    const second = await purgeExpiredMetadata(db, nowSeconds(), limits);
    expect(second).toStrictEqual({ deleted: 1, chunks: 1, complete: true });
    const third = await purgeExpiredMetadata(db, nowSeconds(), limits);
    expect(third).toStrictEqual({ deleted: 0, chunks: 1, complete: true });
    expect(await keysInD1(user)).toStrictEqual(['live']);
  });

  it('deletes nothing that expires after the given now', async () => {
    const { user, app } = await userWithApp();
    const now = nowSeconds();
    await insertRow(user, app, 'later', now + 10);
    await purgeExpiredMetadata(new Database(env.DB), now, { chunkRows: 10, maxChunks: 1 });
    expect(await keysInD1(user)).toStrictEqual(['later']);
  });
});
