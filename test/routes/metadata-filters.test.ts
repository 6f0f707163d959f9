/**
 * Filters on the caller's own metadata (spec §14, §17): has, missing, equality on a top-level
 * scalar, AND-combined, app tokens only, answered from the members index.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createEntity, metadataPath, putMetadata } from '../helpers/entities';
import { appToken, createApp, createUser, personalKey } from '../helpers/factories';
import { apiError, call } from '../helpers/worker';

const names: Record<string, string> = {};
let tokenA: string;
let tokenB: string;
let user: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  user = await createUser();
  tokenA = await appToken(user, await createApp());
  tokenB = await appToken(user, await createApp());
  const documents: Array<[string, unknown, unknown]> = [
    ['e1', { done: true, plan: 'base', n: 3, nested: { x: 1 } }, null],
    ['e2', { done: false, plan: null, n: 3.5 }, null],
    ['e3', null, { done: true, plan: 'base' }],
    ['e4', null, null],
  ];
  for (const [index, [name, docA, docB]] of documents.entries()) {
    const start = `2026-05-0${index + 1}T00:00:00Z`;
    const { id } = await createEntity(tokenA, 'activities', {
      name,
      start,
      end: undefined,
      duration: 60,
    });
    names[id] = name;
    if (docA !== null) await putMetadata(metadataPath('activities', id), tokenA, docA);
    if (docB !== null) await putMetadata(metadataPath('activities', id), tokenB, docB);
  }
});

/** Names listed for the query, newest first (e4 … e1); 200 asserted. */
async function listed(query: string, token = tokenA): Promise<string[]> {
  const res = await call(`/api/v1/activities?${query}`, { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as Array<{ id: string }>).map((item) => names[item.id] as string);
}

describe('app_metadata filters', () => {
  it.each([
    ['app_metadata.has=done', ['e2', 'e1']],
    ['app_metadata.has=nested', ['e1']],
    ['app_metadata.missing=done', ['e4', 'e3']],
    ['app_metadata.done=true', ['e1']],
    ['app_metadata.done=false', ['e2']],
    ['app_metadata.plan=base', ['e1']],
    ['app_metadata.plan=%22base%22', ['e1']],
    ['app_metadata.plan=null', ['e2']],
    ['app_metadata.n=3', ['e1']],
    ['app_metadata.n=3.0', ['e1']],
    ['app_metadata.n=3.5', ['e2']],
    ['app_metadata.n=%223%22', []],
    ['app_metadata.nested=1', []],
    ['app_metadata.has=done&app_metadata.plan=null', ['e2']],
    ['app_metadata.has=done&app_metadata.missing=plan', []],
    ['app_metadata.missing=plan&app_metadata.missing=done', ['e4', 'e3']],
  ])('%s lists the caller’s matches', async (query, expected) => {
    expect(await listed(query)).toStrictEqual(expected);
  });

  it('looks only at the caller’s document, never another application’s', async () => {
    expect(await listed('app_metadata.done=true', tokenB)).toStrictEqual(['e3']);
    expect(await listed('app_metadata.missing=done', tokenB)).toStrictEqual(['e4', 'e2', 'e1']);
  });

  it('answers a personal key 403 app_token_required', async () => {
    const { token } = await personalKey(user);
    const res = await call('/api/v1/activities?app_metadata.has=done', { token });
    expect(res.status).toBe(403);
    expect(await res.json()).toStrictEqual(
      apiError('app_token_required', { hint: expect.any(String) }),
    );
  });

  it.each([
    ['an unknown operator', 'app_metadata.done%3E=1'],
    ['a bracket operator', 'app_metadata[done]=1'],
    ['a key outside the v2 pattern', 'app_metadata.d%20one=1'],
    ['has without a key', 'app_metadata.has='],
    ['missing with a bad key', 'app_metadata.missing=a/b'],
    ['an array value', 'app_metadata.done=[1]'],
    ['an object value', 'app_metadata.done=%7B%22a%22%3A1%7D'],
    ['an unterminated string', 'app_metadata.plan=%22base'],
    ['a number out of range', 'app_metadata.n=1e400'],
    ['an empty value', 'app_metadata.plan='],
    ['1,000 filters', Array.from({ length: 1000 }, () => 'app_metadata.has=done').join('&')],
  ])('refuses %s: 400 validation_error', async (_name, query) => {
    const res = await call(`/api/v1/activities?${query}`, { token: tokenA });
    expect(res.status).toBe(400);
    expect(await res.json()).toStrictEqual(
      apiError('validation_error', { details: expect.any(Object), hint: expect.any(String) }),
    );
  });
});
