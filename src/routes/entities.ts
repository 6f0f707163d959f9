/**
 * /api/v1/{activities,traces,tests}: list, create, read, replace, delete (spec §8, §11).
 * Reads made with an app token carry that app's `app_metadata`; single reads are served from
 * KV when hot. One sub-app per kind, built from the kind's description; each handler parses,
 * calls one service function and maps its result to HTTP.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ENTITY_BODY_MAX_BYTES, ENTITY_BODY_MAX_DEPTH } from '../config';
import { ENTITY_KINDS, type EntityKind, type EntityKindName } from '../entities/kinds';
import { ListQuerySchema, toListFilters } from '../entities/list-query';
import { EntityIdParams } from '../entities/schemas';
import type { AppEnv } from '../env';
import { IdempotencyKeyHeaders, idempotentRequestOf, replayHeaders } from '../http/idempotency-key';
import { readJsonBody } from '../http/json-request';
import { documented, errorResponses, jsonContent } from '../http/openapi';
import { tokenGuard } from '../http/openapi-security';
import * as entities from '../services/entities';
import { readView } from '../services/entity-views';
import { validate } from '../validate';
import { entityId, notFound } from './path-params';

type App = OpenAPIHono<AppEnv>;

const JSON_HEADERS = { 'Content-Type': 'application/json' };
const token = (scope: 'data:read' | 'data:write') => tokenGuard({ audience: 'any', scope });
/** operationId parts: `activities` → `Activities`, `activity` → `Activity`. */
const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

const base = (kind: EntityKind) => `/api/v1/${kind.name}`;

async function entityBody(kind: EntityKind, c: Context<AppEnv>) {
  const { value, text } = await readJsonBody(c, {
    maxBytes: ENTITY_BODY_MAX_BYTES,
    maxDepth: ENTITY_BODY_MAX_DEPTH,
  });
  return { input: validate(kind.inputSchema, value), text };
}

async function entityInput(kind: EntityKind, c: Context<AppEnv>) {
  return (await entityBody(kind, c)).input;
}

/** RFC 8288: the next page keeps every other parameter; the cursor replaces the offset. */
function nextLink(url: URL, cursor: string): string {
  const next = new URL(url);
  next.searchParams.delete('offset');
  next.searchParams.set('cursor', cursor);
  return `<${next.toString()}>; rel="next"`;
}

function registerList(app: App, kind: EntityKind): void {
  const route = createRoute({
    method: 'get',
    path: base(kind),
    operationId: `list${capitalized(kind.name)}`,
    tags: [kind.name],
    summary: `List ${kind.name}, newest first`,
    request: { query: ListQuerySchema },
    responses: {
      200: {
        description: 'A bare JSON array; `Link: <…>; rel="next"` when more items follow',
        headers: { Link: { schema: { type: 'string' }, description: 'RFC 8288 next page' } },
        ...jsonContent(z.array(kind.outputSchema)),
      },
      ...errorResponses(400, 401, 403, 503),
    },
  });
  documented(app, route, token('data:read'), async (c) => {
    const url = new URL(c.req.url);
    const filters = toListFilters(validate(ListQuerySchema, c.req.query()), url.searchParams);
    const page = await entities.listEntities(c.var, c.var.principal, kind, filters);
    if (page.next === null) return c.body(page.body, 200, JSON_HEADERS);
    return c.body(page.body, 200, { ...JSON_HEADERS, Link: nextLink(url, page.next) });
  });
}

function registerCreate(app: App, kind: EntityKind): void {
  const route = createRoute({
    method: 'post',
    path: base(kind),
    operationId: `create${capitalized(kind.noun)}`,
    tags: [kind.name],
    summary: `Create a ${kind.noun}`,
    request: {
      body: { required: true, ...jsonContent(kind.inputSchema) },
      headers: IdempotencyKeyHeaders,
    },
    responses: {
      201: {
        description: `The created ${kind.noun} (\`Idempotent-Replayed: true\` on a replay)`,
        headers: {
          Location: { schema: { type: 'string' }, description: `The new ${kind.noun}'s path` },
          'Idempotent-Replayed': {
            schema: { type: 'string', enum: ['true'] },
            description: 'spec §14: present when this is the kept response of an earlier request',
          },
        },
        ...jsonContent(kind.outputSchema),
      },
      ...errorResponses(400, 401, 403, 409, 413, 415, 422, 503),
    },
  });
  documented(app, route, token('data:write'), async (c) => {
    const { input, text } = await entityBody(kind, c);
    const request = idempotentRequestOf(c, text);
    const kept = await entities.createEntityOnce(c.var, c.var.principal, kind, input, request);
    const id = String((JSON.parse(kept.body) as { id: unknown }).id);
    return c.body(kept.body, kept.status as 201, {
      ...JSON_HEADERS,
      Location: `${base(kind)}/${id}`,
      ...replayHeaders(kept.replayed),
    });
  });
}

function registerRead(app: App, kind: EntityKind): void {
  const route = createRoute({
    method: 'get',
    path: `${base(kind)}/{id}`,
    operationId: `get${capitalized(kind.noun)}`,
    tags: [kind.name],
    summary: `Read a ${kind.noun} (with the calling app's app_metadata)`,
    request: { params: EntityIdParams },
    responses: {
      200: { description: `The ${kind.noun}`, ...jsonContent(kind.outputSchema) },
      ...errorResponses(401, 403, 404, 503),
    },
  });
  documented(app, route, token('data:read'), async (c) => {
    const id = entityId(c, kind.noun);
    const view = await readView(c.get('services'), c.get('principal'), kind.name, id);
    if (view === null) throw notFound(kind.noun);
    return c.body(view.body, 200, JSON_HEADERS);
  });
}

function registerReplace(app: App, kind: EntityKind): void {
  const route = createRoute({
    method: 'put',
    path: `${base(kind)}/{id}`,
    operationId: `replace${capitalized(kind.noun)}`,
    tags: [kind.name],
    summary: `Replace a ${kind.noun}`,
    request: { params: EntityIdParams, body: { required: true, ...jsonContent(kind.inputSchema) } },
    responses: {
      200: { description: `The replaced ${kind.noun}`, ...jsonContent(kind.outputSchema) },
      ...errorResponses(400, 401, 403, 404, 413, 415, 422, 503),
    },
  });
  documented(app, route, token('data:write'), async (c) => {
    const id = entityId(c, kind.noun);
    const input = await entityInput(kind, c);
    const entity = await entities.replaceEntity(c.var, c.var.principal, kind, id, input);
    if (entity === null) throw notFound(kind.noun);
    return c.json(entity, 200);
  });
}

function registerDelete(app: App, kind: EntityKind): void {
  const route = createRoute({
    method: 'delete',
    path: `${base(kind)}/{id}`,
    operationId: `delete${capitalized(kind.noun)}`,
    tags: [kind.name],
    summary: `Delete a ${kind.noun} and every application's metadata on it`,
    request: { params: EntityIdParams },
    responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404, 503) },
  });
  documented(app, route, token('data:write'), async (c) => {
    const id = entityId(c, kind.noun);
    if (!(await entities.deleteEntity(c.var, c.var.principal, kind, id))) throw notFound(kind.noun);
    return c.body(null, 204);
  });
}

function entityRoutes(kind: EntityKind): App {
  const app = new OpenAPIHono<AppEnv>();
  for (const register of [
    registerList,
    registerCreate,
    registerRead,
    registerReplace,
    registerDelete,
  ])
    register(app, kind);
  return app;
}

/** Sub-apps for the three kinds, to mount at the root. */
export const entityApps: App[] = (Object.keys(ENTITY_KINDS) as EntityKindName[]).map((name) =>
  entityRoutes(ENTITY_KINDS[name]),
);
