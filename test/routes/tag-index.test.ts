/**
 * Issue 8 finding 1: tag filters answered from the tag index, kept in the same batch as every
 * entity write; at most 10 distinct tag values; a per-user entity quota.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ENTITY_MAX_PER_USER_PER_KIND } from '../../src/config';
import { createEntity, sampleActivity } from '../helpers/entities';
import { userWithApp } from '../helpers/factories';
import { apiError, call } from '../helpers/worker';

async function listedIds(token: string, query: string): Promise<string[]> {
  const res = await call(`/api/v1/activities${query}`, { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as Array<{ id: string }>).map((item) => item.id);
}

async function tagRows(entityId: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    'SELECT tag FROM entity_tags WHERE entity_id = ? ORDER BY tag',
  )
    .bind(entityId)
    .all<{ tag: string }>();
  return results.map((row) => row.tag);
}

describe('the tag index', () => {
  it('holds each distinct tag of a created entity once', async () => {
    const { token } = await userWithApp();
    const created = await createEntity(token, 'activities', { tags: ['b', 'a', 'b'] });
    expect(await tagRows(created.id)).toStrictEqual(['a', 'b']);
  });

  it('follows a replace: the old tags stop matching, the new ones match', async () => {
    const { token } = await userWithApp();
    const created = await createEntity(token, 'activities', { tags: ['old'] });
    const body = { sport: 'running', start: '2026-05-02T06:00:00Z', duration: 60, tags: ['new'] };
    const res = await call(`/api/v1/activities/${created.id}`, {
      method: 'PUT',
      token,
      json: body,
    });
    expect(res.status).toBe(200);
    expect(await listedIds(token, '?tags=old')).toStrictEqual([]);
    expect(await listedIds(token, '?tags=new')).toStrictEqual([created.id]);
  });

  it('forgets a deleted entity', async () => {
    const { token } = await userWithApp();
    const created = await createEntity(token, 'traces', { tags: ['gone'] });
    const res = await call(`/api/v1/traces/${created.id}`, { method: 'DELETE', token });
    expect(res.status).toBe(204);
    expect(await tagRows(created.id)).toStrictEqual([]);
  });

  it('never matches another user’s tags', async () => {
    const mine = await userWithApp();
    const theirs = await userWithApp();
    await createEntity(theirs.token, 'activities', { tags: ['shared'] });
    expect(await listedIds(mine.token, '?tags=shared')).toStrictEqual([]);
  });

  it('accepts ten distinct values, duplicates folded', async () => {
    const { token } = await userWithApp();
    const created = await createEntity(token, 'activities', { tags: ['j'] });
    const tags = [...'abcdefghij'.split(''), 'a', 'b', 'j'].join(',');
    expect(await listedIds(token, `?tags=${tags}`)).toStrictEqual([created.id]);
  });

  it.each([
    ['eleven distinct values', 'abcdefghijk'.split('').join(',')],
    ['fifty-one values', Array.from({ length: 51 }, () => 'a').join(',')],
  ])('refuses %s: 400 validation_error naming tags', async (_name, tags) => {
    const { token } = await userWithApp();
    const res = await call(`/api/v1/activities?tags=${tags}`, { token });
    expect(res.status).toBe(400);
    expect(await res.json()).toStrictEqual(
      apiError('validation_error', { details: { tags: expect.any(String) } }),
    );
  });
});

describe('the per-user entity quota', () => {
  it(`allows ${ENTITY_MAX_PER_USER_PER_KIND} of a kind, then answers 422 quota_exceeded`, async () => {
    const { user, token } = await userWithApp();
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO activities (id, user_id, sport, start, "end", duration, distance, name,
                               description, tags, created_at, updated_at, created_by)
       SELECT 'act_q' || i, ?, 'running', i, i, 0, NULL, '', '', '[]', 0, 0, NULL FROM n`,
    )
      .bind(ENTITY_MAX_PER_USER_PER_KIND - 1, user.id)
      .run();
    await createEntity(token, 'activities');
    const res = await call('/api/v1/activities', { method: 'POST', token, json: sampleActivity });
    expect(res.status).toBe(422);
    expect(await res.json()).toStrictEqual(
      apiError('quota_exceeded', { hint: expect.any(String) }),
    );
    const other = await call('/api/v1/traces', {
      method: 'POST',
      token,
      json: { timestamp: '2026-05-01T08:00:00Z' },
    });
    expect(other.status).toBe(201);
  });
});
