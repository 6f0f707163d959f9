/**
 * The v2 quota bounds the rows stored for a (user, application), expired or not (issue: one
 * pair stored 3,000 rows under the 1,000-key quota by writing keys that expire in 3 s).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { METADATA_MAX_KEYS } from '../../src/config';
import { userWithApp } from '../helpers/factories';
import { call } from '../helpers/worker';

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Inserts `count` rows for the pair that expired a minute ago (as if written with 3 s expiry). */
async function expiredRows(userId: string, clientId: string, count: number) {
  const past = nowSeconds() - 60;
  const statements = Array.from({ length: count }, (_, i) =>
    env.DB.prepare(
      `INSERT INTO metadata_entries (user_id, client_id, key, value, value_bytes, expires_at, created_at, updated_at)
       VALUES (?, ?, ?, 'v', 1, ?, ?, ?)`,
    ).bind(userId, clientId, `short-${i}`, past, past - 3, past - 3),
  );
  for (let i = 0; i < statements.length; i += 100) await env.DB.batch(statements.slice(i, i + 100));
}

async function storedRows(userId: string, clientId: string): Promise<number> {
  const row = await env.DB.prepare(
    'SELECT count(*) AS n FROM metadata_entries WHERE user_id = ? AND client_id = ?',
  )
    .bind(userId, clientId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe('stored v2 rows', () => {
  it('never exceed the key quota: a PUT removes the pair’s expired rows first', async () => {
    const { user, app, token } = await userWithApp();
    await expiredRows(user.id, app.clientId, METADATA_MAX_KEYS);
    const response = await call('/api/v2/metadata/fresh', {
      method: 'PUT',
      token,
      json: { value: 'x', expires_at: new Date((nowSeconds() + 3) * 1000).toISOString() },
    });
    expect(response.status).toBe(201);
    expect(await storedRows(user.id, app.clientId)).toBe(1);
  });

  it('records metadata.expired for each expired row a PUT removes', async () => {
    const { user, app, token } = await userWithApp();
    await expiredRows(user.id, app.clientId, 3);
    await call('/api/v2/metadata/fresh', { method: 'PUT', token, json: { value: 'x' } });
    const { results } = await env.DB.prepare(
      'SELECT type, key FROM changes WHERE user_id = ? ORDER BY seq',
    )
      .bind(user.id)
      .all<{ type: string; key: string }>();
    expect(results).toStrictEqual([
      { type: 'metadata.expired', key: 'short-0' },
      { type: 'metadata.expired', key: 'short-1' },
      { type: 'metadata.expired', key: 'short-2' },
      { type: 'metadata.updated', key: 'fresh' },
    ]);
  });

  it('leaves another application’s expired rows to the purge', async () => {
    const first = await userWithApp();
    const second = await userWithApp();
    await expiredRows(second.user.id, second.app.clientId, 2);
    await call('/api/v2/metadata/fresh', {
      method: 'PUT',
      token: first.token,
      json: { value: 'x' },
    });
    expect(await storedRows(second.user.id, second.app.clientId)).toBe(2);
  });
});
