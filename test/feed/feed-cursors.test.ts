/**
 * The feed's paging and boundaries (spec §13, §17): cursors that never skip or repeat, the
 * empty page, isolation between users and apps, authorizations that begin or end, retention,
 * and hostile cursors and limits.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/events/feed';
import { purgeOldChanges } from '../../src/jobs/purge-changes';
import { Database } from '../../src/storage/db';
import { createEntity } from '../helpers/entities';
import { appToken, createApp, createUser, personalKey, userWithApp } from '../helpers/factories';
import { feedPage, walkFeed } from '../helpers/feed';
import { apiError, call, serverTiming } from '../helpers/worker';

const v2Put = (token: string, key: string) =>
  call(`/api/v2/metadata/${key}`, { method: 'PUT', token, json: { value: key } });

async function userWithKeys(count: number) {
  const { user, app, token } = await userWithApp();
  for (let index = 0; index < count; index += 1) await v2Put(token, `k${index}`);
  return { user, app, token };
}

const keysOf = (events: { data: Record<string, string> }[]) => events.map((e) => e.data.key ?? '');

describe('feed paging', () => {
  it('pages in commit order with has_more and the cursor of the last event', async () => {
    const { token } = await userWithKeys(3);
    const first = await feedPage(token, '?limit=2');
    expect(keysOf(first.data)).toStrictEqual(['k0', 'k1']);
    expect(first.has_more).toBe(true);
    const second = await feedPage(token, `?limit=2&after=${first.next_cursor}`);
    expect(keysOf(second.data)).toStrictEqual(['k2']);
    expect(second.has_more).toBe(false);
    expect(second.next_cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('answers an empty page with the cursor that was sent, or null at the very start', async () => {
    const { token } = await userWithKeys(1);
    const first = await feedPage(token);
    const after = first.next_cursor as string;
    expect(await feedPage(token, `?after=${after}`)).toStrictEqual({
      data: [],
      next_cursor: after,
      has_more: false,
    });
    const { token: fresh } = await userWithApp();
    expect(await feedPage(fresh)).toStrictEqual({ data: [], next_cursor: null, has_more: false });
  });

  it('reads a page in one D1 round trip', async () => {
    const { token } = await userWithKeys(1);
    const response = await call('/api/v1/changes', { token });
    expect(response.status).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(serverTiming(response).d1).toBe(1);
  });

  it('never skips or repeats an event while writes run concurrently with the walk', async () => {
    const { token } = await userWithApp();
    const writes = Array.from({ length: 30 }, (_, index) => v2Put(token, `c${index}`));
    const seen: string[] = [];
    let after: string | null = null;
    const walk = async () => {
      for (let round = 0; round < 200 && seen.length < 30; round += 1) {
        const page = await feedPage(token, `?limit=4${after === null ? '' : `&after=${after}`}`);
        seen.push(...keysOf(page.data));
        after = page.next_cursor;
      }
    };
    await Promise.all([...writes, walk()]);
    await walk();
    expect(seen.length).toBe(30);
    expect(new Set(seen).size).toBe(30);
  });
});

describe('feed isolation', () => {
  it('shows an app only its own user’s events, never another user’s or another app’s', async () => {
    const { user, app, token } = await userWithKeys(1);
    const stranger = await userWithKeys(2);
    const sibling = await createApp();
    const siblingToken = await appToken(user, sibling);
    await v2Put(siblingToken, 'sibling');
    expect(keysOf(await walkFeed(token))).toStrictEqual(['k0']);
    expect(keysOf(await walkFeed(siblingToken))).toStrictEqual(['sibling']);
    const strangerWithApp = await appToken(stranger.user, app);
    expect(await walkFeed(strangerWithApp)).toStrictEqual([]);
    expect(keysOf(await walkFeed(stranger.token))).toStrictEqual(['k0', 'k1']);
  });

  it('shows an app authorized later no event that committed before its authorization', async () => {
    const { user, token } = await userWithApp();
    await createEntity(token);
    const late = await appToken(user, await createApp(), ['data:read']);
    expect(await walkFeed(late)).toStrictEqual([]);
    const { id } = await createEntity(token);
    expect((await walkFeed(late)).map((e) => e.data.entity_id)).toStrictEqual([id]);
  });

  it('shows a re-authorized app nothing from before its revocation', async () => {
    const { user, app, token } = await userWithKeys(1);
    const key = await personalKey(user);
    const revoke = `/api/v1/profile/authorizations/${app.clientId}`;
    expect((await call(revoke, { method: 'DELETE', token: key.token })).status).toBe(204);
    expect((await call('/api/v1/changes', { token })).status).toBe(401);
    const again = await appToken(user, app);
    expect(await walkFeed(again)).toStrictEqual([]);
    await v2Put(again, 'after');
    expect(keysOf(await walkFeed(again))).toStrictEqual(['after']);
  });

  it('answers a personal key 403 app_token_required', async () => {
    const key = await personalKey(await createUser());
    const response = await call('/api/v1/changes', { token: key.token });
    expect(response.status).toBe(403);
    expect(await response.json()).toStrictEqual(
      apiError('app_token_required', { hint: expect.any(String) }),
    );
  });
});

describe('feed retention and hostile input', () => {
  it('answers 410 cursor_expired to a cursor whose events were purged, and keeps newer ones', async () => {
    const { token } = await userWithKeys(2);
    const first = await feedPage(token, '?limit=1');
    await env.DB.prepare(`UPDATE changes SET created_at = 1 WHERE id = ?`)
      .bind(first.data[0]?.id)
      .run();
    const before = await feedPage(token);
    const report = await purgeOldChanges(new Database(env.DB), Math.floor(Date.now() / 1000), 7);
    expect(report.deleted).toBeGreaterThanOrEqual(1);
    const stale = await call(`/api/v1/changes?after=${encodeCursor(1)}`, { token });
    expect(stale.status).toBe(410);
    expect(await stale.json()).toStrictEqual(
      apiError('cursor_expired', { hint: expect.any(String) }),
    );
    expect(keysOf((await feedPage(token)).data)).toStrictEqual(keysOf(before.data.slice(1)));
    expect((await feedPage(token, `?after=${first.next_cursor}`)).data.length).toBe(1);
  });

  it.each([
    ['after=', 'after'],
    ['after=%00', 'after'],
    ['after=not-a-cursor', 'after'],
    [`after=${btoa('c1:0')}`, 'after'],
    [`after=${btoa('c2:5').replace(/=+$/, '')}`, 'after'],
    [`after=${btoa('c1:-5').replace(/=+$/, '')}`, 'after'],
    [`after=${'A'.repeat(5000)}`, 'after'],
    ['after=YzE6MQ==', 'after'],
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['limit=1.5', 'limit'],
    ['limit=-1', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=', 'limit'],
    ['limit=10&limit=20', 'limit'],
  ])('answers 400 validation_error to a hostile query (%#)', async (query, field) => {
    const { token } = await userWithApp();
    const response = await call(`/api/v1/changes?${query}`, { token });
    expect(response.status).toBe(400);
    expect(await response.json()).toStrictEqual(
      apiError('validation_error', { details: { [field]: expect.any(String) } }),
    );
  });
});
