/**
 * Endpoints for the user alone (spec §3, §11), with a personal API key or the session:
 * authorizations (list, revoke), personal API keys (create, list, revoke) and the export.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ApiKeyInputSchema, parseKeyRequest, requireScopes } from '../auth/api-key-request';
import type { UserPrincipal } from '../auth/principal';
import { keySet } from '../auth/require-access-token';
import { requireUser } from '../auth/require-user';
import { KEY_SCOPES, type KeyScope, SCOPES } from '../auth/scopes';
import { USER_API_BODY_MAX_BYTES } from '../config';
import { formatTimestamp } from '../entities/time';
import type { AppEnv } from '../env';
import { InactivePrincipalError } from '../errors';
import { readJsonBody } from '../http/json-request';
import { documented, errorResponses, jsonContent as json } from '../http/openapi';
import { userScopeGuard } from '../http/openapi-security';
import { isId } from '../ids';
import * as account from '../services/account';
import { revokeAuthorization, revokePersonalKey } from '../services/revocations';
import type { ApiKey } from '../storage/api-keys';
import { notFound } from './path-params';

export const userApiApp = new OpenAPIHono<AppEnv>();
// Hono's `/path/*` also matches `/path`: one pattern per resource, so requireUser runs once.
for (const path of ['authorizations/*', 'api-keys/*', 'export']) {
  userApiApp.use(`/api/v1/profile/${path}`, requireUser);
}

/**
 * The user behind the request, holding `scope` (spec §11: `account` to revoke, create keys and
 * export, `profile` to list; a session holds every scope).
 */
function userHolding(c: Context<AppEnv>, scope: KeyScope): UserPrincipal {
  const principal = c.var.principal as UserPrincipal;
  requireScopes(principal, [scope]);
  return principal;
}

const AuthorizationSchema = z
  .object({
    client_id: z.string(),
    app_name: z.string(),
    scopes: z.array(z.enum(SCOPES)),
    created_at: z.string(),
  })
  .openapi('Authorization');

const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(z.enum(KEY_SCOPES)),
    created_at: z.string(),
    expires_at: z.string().nullable(),
  })
  .openapi('ApiKey');

const apiKeyJson = (key: ApiKey) => ({
  id: key.id,
  name: key.name,
  scopes: key.scopes,
  created_at: formatTimestamp(key.createdAt),
  expires_at: key.expiresAt === null ? null : formatTimestamp(key.expiresAt),
});

documented(
  userApiApp,
  createRoute({
    method: 'get',
    path: '/api/v1/profile/authorizations',
    operationId: 'listAuthorizations',
    tags: ['user'],
    summary: 'The applications the user has authorized (personal key or session)',
    responses: {
      200: { description: 'Authorizations', ...json(z.array(AuthorizationSchema)) },
      ...errorResponses(401, 403),
    },
  }),
  userScopeGuard('profile'),
  async (c) => {
    const list = await account.listAuthorizations(c.var.db, userHolding(c, 'profile'), c.var.now);
    return c.json(
      list.map((item) => ({
        client_id: item.clientId,
        app_name: item.appName,
        scopes: item.scopes,
        created_at: formatTimestamp(item.createdAt),
      })),
    );
  },
);

documented(
  userApiApp,
  createRoute({
    method: 'delete',
    path: '/api/v1/profile/authorizations/{client_id}',
    operationId: 'revokeAuthorization',
    tags: ['user'],
    summary: 'Revoke an app: its tokens stop working and its metadata for this user is deleted',
    request: { params: z.object({ client_id: z.string() }) },
    responses: { 204: { description: 'Revoked' }, ...errorResponses(401, 403, 404) },
  }),
  userScopeGuard('account'),
  async (c) => {
    const principal = userHolding(c, 'account');
    const clientId = c.req.param('client_id') ?? '';
    if (!isId(clientId) || !(await revokeAuthorization(c.var, principal, clientId))) {
      throw notFound('authorization');
    }
    return c.body(null, 204);
  },
);

documented(
  userApiApp,
  createRoute({
    method: 'post',
    path: '/api/v1/profile/api-keys',
    operationId: 'createApiKey',
    tags: ['user'],
    summary: 'Create a personal API key (the token is shown once)',
    request: { body: { required: true, ...json(ApiKeyInputSchema) } },
    responses: {
      201: {
        description: 'The key with its token',
        ...json(ApiKeySchema.extend({ token: z.string() })),
      },
      ...errorResponses(400, 401, 403, 413, 415),
    },
  }),
  userScopeGuard('account'),
  async (c) => {
    const principal = userHolding(c, 'account');
    const { value } = await readJsonBody(c, { maxBytes: USER_API_BODY_MAX_BYTES, maxDepth: 2 });
    const request = parseKeyRequest(principal, value, c.var.now);
    const { key, token } = await account.createPersonalKey(
      { ...c.var, keys: await keySet(c.env) },
      principal,
      request,
    );
    const { id, name, scopes: granted, created_at, expires_at } = apiKeyJson(key);
    // spec §11: {id, name, token, scopes, created_at, expires_at}; the token is shown once.
    return c.json({ id, name, token, scopes: granted, created_at, expires_at }, 201, {
      'Cache-Control': 'no-store',
    });
  },
);

documented(
  userApiApp,
  createRoute({
    method: 'get',
    path: '/api/v1/profile/api-keys',
    operationId: 'listApiKeys',
    tags: ['user'],
    summary: "The user's live personal API keys (never their tokens)",
    responses: {
      200: { description: 'Keys', ...json(z.array(ApiKeySchema)) },
      ...errorResponses(401, 403),
    },
  }),
  userScopeGuard('profile'),
  async (c) => {
    const keys = await account.listApiKeys(c.var.db, userHolding(c, 'profile'), c.var.now);
    return c.json(keys.map(apiKeyJson));
  },
);

documented(
  userApiApp,
  createRoute({
    method: 'delete',
    path: '/api/v1/profile/api-keys/{id}',
    operationId: 'revokeApiKey',
    tags: ['user'],
    summary: 'Revoke a personal API key',
    request: { params: z.object({ id: z.string() }) },
    responses: { 204: { description: 'Revoked' }, ...errorResponses(401, 403, 404) },
  }),
  userScopeGuard('account'),
  async (c) => {
    const principal = userHolding(c, 'account');
    const id = c.req.param('id') ?? '';
    if (!isId(id) || !(await revokePersonalKey(c.var, principal, id))) throw notFound('API key');
    return c.body(null, 204);
  },
);

documented(
  userApiApp,
  createRoute({
    method: 'get',
    path: '/api/v1/profile/export',
    operationId: 'exportProfile',
    tags: ['user'],
    summary: 'Everything the user owns, every app’s metadata included (personal keys need account)',
    responses: {
      200: { description: 'The export', ...json(z.record(z.string(), z.unknown())) },
      ...errorResponses(401, 403),
    },
  }),
  userScopeGuard('account'),
  async (c) => {
    const principal = userHolding(c, 'account');
    const data = await account.exportUserData(c.var, principal);
    if (data === null) throw new InactivePrincipalError();
    return c.json(data, 200, { 'Cache-Control': 'no-store' });
  },
);
