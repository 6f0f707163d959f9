/**
 * /api/v1/{activities,traces,tests}/{id}/app-metadata and /api/v1/profile/app-metadata
 * (spec §4, §11): the calling application's private document on one entity. Documents are
 * stored as the exact text sent; writes are conditional (ETag, If-Match, If-None-Match) and
 * atomic in D1, then written through to KV so the writer reads its own write.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppPrincipal } from '../auth/principal';
import { requireAccessToken } from '../auth/require-access-token';
import type { Scope } from '../auth/scopes';
import {
  ENTITY_METADATA_MAX_BYTES,
  METADATA_MAX_DEPTH,
  PROFILE_METADATA_MAX_BYTES,
} from '../config';
import { ENTITY_KINDS, type EntityKindName } from '../entities/kinds';
import { JsonObjectSchema } from '../entities/schemas';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { readJsonBody } from '../http/json-request';
import { bearerSecurity, documented, errorResponses } from '../http/openapi';
import { etagOf, parsePreconditions } from '../http/preconditions';
import { deleteDocument, writeDocument, type WriteOutcome } from '../storage/app-metadata';
import { dropOwnView, readEntityView } from '../storage/cached-reads';
import { getEntityWithDocument } from '../storage/entities';
import type { EntityType } from '../storage/kv-cache';
import { getProfileWithDocument, toProfile, type UserRow } from '../storage/profiles';
import { entityId } from './entities';
import { inactive, notFound } from './entity-responses';

interface Target {
  type: EntityType;
  noun: string;
  path: string;
  maxBytes: number;
  readScope: Scope;
  /** The entity id from the request (the user id for the profile). */
  id(c: Context<AppEnv>): string;
}

const targets: Target[] = [
  ...(Object.keys(ENTITY_KINDS) as EntityKindName[]).map((name) => ({
    type: name,
    noun: ENTITY_KINDS[name].noun,
    path: `/api/v1/${name}/{id}/app-metadata`,
    maxBytes: ENTITY_METADATA_MAX_BYTES,
    readScope: 'data:read' as const,
    id: (c: Context<AppEnv>) => entityId(c, ENTITY_KINDS[name].noun),
  })),
  {
    type: 'profile',
    noun: 'profile',
    path: '/api/v1/profile/app-metadata',
    maxBytes: PROFILE_METADATA_MAX_BYTES,
    readScope: 'profile',
    id: (c) => c.var.principal.userId,
  },
];

const DocumentSchema = JsonObjectSchema.openapi('AppMetadataDocument');
const json = { content: { 'application/json': { schema: DocumentSchema } } };
const etagHeader = {
  ETag: { schema: { type: 'string' as const }, description: 'Strong version tag' },
};
const conditionalHeaders = z.object({
  'if-match': z.string().optional(),
  'if-none-match': z.string().optional(),
});

function app(principal: AppEnv['Variables']['principal']): AppPrincipal {
  return principal as AppPrincipal;
}

const preconditionFailed = (): ApiError =>
  new ApiError('precondition_failed', 'The document does not match the request’s precondition.', {
    hint: 'Read the document again and retry with its current ETag.',
  });

function documentResponse(c: Context<AppEnv>, document: string, version: string) {
  return c.body(document, 200, { 'Content-Type': 'application/json', ETag: etagOf(version) });
}

async function respondToWrite(
  c: Context<AppEnv>,
  target: Target,
  id: string,
  outcome: WriteOutcome,
) {
  switch (outcome.kind) {
    case 'inactive':
      throw inactive();
    case 'not_found':
      throw notFound(target.noun);
    case 'precondition_failed':
      throw preconditionFailed();
    case 'too_large':
      throw new ApiError(
        'payload_too_large',
        `The patched document is larger than ${target.maxBytes} bytes.`,
      );
    case 'written':
      await dropOwnView(c.var.cache, c.var.principal, target.type, id);
      return documentResponse(c, outcome.document, outcome.version);
    case 'deleted':
      await dropOwnView(c.var.cache, c.var.principal, target.type, id);
      return c.body(null, 204);
  }
}

function requireObject(value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError('validation_error', 'The metadata document must be a JSON object.', {
      status: 422,
      details: { '(body)': 'must be a JSON object' },
    });
  }
}

/**
 * PUT (`replace`, application/json) or PATCH (`merge`, RFC 7396 application/merge-patch+json):
 * the same limits, preconditions and one atomic write.
 */
function writeHandler(target: Target, mode: 'replace' | 'merge') {
  return async (c: Context<AppEnv>) => {
    const id = target.id(c);
    const body = await readJsonBody(c, {
      maxBytes: target.maxBytes,
      maxDepth: METADATA_MAX_DEPTH,
      mediaType: mode === 'merge' ? 'application/merge-patch+json' : 'application/json',
    });
    // A document is an object; RFC 7396 §2: a non-object patch would replace the whole target.
    requireObject(body.value);
    const pre = parsePreconditions(c.req.header('If-Match'), c.req.header('If-None-Match'));
    const outcome = await writeDocument(
      c.var.db,
      { principal: app(c.var.principal), type: target.type, entityId: id, now: c.var.now },
      { mode, json: body.text, maxBytes: target.maxBytes },
      pre,
    );
    return respondToWrite(c, target, id, outcome);
  };
}

function register(root: OpenAPIHono<AppEnv>, target: Target): void {
  const base = { path: target.path, tags: ['app metadata'], security: bearerSecurity };
  const request = target.type === 'profile' ? {} : { params: z.object({ id: z.string() }) };

  documented(
    root,
    createRoute({
      ...base,
      method: 'get',
      summary: `Read this application's document on the ${target.noun}`,
      request: { ...request, headers: conditionalHeaders },
      responses: {
        200: { description: 'The document', headers: etagHeader, ...json },
        304: { description: 'If-None-Match matched' },
        ...errorResponses(401, 403, 404, 412, 503),
      },
    }),
    requireAccessToken({ audience: 'app', scope: target.readScope }),
    async (c) => {
      const id = target.id(c);
      const { db, cache, now } = c.var;
      const principal = app(c.var.principal);
      const outcome = await readEntityView(cache, principal, target.type, id, async () => {
        const result =
          target.type === 'profile'
            ? await getProfileWithDocument(db, principal, now)
            : await getEntityWithDocument(db, principal, ENTITY_KINDS[target.type], id, now);
        if (!result.active || result.value === null)
          return result as typeof result & { value: null };
        const { row, document, version } = result.value;
        const entity =
          target.type === 'profile'
            ? toProfile(row as unknown as UserRow)
            : ENTITY_KINDS[target.type].toJson(row);
        return { ...result, value: { entity, document, version } };
      });
      if (outcome.kind === 'inactive') throw inactive();
      const { document, version } =
        outcome.kind === 'found' ? outcome.view : { document: null, version: null };
      if (outcome.kind === 'not_found' || document === null || version === null) {
        throw new ApiError('not_found', `This application has no metadata on this ${target.noun}.`);
      }
      // RFC 9110 §13.2.2: If-Match first (false → 412, any method), then If-None-Match.
      const pre = parsePreconditions(c.req.header('If-Match'), c.req.header('If-None-Match'));
      if (pre.ifMatch && !pre.ifMatch.any && !pre.ifMatch.tags.includes(version)) {
        throw preconditionFailed();
      }
      if (pre.ifNoneMatch && (pre.ifNoneMatch.any || pre.ifNoneMatch.tags.includes(version))) {
        return c.body(null, 304, { ETag: etagOf(version) });
      }
      return documentResponse(c, document, version);
    },
  );

  documented(
    root,
    createRoute({
      ...base,
      method: 'put',
      summary: `Replace this application's document on the ${target.noun}`,
      request: { ...request, headers: conditionalHeaders, body: { required: true, ...json } },
      responses: {
        200: { description: 'The stored document', headers: etagHeader, ...json },
        ...errorResponses(400, 401, 403, 404, 412, 413, 415, 422, 503),
      },
    }),
    requireAccessToken({ audience: 'app', scope: 'data:write' }),
    writeHandler(target, 'replace'),
  );

  documented(
    root,
    createRoute({
      ...base,
      method: 'patch',
      summary: `Merge-patch (RFC 7396) this application's document on the ${target.noun}`,
      request: {
        ...request,
        headers: conditionalHeaders,
        body: {
          required: true,
          content: { 'application/merge-patch+json': { schema: DocumentSchema } },
        },
      },
      responses: {
        200: { description: 'The patched document', headers: etagHeader, ...json },
        ...errorResponses(400, 401, 403, 404, 412, 413, 415, 422, 503),
      },
    }),
    requireAccessToken({ audience: 'app', scope: 'data:write' }),
    writeHandler(target, 'merge'),
  );

  documented(
    root,
    createRoute({
      ...base,
      method: 'delete',
      summary: `Delete this application's document on the ${target.noun}`,
      request: { ...request, headers: conditionalHeaders },
      responses: {
        204: { description: 'Deleted, or there was none' },
        ...errorResponses(401, 403, 404, 412, 503),
      },
    }),
    requireAccessToken({ audience: 'app', scope: 'data:write' }),
    async (c) => {
      const id = target.id(c);
      const pre = parsePreconditions(c.req.header('If-Match'), c.req.header('If-None-Match'));
      const principal = app(c.var.principal);
      const outcome = await deleteDocument(
        c.var.db,
        { principal, type: target.type, entityId: id, now: c.var.now },
        pre,
      );
      return respondToWrite(c, target, id, outcome);
    },
  );
}

export const appMetadataApp = new OpenAPIHono<AppEnv>();
for (const target of targets) register(appMetadataApp, target);
