/**
 * GET /api/v1/changes (spec §13, §17): the pull feed of the token's user's events for its
 * application. Needs an app token with `data:read` or `metadata.read`; each scope lets through
 * its own events.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppPrincipal } from '../auth/principal';
import { requireAccessToken } from '../auth/require-access-token';
import { LIST_DEFAULT_LIMIT } from '../config';
import { wholeNumber } from '../entities/list-query';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { EVENT_TYPES, decodeCursor } from '../events/feed';
import { documented, errorResponses } from '../http/openapi';
import { describedGuard } from '../http/openapi-security';
import { readFeed } from '../services/changes';
import { validate } from '../validate';

const FEED_MAX_LIMIT = 500;

export const EventSchema = z
  .object({
    id: z.string().openapi({ example: 'evt_3f2a…' }),
    type: z.enum(EVENT_TYPES),
    timestamp: z.string().openapi({ example: '2026-05-01T10:00:00Z' }),
    data: z.object({
      user_id: z.string(),
      entity_type: z.enum(['activities', 'traces', 'tests', 'profile']).optional(),
      entity_id: z.string().optional(),
      etag: z.string().optional().openapi({ description: 'app_metadata.updated: the new ETag' }),
      key: z.string().optional().openapi({ description: 'metadata.*: the v2 key' }),
    }),
  })
  .openapi('Event', { description: 'A change event: the feed item and the webhook body' });

const FeedQuerySchema = z.object({
  after: z
    .string()
    .refine((value) => decodeCursor(value) !== null, { message: 'is not a cursor of this feed' })
    .optional()
    .openapi({ description: 'The next_cursor of an earlier page; absent: the oldest event' }),
  limit: wholeNumber(1, FEED_MAX_LIMIT, `page size, default ${LIST_DEFAULT_LIMIT}`),
});

const FeedSchema = z
  .object({
    data: z.array(EventSchema),
    next_cursor: z.string().nullable(),
    has_more: z.boolean(),
  })
  .openapi('ChangeFeed');

/** An app token; the handler lets each of the two scopes through to its own events. */
const feedGuard = describedGuard(requireAccessToken({ audience: 'app' }), [
  { oauth2: ['data:read'] },
  { oauth2: ['metadata.read'] },
]);

export const changesApp = new OpenAPIHono<AppEnv>();

documented(
  changesApp,
  createRoute({
    method: 'get',
    path: '/api/v1/changes',
    operationId: 'listChanges',
    tags: ['changes'],
    summary: "The user's events for this application, oldest first",
    request: { query: FeedQuerySchema },
    responses: {
      200: {
        description: 'A page of events',
        content: { 'application/json': { schema: FeedSchema } },
      },
      ...errorResponses(400, 401, 403, 410, 503),
    },
  }),
  feedGuard,
  async (c) => {
    const principal = c.var.principal as AppPrincipal;
    if (!principal.scopes.has('data:read') && !principal.scopes.has('metadata.read')) {
      throw new ApiError('insufficient_scope', 'The feed needs data:read or metadata.read.', {
        scope: 'data:read metadata.read',
      });
    }
    const url = new URL(c.req.url);
    for (const name of ['after', 'limit']) {
      if (url.searchParams.getAll(name).length > 1) {
        throw new ApiError('validation_error', 'Some fields are invalid.', {
          details: { [name]: 'must be given at most once' },
        });
      }
    }
    const query = validate(FeedQuerySchema, c.req.query());
    const after = query.after ?? null;
    const page = await readFeed(c.var, principal, {
      after,
      afterSeq: after === null ? null : decodeCursor(after),
      limit: query.limit === undefined ? LIST_DEFAULT_LIMIT : Number(query.limit),
    });
    return c.json(page, 200);
  },
);
