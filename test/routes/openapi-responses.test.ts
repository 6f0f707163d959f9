/**
 * Every operation of /openapi.json, driven once through the Worker's fetch, answers with a
 * documented status and a body that validates against the schema the document gives for it
 * (spec §16: the client's types come from this document). A few error shapes too. An operation
 * added without a case here fails the last test.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../src/auth/scopes';
import { type Account, createAccount } from '../helpers/browser';
import { createEntity, KINDS, type Kind, sampleBodies } from '../helpers/entities';
import { type TestApp, appToken, createApp, createUser, personalKey } from '../helpers/factories';
import { basicAuth, obtainTokens } from '../helpers/oauth-flow';
import {
  type LocatedOperation,
  type OpenApiDocument,
  openApiDocument,
  operations,
  responseIssues,
} from '../helpers/openapi';
import { ADMIN, RecordingQueue, registerEndpoint } from '../helpers/webhooks';
import { type CallOptions, call } from '../helpers/worker';

const ALL: Scope[] = ['profile', 'data:read', 'data:write', 'metadata.read', 'metadata.write'];
const NOUNS: Record<Kind, string> = { activities: 'Activity', traces: 'Trace', tests: 'Test' };

interface World {
  app: TestApp;
  token: string;
  key: string;
  ids: Record<Kind, string>;
  hooks: { admin: string; own: string };
  eventId: string;
  account: Account;
  refreshToken: string;
}

let world: World;
let document: OpenApiDocument;

interface Case {
  operationId: string;
  status: number;
  run: () => Promise<Response>;
}

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(fields).toString(),
});

function entityCases(kind: Kind): Case[] {
  const noun = NOUNS[kind];
  const base = `/api/v1/${kind}`;
  const app = () => ({ token: world.token });
  const item = () => `${base}/${world.ids[kind]}`;
  const doc =
    (method: string, extra: CallOptions = {}) =>
    () =>
      call(`${item()}/app-metadata`, { method, ...app(), ...extra });
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
      run: () =>
        call(`${base}/app-metadata/batch-get`, {
          method: 'POST',
          ...app(),
          json: { ids: [world.ids[kind]] },
        }),
    },
    {
      operationId: `batchPut${noun}AppMetadata`,
      status: 200,
      run: () =>
        call(`${base}/app-metadata/batch-put`, {
          method: 'POST',
          ...app(),
          json: { items: [{ id: world.ids[kind], document: { plan: 'batch' } }] },
        }),
    },
  ];
}

function profileAndStoreCases(): Case[] {
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

function userCases(): Case[] {
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

function adminCases(): Case[] {
  const admin = { headers: ADMIN };
  const application = {
    name: 'Documented',
    redirect_uris: ['https://app.example.test/cb'],
    confidential: true,
    scopes: ['profile'],
  };
  return [
    {
      operationId: 'createApplication',
      status: 201,
      run: () =>
        call('/api/v1/admin/applications', { method: 'POST', ...admin, json: application }),
    },
    {
      operationId: 'listApplications',
      status: 200,
      run: () => call('/api/v1/admin/applications', admin),
    },
    {
      operationId: 'deleteApplication',
      status: 204,
      run: async () =>
        call(`/api/v1/admin/applications/${(await createApp()).clientId}`, {
          method: 'DELETE',
          ...admin,
        }),
    },
    {
      operationId: 'createUser',
      status: 201,
      run: () =>
        call('/api/v1/admin/users', {
          method: 'POST',
          ...admin,
          json: {
            email: `doc-${crypto.randomUUID()}@example.test`,
            password: 'long enough',
            first_name: 'Doc',
          },
        }),
    },
  ];
}

/** The same seven operations on both mounts: the admin's and the application's own. */
function webhookCases(mount: 'admin' | 'own'): Case[] {
  const noun = mount === 'admin' ? 'ApplicationWebhook' : 'Webhook';
  const base = () =>
    mount === 'admin'
      ? `/api/v1/admin/applications/${world.app.clientId}/webhooks`
      : '/api/v1/app/webhooks';
  const auth = () => ({
    headers: mount === 'admin' ? ADMIN : { Authorization: basicAuth(world.app) },
  });
  const hook = () => `${base()}/${world.hooks[mount]}`;
  const endpoint = { url: 'https://hooks.example.com/documented' };
  return [
    {
      operationId: `create${noun}`,
      status: 201,
      run: () => call(base(), { method: 'POST', ...auth(), json: endpoint }),
    },
    { operationId: `list${noun}s`, status: 200, run: () => call(base(), auth()) },
    {
      operationId: `patch${noun}`,
      status: 200,
      run: () => call(hook(), { method: 'PATCH', ...auth(), json: { status: 'active' } }),
    },
    {
      operationId: `rotate${noun}Secret`,
      status: 200,
      run: () => call(`${hook()}/secret`, { method: 'POST', ...auth() }),
    },
    {
      operationId: `list${noun}Deliveries`,
      status: 200,
      run: () => call(`${hook()}/deliveries`, auth()),
    },
    {
      operationId: `retry${noun}Delivery`,
      status: 202,
      run: () =>
        call(`${hook()}/deliveries/${world.eventId}/retry`, {
          method: 'POST',
          ...auth(),
          bindings: { WEBHOOK_QUEUE: new RecordingQueue() },
        }),
    },
    {
      operationId: `delete${noun}`,
      status: 204,
      run: async () => {
        const created = await call(base(), { method: 'POST', ...auth(), json: endpoint });
        const { id } = (await created.json()) as { id: string };
        return call(`${base()}/${id}`, { method: 'DELETE', ...auth() });
      },
    },
  ];
}

function publicAndOAuthCases(): Case[] {
  const basic = () => ({ Authorization: basicAuth(world.app) });
  return [
    { operationId: 'getHealth', status: 200, run: () => call('/health') },
    { operationId: 'getJwks', status: 200, run: () => call('/.well-known/jwks.json') },
    {
      operationId: 'getAuthorizationServerMetadata',
      status: 200,
      run: () => call('/.well-known/oauth-authorization-server'),
    },
    {
      operationId: 'requestToken',
      status: 200,
      run: () =>
        call(
          '/oauth/token',
          form({ grant_type: 'refresh_token', refresh_token: world.refreshToken }, basic()),
        ),
    },
    {
      operationId: 'revokeToken',
      status: 200,
      run: () => call('/oauth/revoke', form({ token: 'not-a-token' }, basic())),
    },
  ];
}

/** Error answers, each in the shape its operation documents. */
function errorCases(): Case[] {
  const app = () => ({ token: world.token });
  return [
    { operationId: 'listActivities', status: 401, run: () => call('/api/v1/activities') },
    {
      operationId: 'listActivities',
      status: 400,
      run: () => call('/api/v1/activities?limit=0', app()),
    },
    {
      operationId: 'getActivity',
      status: 404,
      run: () => call('/api/v1/activities/act_missing', app()),
    },
    {
      operationId: 'listMetadataEntries',
      status: 403,
      run: () => call('/api/v2/metadata', { token: world.key }),
    },
    {
      operationId: 'putActivityAppMetadata',
      status: 412,
      run: () =>
        call(`/api/v1/activities/${world.ids.activities}/app-metadata`, {
          method: 'PUT',
          ...app(),
          headers: { 'If-Match': '"stale"' },
          json: {},
        }),
    },
    {
      operationId: 'requestToken',
      status: 400,
      run: () =>
        call(
          '/oauth/token',
          form(
            { grant_type: 'refresh_token', refresh_token: 'nope' },
            { Authorization: basicAuth(world.app) },
          ),
        ),
    },
    {
      operationId: 'createUser',
      status: 401,
      run: () => call('/api/v1/admin/users', { method: 'POST', json: {} }),
    },
  ];
}

const SUCCESS_CASES: Case[] = [
  ...KINDS.flatMap(entityCases),
  ...profileAndStoreCases(),
  ...userCases(),
  ...adminCases(),
  ...webhookCases('admin'),
  ...webhookCases('own'),
  ...publicAndOAuthCases(),
];

beforeAll(async () => {
  document = await openApiDocument();
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
});

function locate(operationId: string): LocatedOperation {
  const found = operations(document).find(
    (located) => located.operation.operationId === operationId,
  );
  if (found === undefined) throw new Error(`no operation ${operationId} in /openapi.json`);
  return found;
}

async function expectDocumented(operationId: string, status: number, response: Response) {
  const text = await response.text();
  expect({
    operationId,
    status: response.status,
    text: response.status === status ? '' : text,
  }).toStrictEqual({
    operationId,
    status,
    text: '',
  });
  const body = text.length === 0 ? undefined : (JSON.parse(text) as unknown);
  const contentType = text.length === 0 ? null : response.headers.get('Content-Type');
  expect(responseIssues(document, locate(operationId), status, contentType, body)).toStrictEqual(
    [],
  );
}

describe('each operation answers as /openapi.json documents it', () => {
  it.each(SUCCESS_CASES.map((c) => [c.operationId, c.status, c] as const))(
    '%s answers %i with a documented body',
    async (operationId, status, testCase) => {
      await expectDocumented(operationId, status, await testCase.run());
    },
  );

  it.each(errorCases().map((c) => [c.operationId, c.status, c] as const))(
    '%s answers %i in its documented error shape',
    async (operationId, status, testCase) => {
      await expectDocumented(operationId, status, await testCase.run());
    },
  );

  it('has a case for every documented operation', () => {
    const covered = new Set(SUCCESS_CASES.map((c) => c.operationId));
    const missing = operations(document)
      .map((located) => located.operation.operationId ?? `${located.method} ${located.path}`)
      .filter((id) => !covered.has(id));
    expect(missing).toStrictEqual([]);
  });
});
