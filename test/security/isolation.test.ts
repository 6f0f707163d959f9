/**
 * Isolation between users and between applications (OWASP API1/API3, spec §4): another
 * user's entity is a 404 identical to a missing one; another app's document is never visible.
 */
import { describe, expect, it } from 'vitest';
import { appToken, createApp, createUser } from '../helpers/factories';
import {
  activityOfTwoApps,
  createEntity,
  metadataPath,
  metadataRows,
  patchMetadata,
  putMetadata,
} from '../helpers/entities';
import { call } from '../helpers/worker';

async function twoUsers() {
  const app = await createApp();
  const [owner, stranger] = [await createUser(), await createUser()];
  const ownerToken = await appToken(owner, app);
  const strangerToken = await appToken(stranger, app);
  const entity = await createEntity(ownerToken);
  await putMetadata(metadataPath('activities', entity.id), ownerToken, { mine: true });
  return { app, owner, ownerToken, strangerToken, entity };
}

async function twoApps() {
  const setup = await activityOfTwoApps();
  await putMetadata(setup.path, setup.tokenA, { app: 'A' });
  return setup;
}

/** The body without its requestId, to compare two 404s. */
async function withoutRequestId(res: Response) {
  const { requestId, ...rest } = (await res.json()) as Record<string, unknown>;
  expect(requestId).toEqual(expect.any(String));
  return { status: res.status, body: rest, challenge: res.headers.get('WWW-Authenticate') };
}

describe('between users', () => {
  it.each([
    ['GET', ''],
    ['PUT', ''],
    ['DELETE', ''],
    ['GET', '/app-metadata'],
    ['PUT', '/app-metadata'],
    ['PATCH', '/app-metadata'],
    ['DELETE', '/app-metadata'],
  ])('answers %s on another user’s entity%s exactly like a missing one', async (method, suffix) => {
    const { strangerToken, entity } = await twoUsers();
    const send = (id: string) =>
      method === 'PATCH'
        ? patchMetadata(`/api/v1/activities/${id}${suffix}`, strangerToken, { x: 1 })
        : call(`/api/v1/activities/${id}${suffix}`, {
            method,
            token: strangerToken,
            json:
              method === 'PUT'
                ? suffix
                  ? { x: 1 }
                  : { sport: 'running', start: '2026-05-01T08:00:00Z', duration: 60 }
                : undefined,
          });
    const foreign = await withoutRequestId(await send(entity.id));
    const missing = await withoutRequestId(await send('act_doesnotexist0000000000'));
    expect(foreign.status).toBe(404);
    expect(foreign).toStrictEqual(missing);
  });

  it('leaves the owner’s entity and document untouched after the stranger’s attempts', async () => {
    const { ownerToken, strangerToken, entity } = await twoUsers();
    const path = `/api/v1/activities/${entity.id}`;
    await call(path, { method: 'DELETE', token: strangerToken });
    await call(`${path}/app-metadata`, { method: 'DELETE', token: strangerToken });
    await putMetadata(`${path}/app-metadata`, strangerToken, { stolen: true });
    const res = await call(path, { token: ownerToken });
    expect(await res.json()).toStrictEqual({ ...entity, app_metadata: { mine: true } });
  });

  it('never lists another user’s entities, whatever the query says', async () => {
    const { strangerToken, owner } = await twoUsers();
    const res = await call(`/api/v1/activities?user_id=${owner.id}&sub=${owner.id}`, {
      token: strangerToken,
    });
    expect(await res.json()).toStrictEqual([]);
  });

  it('creates for the token’s user whatever user_id the body names', async () => {
    const { owner, strangerToken, ownerToken } = await twoUsers();
    const created = await createEntity(strangerToken, 'activities', {
      user_id: owner.id,
      name: 'planted',
    });
    const ownerList = (await (
      await call('/api/v1/activities', { token: ownerToken })
    ).json()) as Array<{ id: string }>;
    expect(ownerList.map((item) => item.id)).not.toContain(created.id);
  });
});

describe('between applications of one user', () => {
  it('hides app A’s document from app B on a single read', async () => {
    const { tokenB, entity } = await twoApps();
    const res = await call(`/api/v1/activities/${entity.id}`, { token: tokenB });
    expect(await res.json()).toStrictEqual(entity);
  });

  it('hides app A’s document from app B’s GET of the document: 404', async () => {
    const { tokenB, path } = await twoApps();
    expect((await call(path, { token: tokenB })).status).toBe(404);
  });

  it('merges into lists only the caller’s document, omitted when it has none', async () => {
    const { tokenA, tokenB, entity } = await twoApps();
    const bare = await createEntity(tokenA, 'activities', {
      name: 'no document',
      start: '2026-05-02T08:00:00Z',
      end: undefined,
      duration: 60,
    });
    const listA = (await (await call('/api/v1/activities', { token: tokenA })).json()) as unknown[];
    expect(listA).toStrictEqual([bare, { ...entity, app_metadata: { app: 'A' } }]);
    const listB = (await (await call('/api/v1/activities', { token: tokenB })).json()) as unknown[];
    expect(listB).toContainEqual(entity);
    expect(JSON.stringify(listB)).not.toContain('app_metadata');
  });

  it('keeps each app’s document separate on writes', async () => {
    const { tokenA, tokenB, path, entity, first, second } = await twoApps();
    await putMetadata(path, tokenB, { app: 'B' });
    await patchMetadata(path, tokenB, { extra: 1 });
    await call(path, { method: 'DELETE', token: tokenB });
    expect(await (await call(path, { token: tokenA })).json()).toStrictEqual({ app: 'A' });
    const rows = await metadataRows('activities', entity.id);
    expect(rows.map((row) => row.client_id)).toStrictEqual([first.clientId]);
    expect(rows.map((row) => row.client_id)).not.toContain(second.clientId);
  });

  it('does not let If-Match with app A’s ETag touch app B’s document', async () => {
    const { tokenA, tokenB, path } = await twoApps();
    const etagA = (await call(path, { token: tokenA })).headers.get('ETag') as string;
    const res = await putMetadata(path, tokenB, { b: 1 }, { headers: { 'If-Match': etagA } });
    expect(res.status).toBe(412);
  });
});
