/**
 * /api/v1/{activities,traces,tests}: list, create, read, replace, delete (spec §8, §11).
 * Reads made with an app token carry that app's `app_metadata`; single reads are served from
 * KV when hot. One sub-app per kind, built from the kind's description.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { requireAccessToken } from '../auth/require-access-token';
import { ENTITY_BODY_MAX_BYTES, ENTITY_BODY_MAX_DEPTH } from '../config';
import { ENTITY_KINDS, type EntityKind, type EntityKindName } from '../entities/kinds';
import { ListQuerySchema } from '../entities/schemas';
import type { AppEnv } from '../env';
import { bearerSecurity, documented, errorResponses } from '../http/openapi';
import { readJsonBody, validate } from '../http/json-request';
import { isId } from '../ids';
import { entityBody, readEntityView } from '../storage/cached-reads';
import { dropViews } from '../storage/cached-views';
import {
  deleteEntity,
  getEntityWithDocument,
  insertEntity,
  listEntitiesWithDocuments,
  replaceEntity,
} from '../storage/entities';
import { inactive, notFound, parseListFilters } from './entity-responses';

const IdParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });

function jsonContent(schema: z.ZodType) {
  return { content: { 'application/json': { schema } } };
}

/** The path id, or a 404 exactly like a missing entity (no query for a malformed id). */
export function entityId(c: Context<AppEnv>, noun: string): string {
  const id = c.req.param('id') ?? '';
  if (!isId(id)) throw notFound(noun);
  return id;
}

function entityRoutes(kind: EntityKind): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const base = `/api/v1/${kind.name}`;
  const tags = [kind.name];

  documented(
    app,
    createRoute({
      method: 'get',
      path: base,
      tags,
      security: bearerSecurity,
      summary: `List ${kind.name}, newest first`,
      request: { query: ListQuerySchema },
      responses: {
        200: { description: 'A bare JSON array', ...jsonContent(z.array(kind.outputSchema)) },
        ...errorResponses(400, 401, 403, 503),
      },
    }),
    requireAccessToken({ audience: 'any', scope: 'data:read' }),
    async (c) => {
      const filters = parseListFilters(c.req.query());
      const { db, principal, now } = c.var;
      const result = await listEntitiesWithDocuments(db, principal, kind, filters, now);
      if (!result.active) throw inactive();
      const body = result.value.map((item) => entityBody(kind.toJson(item.row), item.document));
      return c.body(`[${body.join(',')}]`, 200, { 'Content-Type': 'application/json' });
    },
  );

  documented(
    app,
    createRoute({
      method: 'post',
      path: base,
      tags,
      security: bearerSecurity,
      summary: `Create a ${kind.noun}`,
      request: { body: { required: true, ...jsonContent(kind.inputSchema) } },
      responses: {
        201: { description: `The created ${kind.noun}`, ...jsonContent(kind.outputSchema) },
        ...errorResponses(400, 401, 403, 413, 415, 422, 503),
      },
    }),
    requireAccessToken({ audience: 'any', scope: 'data:write' }),
    async (c) => {
      const { value } = await readJsonBody(c, {
        maxBytes: ENTITY_BODY_MAX_BYTES,
        maxDepth: ENTITY_BODY_MAX_DEPTH,
      });
      const input = validate(kind.inputSchema, value);
      const { db, principal, now } = c.var;
      const result = await insertEntity(db, principal, kind, kind.toValues(input as never), now);
      if (!result.active || result.value === null) throw inactive();
      const entity = kind.toJson(result.value);
      return c.json(entity, 201, { Location: `${base}/${String(entity.id)}` });
    },
  );

  documented(
    app,
    createRoute({
      method: 'get',
      path: `${base}/{id}`,
      tags,
      security: bearerSecurity,
      summary: `Read a ${kind.noun} (with the calling app's app_metadata)`,
      request: { params: IdParams },
      responses: {
        200: { description: `The ${kind.noun}`, ...jsonContent(kind.outputSchema) },
        ...errorResponses(401, 403, 404, 503),
      },
    }),
    requireAccessToken({ audience: 'any', scope: 'data:read' }),
    async (c) => {
      const id = entityId(c, kind.noun);
      const { db, cache, principal, now } = c.var;
      const outcome = await readEntityView(cache, principal, kind.name, id, async () => {
        const result = await getEntityWithDocument(db, principal, kind, id, now);
        if (!result.active || result.value === null)
          return result as typeof result & { value: null };
        const { row, document, version } = result.value;
        return { ...result, value: { entity: kind.toJson(row), document, version } };
      });
      if (outcome.kind === 'inactive') throw inactive();
      if (outcome.kind === 'not_found') throw notFound(kind.noun);
      return c.body(outcome.view.body, 200, { 'Content-Type': 'application/json' });
    },
  );

  documented(
    app,
    createRoute({
      method: 'put',
      path: `${base}/{id}`,
      tags,
      security: bearerSecurity,
      summary: `Replace a ${kind.noun}`,
      request: { params: IdParams, body: { required: true, ...jsonContent(kind.inputSchema) } },
      responses: {
        200: { description: `The replaced ${kind.noun}`, ...jsonContent(kind.outputSchema) },
        ...errorResponses(400, 401, 403, 404, 413, 415, 422, 503),
      },
    }),
    requireAccessToken({ audience: 'any', scope: 'data:write' }),
    async (c) => {
      const id = entityId(c, kind.noun);
      const { value } = await readJsonBody(c, {
        maxBytes: ENTITY_BODY_MAX_BYTES,
        maxDepth: ENTITY_BODY_MAX_DEPTH,
      });
      const input = validate(kind.inputSchema, value);
      const { db, cache, principal, now } = c.var;
      const values = kind.toValues(input as never);
      const { result, staleViews } = await replaceEntity(db, principal, kind, id, values, now);
      await dropViews(cache, staleViews);
      if (!result.active) throw inactive();
      if (result.value === null) throw notFound(kind.noun);
      return c.json(kind.toJson(result.value), 200);
    },
  );

  documented(
    app,
    createRoute({
      method: 'delete',
      path: `${base}/{id}`,
      tags,
      security: bearerSecurity,
      summary: `Delete a ${kind.noun} and every application's metadata on it`,
      request: { params: IdParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404, 503) },
    }),
    requireAccessToken({ audience: 'any', scope: 'data:write' }),
    async (c) => {
      const id = entityId(c, kind.noun);
      const { db, cache, principal, now } = c.var;
      const { result, staleViews } = await deleteEntity(db, principal, kind, id, now);
      await dropViews(cache, staleViews);
      if (!result.active) throw inactive();
      if (!result.value) throw notFound(kind.noun);
      return c.body(null, 204);
    },
  );

  return app;
}

/** Sub-apps for the three kinds, to mount at the root. */
export const entityApps: OpenAPIHono<AppEnv>[] = (
  Object.keys(ENTITY_KINDS) as EntityKindName[]
).map((name) => entityRoutes(ENTITY_KINDS[name]));
