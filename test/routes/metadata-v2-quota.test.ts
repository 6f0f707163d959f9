/** Quotas per (user, application): 1000 live keys and 1 MiB (UTF-8 bytes) of live values. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  appToken,
  createApp,
  userWithApp,
  type TestApp,
  type TestUser,
} from '../helpers/factories';
import { apiError, call } from '../helpers/worker';

const BASE = '/api/v2/metadata';
const MIB = 1024 * 1024;
const nowSeconds = () => Math.floor(Date.now() / 1000);

function put(token: string, key: string, value: string) {
  return call(`${BASE}/${key}`, { method: 'PUT', token, json: { value } });
}

/** Inserts rows directly (D1 batches stay under 100 binds per statement). */
async function seed(
  user: TestUser,
  app: TestApp,
  count: number,
  options: { prefix?: string; expiresAt?: number | null; bytes?: number } = {},
) {
  const now = nowSeconds();
  const statements = Array.from({ length: count }, (_, i) =>
    env.DB.prepare(
      `INSERT INTO metadata_entries (user_id, client_id, key, value, value_bytes, expires_at, created_at, updated_at)
       VALUES (?, ?, ?, 'v', ?, ?, ?, ?)`,
    ).bind(
      user.id,
      app.clientId,
      `${options.prefix ?? 'seed'}-${i}`,
      options.bytes ?? 1,
      options.expiresAt ?? null,
      now,
      now,
    ),
  );
  await env.DB.batch(statements);
}

function quotaError(quota: 'keys' | 'bytes') {
  return apiError('quota_exceeded', {
    hint: expect.any(String),
    details: { quota, limit: quota === 'keys' ? 1000 : MIB },
  });
}

describe('key quota', () => {
  it('accepts the 1000th key and refuses the 1001st with 422 quota_exceeded', async () => {
    const { user, app, token } = await userWithApp();
    await seed(user, app, 999);
    expect((await put(token, 'key-1000', 'v')).status).toBe(201);
    const res = await put(token, 'key-1001', 'v');
    expect(res.status).toBe(422);
    expect(await res.json()).toStrictEqual(quotaError('keys'));
    expect((await call(`${BASE}/key-1001`, { token })).status).toBe(404);
  });

  it('still updates an existing key when the quota is full', async () => {
    const { user, app, token } = await userWithApp();
    await seed(user, app, 1000);
    const res = await put(token, 'seed-0', 'changed');
    expect(res.status).toBe(200);
  });

  it('does not count expired entries that were never purged', async () => {
    const { user, app, token } = await userWithApp();
    await seed(user, app, 999);
    await seed(user, app, 5, { prefix: 'expired', expiresAt: nowSeconds() - 60 });
    expect((await put(token, 'fits', 'v')).status).toBe(201);
  });

  it('counts keys per application: another app of the same user has its own quota', async () => {
    const { user, app } = await userWithApp();
    await seed(user, app, 1000);
    const other = await createApp();
    const otherToken = await appToken(user, other);
    expect((await put(otherToken, 'mine', 'v')).status).toBe(201);
  });

  it('lets two concurrent writers of new keys take the last slot only once', async () => {
    const { user, app, token } = await userWithApp();
    await seed(user, app, 999);
    const responses = await Promise.all([put(token, 'left', 'v'), put(token, 'right', 'v')]);
    expect(responses.map((r) => r.status).sort()).toStrictEqual([201, 422]);
    const list = (await (await call(BASE, { token })).json()) as { data: unknown[] };
    expect(list.data).toHaveLength(1000);
  });
});

describe('byte quota', () => {
  const four = '\u{1F600}'; // 4 UTF-8 bytes, one character

  it('counts UTF-8 bytes: accepts exactly 1 MiB of four-byte values and refuses one byte more', async () => {
    const { token } = await userWithApp();
    for (let i = 0; i < 4; i += 1) {
      expect((await put(token, `big-${i}`, four.repeat(65535))).status).toBe(201);
    }
    // 4 × 262,140 bytes = 1,048,560; 16 bytes left.
    expect((await put(token, 'last', four.repeat(4))).status).toBe(201);
    const res = await put(token, 'one-more', 'a');
    expect(res.status).toBe(422);
    expect(await res.json()).toStrictEqual(quotaError('bytes'));
  });

  it('counts an updated key by its new size, not old plus new', async () => {
    const { user, app, token } = await userWithApp();
    await seed(user, app, 1, { prefix: 'filler', bytes: MIB - 10 });
    expect((await put(token, 'small', 'abcdefghij')).status).toBe(201);
    expect((await put(token, 'small', 'jihgfedcba')).status).toBe(200);
    expect((await put(token, 'small', 'abcdefghijk')).status).toBe(422);
  });

  it('does not count expired entries that were never purged', async () => {
    const { user, app, token } = await userWithApp();
    await seed(user, app, 1, { prefix: 'gone', bytes: MIB, expiresAt: nowSeconds() - 1 });
    expect((await put(token, 'fresh', 'v')).status).toBe(201);
  });

  it('lets two concurrent writers exceed nothing', async () => {
    const { user, app, token } = await userWithApp();
    await seed(user, app, 1, { prefix: 'filler', bytes: MIB - 100 });
    const responses = await Promise.all([
      put(token, 'a', 'x'.repeat(60)),
      put(token, 'b', 'y'.repeat(60)),
    ]);
    expect(responses.map((r) => r.status).sort()).toStrictEqual([201, 422]);
  });
});
