/**
 * Read replicas with read-your-writes (spec §17): every response to an authenticated request
 * carries Appmeta-Bookmark; a request that sends it back reads data at least as new; a view
 * cached before that bookmark is read through to D1; a malformed or unknown bookmark is
 * ignored, never an error.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { sampleActivity } from '../helpers/entities';
import { userWithApp } from '../helpers/factories';
import { call, serverTiming } from '../helpers/worker';

const D1_BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

async function activity() {
  const { user, token } = await userWithApp();
  const created = await call('/api/v1/activities', { method: 'POST', token, json: sampleActivity });
  const path = `/api/v1/activities/${((await created.json()) as { id: string }).id}`;
  return { user, token, path, created };
}

describe('Appmeta-Bookmark', () => {
  it('is returned by a write, by a cold read and by a hot read', async () => {
    const { token, path, created } = await activity();
    expect(created.headers.get('Appmeta-Bookmark')).toMatch(D1_BOOKMARK);
    const cold = await call(path, { token });
    const hot = await call(path, { token });
    expect(serverTiming(hot).cache).toBe('hit');
    expect(cold.headers.get('Appmeta-Bookmark')).toMatch(D1_BOOKMARK);
    expect(hot.headers.get('Appmeta-Bookmark')).toBe(cold.headers.get('Appmeta-Bookmark'));
  });

  it('is not sent to an unauthenticated request', async () => {
    const response = await call('/health');
    expect(response.headers.get('Appmeta-Bookmark')).toBeNull();
  });

  it('grows with every write', async () => {
    const { token, path, created } = await activity();
    const first = created.headers.get('Appmeta-Bookmark') as string;
    const replaced = await call(path, {
      method: 'PUT',
      token,
      json: { ...sampleActivity, name: 'Again' },
      headers: { 'Appmeta-Bookmark': first },
    });
    expect(replaced.status).toBe(200);
    expect((replaced.headers.get('Appmeta-Bookmark') as string) > first).toBe(true);
  });

  it('sent back newer than a cached view reads through to D1 and sees the write', async () => {
    const { user, token, path } = await activity();
    await call(path, { token });
    expect(serverTiming(await call(path, { token })).cache).toBe('hit');
    // A write the view does not know about (as if another location wrote it and this
    // location's view had not been deleted yet): change D1 directly.
    await env.DB.prepare('UPDATE activities SET name = ? WHERE user_id = ?')
      .bind('Changed elsewhere', user.id)
      .run();
    const after = env.DB.withSession('first-primary');
    await after.prepare('SELECT 1').first();
    const newer = after.getBookmark() as string;
    const stale = await call(path, { token });
    expect(((await stale.json()) as { name: string }).name).toBe(sampleActivity.name);
    const fresh = await call(path, { token, headers: { 'Appmeta-Bookmark': newer } });
    expect(serverTiming(fresh).cache).toBe('miss');
    expect(((await fresh.json()) as { name: string }).name).toBe('Changed elsewhere');
  });

  it('sent back no newer than the view is served from KV', async () => {
    const { token, path } = await activity();
    const cold = await call(path, { token });
    const bookmark = cold.headers.get('Appmeta-Bookmark') as string;
    const hot = await call(path, { token, headers: { 'Appmeta-Bookmark': bookmark } });
    expect(serverTiming(hot)).toStrictEqual({ cache: 'hit', d1: 0 });
  });

  it.each([
    ['not visible ASCII', 'bad bookmark'],
    ['too long', 'a'.repeat(257)],
    [
      'unknown to D1, from the future',
      'ffffffff-ffffffff-ffffffff-ffffffffffffffffffffffffffffffff',
    ],
    ['not in D1’s shape', 'garbage'],
  ])('%s is ignored, never an error', async (_, bookmark) => {
    const { token, path } = await activity();
    const response = await call(path, { token, headers: { 'Appmeta-Bookmark': bookmark } });
    expect(response.status).toBe(200);
    expect(response.headers.get('Appmeta-Bookmark')).toEqual(expect.any(String));
  });
});
