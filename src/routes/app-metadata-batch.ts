/**
 * POST /api/v1/{activities,traces,tests}/app-metadata/batch-get and …/batch-put (spec §14,
 * §17 "Batches"): the calling application's documents on many entities at once. Each item of
 * a batch-put obeys §4's limits (counted on its compact JSON serialization) and preconditions
 * on its own; the accepted items are written in one D1 batch.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppPrincipal } from '../auth/principal';
import {
  BATCH_GET_MAX_IDS,
  BATCH_PUT_MAX_ITEMS,
  ENTITY_METADATA_MAX_BYTES,
  METADATA_MAX_DEPTH,
} from '../config';
import { ENTITY_KINDS, type EntityKindName } from '../entities/kinds';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { jsonDepth } from '../http/body-reader';
import { IdempotencyKeyHeaders, idempotentRequestOf, replayHeaders } from '../http/idempotency-key';
import { readJsonBody } from '../http/json-request';
import { documented, errorResponses, jsonContent as json } from '../http/openapi';
import { tokenGuard } from '../http/openapi-security';
import { isId } from '../ids';
import { parsePreconditions } from '../metadata/preconditions';
import * as batches from '../services/app-metadata-batch';
import { validate } from '../validate';

const ID = z.string().min(1).max(128);
const BatchGetSchema = z.object({ ids: z.array(ID).min(1).max(BATCH_GET_MAX_IDS) });
const BatchPutSchema = z.object({
  items: z
    .array(
      z.object({
        id: ID,
        document: z.unknown().openapi({ type: 'object', description: 'The new document' }),
        if_match: z
          .string()
          .max(1024)
          .optional()
          .openapi({ description: 'An ETag, quotes included' }),
      }),
    )
    .min(1)
    .max(BATCH_PUT_MAX_ITEMS),
});
const BatchGetResponse = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      app_metadata: z.record(z.string(), z.unknown()).optional(),
      etag: z.string().optional(),
      error: z.object({ errorCode: z.string() }).optional(),
    }),
  ),
});
const BatchPutResponse = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      status: z.number().int(),
      etag: z.string().optional(),
      error: z.object({ errorCode: z.string() }).optional(),
    }),
  ),
});

/**
 * Raw body bounds: every item at its limit with generous whitespace; depth leaves room for an
 * item somewhat over §4's depth to be answered on its own (422 too_deep) rather than as a whole.
 */
const BATCH_BODY_MAX_BYTES = 256 * 1024;
const BATCH_BODY_MAX_DEPTH = METADATA_MAX_DEPTH * 2;

function requireDistinct(ids: string[]): void {
  if (new Set(ids).size !== ids.length) {
    throw new ApiError('validation_error', 'The same id appears twice.', {
      details: { ids: 'must be distinct' },
    });
  }
}

async function readBatch<T extends z.ZodType>(
  c: Context<AppEnv>,
  schema: T,
): Promise<z.infer<T> & { text: string }> {
  const body = await readJsonBody(c, {
    maxBytes: BATCH_BODY_MAX_BYTES,
    maxDepth: BATCH_BODY_MAX_DEPTH,
  });
  return { ...(validate(schema, body.value) as object), text: body.text } as z.infer<T> & {
    text: string;
  };
}

function batchGetHandler(type: EntityKindName) {
  return async (c: Context<AppEnv>) => {
    const { ids } = await readBatch(c, BatchGetSchema);
    requireDistinct(ids);
    const principal = c.var.principal as AppPrincipal;
    const results = await batches.batchGetDocuments(c.var, principal, type, ids.filter(isId));
    const byId = new Map(results.map((result) => [result.id, result]));
    const data = ids.map((id) => {
      const result = byId.get(id);
      if (result === undefined || !result.found) return { id, error: { errorCode: 'not_found' } };
      if (result.document === null) return { id };
      return { id, app_metadata: JSON.parse(result.document) as unknown, etag: result.etag };
    });
    return c.json({ data }, 200);
  };
}

type PutItem = z.infer<typeof BatchPutSchema>['items'][number];

/** An item's own refusal before any write (§4's limits on its compact JSON), or its write. */
function prepare(item: PutItem): batches.PreparedItem {
  const refuse = (status: number, errorCode: string) => ({
    id: item.id,
    refusal: { id: item.id, status, error: { errorCode } },
  });
  if (!isId(item.id)) return refuse(404, 'not_found');
  const document = item.document;
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return refuse(422, 'validation_error');
  }
  if (jsonDepth(document) > METADATA_MAX_DEPTH) return refuse(422, 'too_deep');
  const json = JSON.stringify(document);
  if (new TextEncoder().encode(json).byteLength > ENTITY_METADATA_MAX_BYTES) {
    return refuse(413, 'payload_too_large');
  }
  const input = { mode: 'replace' as const, json, maxBytes: ENTITY_METADATA_MAX_BYTES };
  const pre = parsePreconditions(item.if_match, undefined);
  return { id: item.id, refusal: null, write: { entityId: item.id, input, pre } };
}

function batchPutHandler(type: EntityKindName) {
  return async (c: Context<AppEnv>) => {
    const { items, text } = await readBatch(c, BatchPutSchema);
    requireDistinct(items.map((item) => item.id));
    const principal = c.var.principal as AppPrincipal;
    const request = idempotentRequestOf(c, text);
    const kept = await batches.batchPutDocuments(
      c.var,
      principal,
      type,
      items.map(prepare),
      request,
    );
    return c.body(kept.body, 200, {
      'Content-Type': 'application/json',
      ...replayHeaders(kept.replayed),
    });
  };
}

function register(app: OpenAPIHono<AppEnv>, type: EntityKindName): void {
  const common = { tags: ['app metadata'], method: 'post' as const };
  const noun = ENTITY_KINDS[type].noun;
  const operationNoun = `${noun.charAt(0).toUpperCase()}${noun.slice(1)}AppMetadata`;
  const get = createRoute({
    ...common,
    operationId: `batchGet${operationNoun}`,
    path: `/api/v1/${type}/app-metadata/batch-get`,
    summary: `Read this application's documents on up to ${BATCH_GET_MAX_IDS} ${type}`,
    request: { body: { required: true, ...json(BatchGetSchema) } },
    responses: {
      200: { description: 'One answer per id, in order', ...json(BatchGetResponse) },
      ...errorResponses(400, 401, 403, 413, 415, 503),
    },
  });
  const reader = tokenGuard({ audience: 'app', scope: 'data:read' });
  documented(app, get, reader, batchGetHandler(type));
  const put = createRoute({
    ...common,
    operationId: `batchPut${operationNoun}`,
    path: `/api/v1/${type}/app-metadata/batch-put`,
    summary: `Replace this application's documents on up to ${BATCH_PUT_MAX_ITEMS} ${type}`,
    request: { body: { required: true, ...json(BatchPutSchema) }, headers: IdempotencyKeyHeaders },
    responses: {
      200: { description: 'Per-item status 200, 404, 412, 413 or 422', ...json(BatchPutResponse) },
      ...errorResponses(400, 401, 403, 409, 413, 415, 422, 503),
    },
  });
  const writer = tokenGuard({ audience: 'app', scope: 'data:write' });
  documented(app, put, writer, batchPutHandler(type));
}

export const appMetadataBatchApp = new OpenAPIHono<AppEnv>();
for (const name of Object.keys(ENTITY_KINDS) as EntityKindName[])
  register(appMetadataBatchApp, name);
