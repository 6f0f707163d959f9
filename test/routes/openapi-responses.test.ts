/**
 * Every operation of /openapi.json, driven once through the Worker's fetch, answers with a
 * documented status and a body that validates against the schema the document gives for it
 * (spec §16: the client's types come from this document). A few error shapes too. An operation
 * added without a case here fails the last test.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Case,
  entityCases,
  form,
  profileAndStoreCases,
  setUpWorld,
  userCases,
  world,
} from '../helpers/openapi-cases';
import { KINDS } from '../helpers/entities';
import * as web from '../helpers/browser';
import { eraseOwn } from '../helpers/erasure';
import { createApp, createUser } from '../helpers/factories';
import { basicAuth } from '../helpers/oauth-flow';
import {
  type LocatedOperation,
  type OpenApiDocument,
  missingHeaders,
  openApiDocument,
  operations,
  responseIssues,
} from '../helpers/openapi';
import { ADMIN, RecordingQueue } from '../helpers/webhooks';
import { call } from '../helpers/worker';

let document: OpenApiDocument;

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
      operationId: 'patchApplication',
      status: 200,
      run: async () =>
        call(`/api/v1/admin/applications/${(await createApp()).clientId}`, {
          method: 'PATCH',
          ...admin,
          json: { name: 'Renamed', rate_limit_tier: 'high' },
        }),
    },
    {
      operationId: 'rotateApplicationSecret',
      status: 200,
      run: async () =>
        call(`/api/v1/admin/applications/${(await createApp()).clientId}/secret`, {
          method: 'POST',
          ...admin,
        }),
    },
    {
      operationId: 'findUsers',
      status: 200,
      run: () =>
        call(`/api/v1/admin/users?email=${encodeURIComponent(world.account.email)}`, admin),
    },
    {
      operationId: 'deleteUser',
      status: 204,
      run: async () =>
        call(`/api/v1/admin/users/${(await createUser()).id}`, { method: 'DELETE', ...admin }),
    },
    {
      operationId: 'deleteProfile',
      status: 204,
      run: async () => {
        const account = await web.createAccount();
        return eraseOwn(await web.signedInBrowser(account), { password: account.password });
      },
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
  await setUpWorld();
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
  // Successes first, then the error shapes (the successes leave the data those need).
  it.each([...SUCCESS_CASES, ...errorCases()].map((c) => [c.operationId, c.status, c] as const))(
    '%s answers %i with a documented body',
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
