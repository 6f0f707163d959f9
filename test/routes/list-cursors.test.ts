/** Cursor pagination of entity lists (spec §14): Link rel="next", keyset, never skip or repeat. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/entities/list-cursor';
import { createEntity } from '../helpers/entities';
import { userWithApp } from '../helpers/factories';
import { ORIGIN, apiError, call } from '../helpers/worker';

interface Page {
  names: string[];
  next: string | null;
}

/** One page: the names listed and the URL of the next page from the Link header. */
async function page(token: string, url: string): Promise<Page> {
  const res = await call(url.startsWith(ORIGIN) ? url.slice(ORIGIN.length) : url, { token });
  expect(res.status).toBe(200);
  const body = (await res.json()) as Array<{ name: string }>;
  const link = res.headers.get('Link');
  const next = link === null ? null : (/^<([^>]+)>; rel="next"$/.exec(link)?.[1] ?? 'malformed');
  return { names: body.map((item) => item.name), next };
}

/** Every name listed, following Link from `url` to the last page. */
async function everyPage(token: string, url: string): Promise<string[]> {
  const seen: string[] = [];
  for (let next: string | null = url; next !== null;) {
    const current: Page = await page(token, next);
    seen.push(...current.names);
    next = current.next;
  }
  return seen;
}

async function userWithActivities(count: number) {
  const { token } = await userWithApp();
  const ids: Record<string, string> = {};
  for (let i = 0; i < count; i += 1) {
    const name = `n${i}`;
    const start = new Date(Date.UTC(2026, 4, 1 + i)).toISOString();
    ids[name] = (
      await createEntity(token, 'activities', { name, start, end: undefined, duration: 60 })
    ).id;
  }
  return { token, ids };
}

describe('cursor pages', () => {
  it('links the next page while more items exist, keeping the other parameters', async () => {
    const { token } = await userWithActivities(3);
    const first = await page(token, '/api/v1/activities?limit=2&sports=cycling');
    expect(first.names).toStrictEqual(['n2', 'n1']);
    const next = new URL(first.next as string);
    expect(next.pathname).toBe('/api/v1/activities');
    expect(next.searchParams.get('limit')).toBe('2');
    expect(next.searchParams.get('sports')).toBe('cycling');
    const second = await page(token, first.next as string);
    expect(second).toStrictEqual({ names: ['n0'], next: null });
  });

  it('sends no Link on a last page that is exactly full', async () => {
    const { token } = await userWithActivities(2);
    expect(await page(token, '/api/v1/activities?limit=2')).toStrictEqual({
      names: ['n1', 'n0'],
      next: null,
    });
  });

  it('replaces offset with the cursor in the next link', async () => {
    const { token } = await userWithActivities(4);
    const first = await page(token, '/api/v1/activities?limit=1&offset=1');
    expect(first.names).toStrictEqual(['n2']);
    expect(new URL(first.next as string).searchParams.has('offset')).toBe(false);
    expect((await page(token, first.next as string)).names).toStrictEqual(['n1']);
  });

  it('neither skips nor repeats while entities are created and deleted between pages', async () => {
    const { token, ids } = await userWithActivities(5);
    const first = await page(token, '/api/v1/activities?limit=2');
    expect(first.names).toStrictEqual(['n4', 'n3']);
    await createEntity(token, 'activities', {
      name: 'newest',
      start: '2027-01-01T00:00:00Z',
      end: undefined,
      duration: 60,
    });
    await call(`/api/v1/activities/${ids.n4}`, { method: 'DELETE', token });
    await call(`/api/v1/activities/${ids.n3}`, { method: 'DELETE', token });
    const second = await page(token, first.next as string);
    expect(second.names).toStrictEqual(['n2', 'n1']);
    expect((await page(token, second.next as string)).names).toStrictEqual(['n0']);
  });

  it('orders ties on the sort key by id, so equal starts page without loss', async () => {
    const { token } = await userWithApp();
    const same = { start: '2026-05-01T00:00:00Z', end: undefined, duration: 60 };
    for (const name of ['a', 'b', 'c']) await createEntity(token, 'activities', { name, ...same });
    const seen = await everyPage(token, '/api/v1/activities?limit=1');
    expect(seen.sort()).toStrictEqual(['a', 'b', 'c']);
  });

  it('pages sort=updated_at oldest change first', async () => {
    const { token, ids } = await userWithActivities(3);
    const stamp = env.DB.prepare('UPDATE activities SET updated_at = ? WHERE id = ?');
    await env.DB.batch([stamp.bind(300, ids.n0), stamp.bind(100, ids.n1), stamp.bind(200, ids.n2)]);
    expect(await everyPage(token, '/api/v1/activities?sort=updated_at&limit=1')).toStrictEqual([
      'n1',
      'n2',
      'n0',
    ]);
  });
});

describe('refused cursors', () => {
  const fromOtherSort = encodeCursor({ sort: 'updated_at', key: 1, id: 'act_x' });
  it.each([
    ['not base64url', '***'],
    ['not JSON', btoa('hello')],
    ['a JSON object', btoa('{"a":1}')],
    ['an unknown sort', btoa('["z",1,"act_x"]')],
    ['a string key', btoa('["t","1","act_x"]')],
    ['an id with a quote', btoa('["t",1,"act\'x"]')],
    ['too long', 'A'.repeat(500)],
    ['empty', ''],
  ])('refuses a cursor that is %s: 400 validation_error naming cursor', async (_name, cursor) => {
    const { token } = await userWithApp();
    const res = await call(`/api/v1/activities?cursor=${encodeURIComponent(cursor)}`, { token });
    expect(res.status).toBe(400);
    expect(await res.json()).toStrictEqual(
      apiError('validation_error', { details: { cursor: expect.any(String) } }),
    );
  });

  it.each([
    ['with offset', `cursor=${encodeCursor({ sort: 'time', key: 1, id: 'act_x' })}&offset=0`],
    ['made for another sort', `cursor=${fromOtherSort}`],
  ])('refuses a cursor %s: 400 validation_error naming cursor', async (_name, query) => {
    const { token } = await userWithApp();
    const res = await call(`/api/v1/activities?${query}`, { token });
    expect(res.status).toBe(400);
    expect(await res.json()).toStrictEqual(
      apiError('validation_error', { details: { cursor: expect.any(String) } }),
    );
  });
});
