/**
 * /api/v1/{activities,traces,tests}/{id}/app-metadata and /api/v1/profile/app-metadata
 * (spec §4, §11): the calling application's private document on one entity. Documents are
 * stored as the exact text sent; writes are conditional (ETag, If-Match, If-None-Match) and
 * atomic in D1 (services/app-metadata.ts).
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppPrincipal } from '../auth/principal';
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
import { documented, errorResponses } from '../http/openapi';
import { tokenGuard } from '../http/openapi-security';
import { etagOf, parsePreconditions, readOutcome } from '../metadata/preconditions';
import * as documents from '../services/app-metadata';
import type { EntityType } from '../storage/kv-cache';
import { entityId, notFound } from './path-params';

interface Target {
  type: EntityType;
  noun: string;
  /** The entity in operationIds: `getActivityAppMetadata`. */
  operationNoun: string;
  path: string;
  maxBytes: number;
  readScope: Scope;
  /** The entity id from the request (the user id for the profile). */
  id(c: Context<AppEnv>): string;
}

const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

const targets: Target[] = [
  ...(Object.keys(ENTITY_KINDS) as EntityKindName[]).map((name) => ({
    type: name,
    noun: ENTITY_KINDS[name].noun,
    operationNoun: capitalized(ENTITY_KINDS[name].noun),
    path: `/api/v1/${name}/{id}/app-metadata`,
    maxBytes: ENTITY_METADATA_MAX_BYTES,
    readScope: 'data:read' as const,
    id: (c: Context<AppEnv>) => entityId(c, ENTITY_KINDS[name].noun),
  })),
  {
    type: 'profile',
    noun: 'profile',
    operationNoun: 'Profile',
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

/** tokenGuard({audience: 'app'}) ran first: the principal is an application's. */
function appOf(c: Context<AppEnv>): AppPrincipal {
  return c.get('principal') as AppPrincipal;
}

function preconditionsOf(c: Context<AppEnv>) {
  return parsePreconditions(c.req.header('If-Match'), c.req.header('If-None-Match'));
}

const preconditionFailed = (): ApiError =>
  new ApiError('precondition_failed', 'The document does not match the request’s precondition.', {
    hint: 'Read the document again and retry with its current ETag.',
  });

function documentResponse(c: Context<AppEnv>, document: string, version: string) {
  return c.body(document, 200, { 'Content-Type': 'application/json', ETag: etagOf(version) });
}

function respondToWrite(c: Context<AppEnv>, target: Target, outcome: documents.WriteOutcome) {
  switch (outcome.kind) {
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
      return documentResponse(c, outcome.document, outcome.version);
    case 'deleted':
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

async function readHandler(c: Context<AppEnv>, target: Target) {
  const ref = { type: target.type, id: target.id(c) };
  const found = await documents.readDocument(c.get('services'), appOf(c), ref);
  if (found === null) {
    throw new ApiError('not_found', `This application has no metadata on this ${target.noun}.`);
  }
  switch (readOutcome(preconditionsOf(c), found.version)) {
    case 'precondition_failed':
      throw preconditionFailed();
    case 'not_modified':
      return c.body(null, 304, { ETag: etagOf(found.version) });
    case 'ok':
      return documentResponse(c, found.document, found.version);
  }
}

/**
 * PUT (`replace`, application/json) or PATCH (`merge`, RFC 7396 application/merge-patch+json):
 * the same limits, preconditions and one atomic write.
 */
function writeHandler(target: Target, mode: 'replace' | 'merge') {
  return async (c: Context<AppEnv>) => {
    const ref = { type: target.type, id: target.id(c) };
    const body = await readJsonBody(c, {
      maxBytes: target.maxBytes,
      maxDepth: METADATA_MAX_DEPTH,
      mediaType: mode === 'merge' ? 'application/merge-patch+json' : 'application/json',
    });
    // A document is an object; RFC 7396 §2: a non-object patch would replace the whole target.
    requireObject(body.value);
    const input = { mode, json: body.text, maxBytes: target.maxBytes };
    const outcome = await documents.writeDocument(c.var, appOf(c), ref, input, preconditionsOf(c));
    return respondToWrite(c, target, outcome);
  };
}

async function deleteHandler(c: Context<AppEnv>, target: Target) {
  const ref = { type: target.type, id: target.id(c) };
  const outcome = await documents.deleteDocument(c.var, appOf(c), ref, preconditionsOf(c));
  return respondToWrite(c, target, outcome);
}

function routeBase(target: Target) {
  return {
    path: target.path,
    tags: ['app metadata'],
    request: {
      ...(target.type === 'profile' ? {} : { params: z.object({ id: z.string() }) }),
      headers: conditionalHeaders,
    },
  };
}

const nounOf = (target: Target) => `this application's document on the ${target.noun}`;

function registerRead(root: OpenAPIHono<AppEnv>, target: Target): void {
  const route = createRoute({
    ...routeBase(target),
    method: 'get',
    operationId: `get${target.operationNoun}AppMetadata`,
    summary: `Read ${nounOf(target)}`,
    responses: {
      200: { description: 'The document', headers: etagHeader, ...json },
      304: { description: 'If-None-Match matched' },
      ...errorResponses(401, 403, 404, 412, 503),
    },
  });
  const reader = tokenGuard({ audience: 'app', scope: target.readScope });
  documented(root, route, reader, (c) => readHandler(c, target));
}

function registerWrites(root: OpenAPIHono<AppEnv>, target: Target): void {
  const base = routeBase(target);
  const writer = tokenGuard({ audience: 'app', scope: 'data:write' });
  const responses = {
    200: { description: 'The stored document', headers: etagHeader, ...json },
    ...errorResponses(400, 401, 403, 404, 412, 413, 415, 422, 503),
  };
  const bodies = {
    put: json.content,
    patch: { 'application/merge-patch+json': { schema: DocumentSchema } },
  };
  const summaries = { put: 'Replace', patch: 'Merge-patch (RFC 7396)' };
  for (const method of ['put', 'patch'] as const) {
    const route = createRoute({
      ...base,
      method,
      operationId: `${method}${target.operationNoun}AppMetadata`,
      summary: `${summaries[method]} ${nounOf(target)}`,
      request: { ...base.request, body: { required: true, content: bodies[method] } },
      responses,
    });
    documented(root, route, writer, writeHandler(target, method === 'put' ? 'replace' : 'merge'));
  }
  const remove = createRoute({
    ...base,
    method: 'delete',
    operationId: `delete${target.operationNoun}AppMetadata`,
    summary: `Delete ${nounOf(target)}`,
    responses: {
      204: { description: 'Deleted, or there was none' },
      ...errorResponses(401, 403, 404, 412, 503),
    },
  });
  documented(root, remove, writer, (c) => deleteHandler(c, target));
}

export const appMetadataApp = new OpenAPIHono<AppEnv>();
for (const target of targets) {
  registerRead(appMetadataApp, target);
  registerWrites(appMetadataApp, target);
}
