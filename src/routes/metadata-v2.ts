/**
 * /api/v2/metadata and /api/v2/metadata/{key} (spec §5, §11): the calling application's
 * key/value store for the token's user. Reads go to D1 (not KV-cached: Server-Timing says
 * "bypass"); every request is one D1 round trip that also checks the token's grant.
 *
 * The item routes capture the whole rest of the path and decode the key themselves, so that a
 * key outside the pattern (an encoded `/`, an invalid escape, an empty key) is a 422 naming
 * `key` on every method instead of a routing 404. Dot segments (`.`, `..`) are removed by URL
 * normalisation before the Worker sees the request, so those two keys cannot be addressed.
 */
import { OpenAPIHono, createRoute, type RouteConfig, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppPrincipal } from '../auth/principal';
import {
  METADATA_BODY_MAX_BYTES,
  METADATA_BODY_MAX_DEPTH,
  METADATA_MAX_KEYS,
  METADATA_MAX_VALUE_BYTES,
} from '../config';
import { formatTimestamp } from '../entities/time';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { readJsonBody } from '../http/json-request';
import { documented, documentedAt, errorResponses } from '../http/openapi';
import { tokenGuard } from '../http/openapi-security';
import {
  ENTRY_PATH_PREFIX,
  EntryBodySchema,
  EntrySchema,
  KEY_PATTERN,
  keyFromPath,
  parseEntryBody,
} from '../metadata/entries';
import * as store from '../services/metadata-v2';

const ITEM_PATH = `${ENTRY_PATH_PREFIX}{key}`;
const tags = ['metadata v2'];
const entryJson = { content: { 'application/json': { schema: EntrySchema } } };
const keyParam = z.object({
  key: z
    .string()
    .regex(KEY_PATTERN)
    .openapi({ description: 'Letters, digits, ".", "_" and "-"; at most 128 characters' }),
});

function toEntry(row: store.EntryRow) {
  return {
    key: row.key,
    value: row.value,
    expires_at: row.expires_at === null ? null : formatTimestamp(row.expires_at),
  };
}

function app(c: Context<AppEnv>): AppPrincipal {
  return c.var.principal as AppPrincipal;
}

function key(c: Context<AppEnv>): string {
  return keyFromPath(new URL(c.req.url).pathname);
}

function missing(): ApiError {
  return new ApiError('not_found', 'This application has no entry with this key.');
}

/**
 * Registers the route in the OpenAPI document under `{key}` and mounts the handlers on a
 * wildcard that captures the rest of the path (see the module comment).
 */
function documentedItem(
  root: OpenAPIHono<AppEnv>,
  route: RouteConfig,
  ...handlers: MiddlewareHandler<AppEnv>[]
): void {
  documentedAt(root, route, `${ENTRY_PATH_PREFIX}*`, ...handlers);
}

export const metadataV2App = new OpenAPIHono<AppEnv>();

documented(
  metadataV2App,
  createRoute({
    method: 'get',
    path: '/api/v2/metadata',
    operationId: 'listMetadataEntries',
    tags,
    summary: "Every live entry of this application's key/value store for the user",
    responses: {
      200: {
        description: 'The live entries, ordered by key',
        content: {
          'application/json': {
            schema: z.object({ data: z.array(EntrySchema) }).openapi('MetadataEntryList'),
          },
        },
      },
      ...errorResponses(401, 403, 503),
    },
  }),
  tokenGuard({ audience: 'app', scope: 'metadata.read' }),
  async (c) => {
    const entries = await store.listEntries(c.var, app(c));
    return c.json({ data: entries.map(toEntry) }, 200);
  },
);

documentedItem(
  metadataV2App,
  createRoute({
    method: 'get',
    path: ITEM_PATH,
    operationId: 'getMetadataEntry',
    tags,
    summary: 'Read one live entry',
    request: { params: keyParam },
    responses: {
      200: { description: 'The entry', ...entryJson },
      ...errorResponses(401, 403, 404, 422, 503),
    },
  }),
  tokenGuard({ audience: 'app', scope: 'metadata.read' }),
  async (c) => {
    const entry = await store.getEntry(c.var, app(c), key(c));
    if (entry === null) throw missing();
    return c.json(toEntry(entry), 200);
  },
);

documentedItem(
  metadataV2App,
  createRoute({
    method: 'put',
    path: ITEM_PATH,
    operationId: 'putMetadataEntry',
    tags,
    summary: 'Create or replace an entry (omitting expires_at clears it)',
    request: {
      params: keyParam,
      body: { required: true, content: { 'application/json': { schema: EntryBodySchema } } },
    },
    responses: {
      200: { description: 'Updated; the stored entry', ...entryJson },
      201: { description: 'Created; the stored entry', ...entryJson },
      ...errorResponses(400, 401, 403, 413, 415, 422, 503),
    },
  }),
  tokenGuard({ audience: 'app', scope: 'metadata.write' }),
  async (c) => {
    const entryKey = key(c);
    const body = await readJsonBody(c, {
      maxBytes: METADATA_BODY_MAX_BYTES,
      maxDepth: METADATA_BODY_MAX_DEPTH,
    });
    const input = parseEntryBody(body.value, c.var.now);
    const outcome = await store.putEntry(c.var, app(c), entryKey, input);
    switch (outcome.kind) {
      case 'quota_exceeded':
        throw new ApiError(
          'quota_exceeded',
          outcome.quota === 'keys'
            ? `This application already stores ${METADATA_MAX_KEYS} keys for this user.`
            : `This application's values for this user would exceed ${METADATA_MAX_VALUE_BYTES} bytes.`,
          {
            details: {
              quota: outcome.quota,
              limit: outcome.quota === 'keys' ? METADATA_MAX_KEYS : METADATA_MAX_VALUE_BYTES,
            },
            hint: 'Delete entries, or let them expire, to make room.',
          },
        );
      case 'written':
        return c.json(toEntry(outcome.entry), outcome.created ? 201 : 200);
    }
  },
);

documentedItem(
  metadataV2App,
  createRoute({
    method: 'delete',
    path: ITEM_PATH,
    operationId: 'deleteMetadataEntry',
    tags,
    summary: 'Delete an entry',
    request: { params: keyParam },
    responses: {
      204: { description: 'Deleted' },
      ...errorResponses(401, 403, 404, 422, 503),
    },
  }),
  tokenGuard({ audience: 'app', scope: 'metadata.write' }),
  async (c) => {
    const outcome = await store.deleteEntry(c.var, app(c), key(c));
    if (outcome.kind === 'not_found') throw missing();
    return c.body(null, 204);
  },
);
