/**
 * The cases of test/routes/openapi-responses.test.ts for the API an application or a user
 * calls (entities, app metadata, profile, v2 store, feed, the user's own endpoints), and the
 * data they run on: one account with an app token, a personal key, an entity of each kind,
 * two webhook endpoints, an event and a refresh token from a real code flow.
 */
import type { Scope } from '../../src/auth/scopes';
import { type Account, createAccount } from './browser';
import { createEntity, KINDS, type Kind, sampleBodies } from './entities';
import { type TestApp, appToken, createApp, personalKey } from './factories';
import { obtainTokens } from './oauth-flow';
import { registerEndpoint } from './webhooks';
import { type CallOptions, call } from './worker';

const ALL: Scope[] = ['profile', 'data:read', 'data:write', 'metadata.read', 'metadata.write'];
const NOUNS: Record<Kind, string> = { activities: 'Activity', traces: 'Trace', tests: 'Test' };

export interface World {
  app: TestApp;
  token: string;
  key: string;
  ids: Record<Kind, string>;
  hooks: { admin: string; own: string };
  eventId: string;
  account: Account;
  refreshToken: string;
}

export let world: World;

export interface Case {
  operationId: string;
  status: number;
  run: () => Promise<Response>;
}

export const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(fields).toString(),
});

export function entityCases(kind: Kind): Case[] {
  const noun = NOUNS[kind];
  const base = `/api/v1/${kind}`;
  const app = () => ({ token: world.token });
  const item = () => `${base}/${world.ids[kind]}`;
  const doc =
    (method: string, extra: CallOptions = {}) =>
    () =>
      call(`${item()}/app-metadata`, { method, ...app(), ...extra });
  const batch = (name: string, json: () => unknown) => () =>
    call(`${base}/app-metadata/${name}`, { method: 'POST', ...app(), json: json() });
  return [
    {
      operationId: `list${kind[0]?.toUpperCase()}${kind.slice(1)}`,
      status: 200,
      run: () => call(`${base}?limit=2`, app()),
    },
    {
      operationId: `create${noun}`,
      status: 201,
      run: () => call(base, { method: 'POST', ...app(), json: sampleBodies[kind] }),
    },
    { operationId: `get${noun}`, status: 200, run: () => call(item(), app()) },
    {
      operationId: `replace${noun}`,
      status: 200,
      run: () => call(item(), { method: 'PUT', ...app(), json: sampleBodies[kind] }),
    },
    {
      operationId: `delete${noun}`,
      status: 204,
      run: async () =>
        call(`${base}/${(await createEntity(world.token, kind)).id}`, {
          method: 'DELETE',
          ...app(),
        }),
    },
    {
      operationId: `put${noun}AppMetadata`,
      status: 200,
      run: doc('PUT', { json: { plan: 'base' } }),
    },
    {
      operationId: `patch${noun}AppMetadata`,
      status: 200,
      run: doc('PATCH', {
        body: '{"week":2}',
        headers: { 'Content-Type': 'application/merge-patch+json' },
      }),
    },
    { operationId: `get${noun}AppMetadata`, status: 200, run: doc('GET') },
    { operationId: `delete${noun}AppMetadata`, status: 204, run: doc('DELETE') },
    {
      operationId: `batchGet${noun}AppMetadata`,
      status: 200,
      run: batch('batch-get', () => ({ ids: [world.ids[kind]] })),
    },
    {
      operationId: `batchPut${noun}AppMetadata`,
      status: 200,
      run: batch('batch-put', () => ({
        items: [{ id: world.ids[kind], document: { plan: 'b' } }],
      })),
    },
  ];
}

export function profileAndStoreCases(): Case[] {
  const app = () => ({ token: world.token });
  const doc =
    (method: string, extra: CallOptions = {}) =>
    () =>
      call('/api/v1/profile/app-metadata', { method, ...app(), ...extra });
  const entry =
    (method: string, extra: CallOptions = {}) =>
    () =>
      call('/api/v2/metadata/plan.week', { method, ...app(), ...extra });
  return [
    { operationId: 'getProfile', status: 200, run: () => call('/api/v1/profile', app()) },
    { operationId: 'putProfileAppMetadata', status: 200, run: doc('PUT', { json: { level: 3 } }) },
    {
      operationId: 'patchProfileAppMetadata',
      status: 200,
      run: doc('PATCH', {
        body: '{"zone":"z2"}',
        headers: { 'Content-Type': 'application/merge-patch+json' },
      }),
    },
    { operationId: 'getProfileAppMetadata', status: 200, run: doc('GET') },
    { operationId: 'deleteProfileAppMetadata', status: 204, run: doc('DELETE') },
    {
      operationId: 'putMetadataEntry',
      status: 201,
      run: entry('PUT', { json: { value: 'week 2' } }),
    },
    { operationId: 'getMetadataEntry', status: 200, run: entry('GET') },
    { operationId: 'listMetadataEntries', status: 200, run: () => call('/api/v2/metadata', app()) },
    { operationId: 'deleteMetadataEntry', status: 204, run: entry('DELETE') },
    { operationId: 'listChanges', status: 200, run: () => call('/api/v1/changes?limit=5', app()) },
  ];
}

export function userCases(): Case[] {
  const key = () => ({ token: world.key });
  return [
    {
      operationId: 'listAuthorizations',
      status: 200,
      run: () => call('/api/v1/profile/authorizations', key()),
    },
    {
      operationId: 'revokeAuthorization',
      status: 204,
      run: async () => {
        const other = await createApp();
        await appToken({ id: world.account.id, email: world.account.email }, other, ['profile']);
        return call(`/api/v1/profile/authorizations/${other.clientId}`, {
          method: 'DELETE',
          ...key(),
        });
      },
    },
    {
      operationId: 'createApiKey',
      status: 201,
      run: () =>
        call('/api/v1/profile/api-keys', {
          method: 'POST',
          ...key(),
          json: { name: 'ci', scopes: ['data:read'] },
        }),
    },
    { operationId: 'listApiKeys', status: 200, run: () => call('/api/v1/profile/api-keys', key()) },
    {
      operationId: 'revokeApiKey',
      status: 204,
      run: async () => {
        const spare = await personalKey({ id: world.account.id, email: world.account.email });
        return call(`/api/v1/profile/api-keys/${spare.id}`, { method: 'DELETE', ...key() });
      },
    },
    { operationId: 'exportProfile', status: 200, run: () => call('/api/v1/profile/export', key()) },
  ];
}

/** Builds the data every case runs on. */
export async function setUpWorld(): Promise<void> {
  const account = await createAccount();
  const app = await createApp();
  const { tokens } = await obtainTokens(account, app, ['profile', 'data:read'], true);
  const user = { id: account.id, email: account.email };
  const token = await appToken(user, app, ALL);
  const ids = {} as Record<Kind, string>;
  for (const kind of KINDS) ids[kind] = (await createEntity(token, kind)).id;
  await call(`/api/v1/activities/${ids.activities}/app-metadata`, {
    method: 'PUT',
    token,
    json: { a: 1 },
  });
  const feed = (await (await call('/api/v1/changes', { token })).json()) as {
    data: Array<{ id: string }>;
  };
  world = {
    app,
    token,
    account,
    key: (await personalKey(user)).token,
    ids,
    hooks: {
      admin: (await registerEndpoint(app.clientId)).id,
      own: (await registerEndpoint(app.clientId, { url: 'https://hooks.example.com/own' })).id,
    },
    eventId: feed.data[0]?.id ?? '',
    refreshToken: tokens.refresh_token as string,
  };
}
