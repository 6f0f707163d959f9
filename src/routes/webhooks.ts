/**
 * Webhook endpoint management (spec §13, §17), mounted twice with the same handlers:
 * `/api/v1/admin/applications/{client_id}/webhooks…` for the admin, and
 * `/api/v1/app/webhooks…` for a confidential application authenticating with HTTP Basic.
 */
import { OpenAPIHono, createRoute, type RouteConfig, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { ADMIN_BODY_MAX_BYTES } from '../config';
import type { AppEnv } from '../env';
import { ApiError, OAuthError } from '../errors';
import { isEventType } from '../events/feed';
import { isLoopbackIssuer, webhookUrlProblem } from '../events/webhook-url';
import { clientAddress } from '../http/client-address';
import { readJsonBody } from '../http/json-request';
import { documented, errorResponses } from '../http/openapi';
import { ADMIN_SECURITY } from '../http/openapi-security';
import { isId } from '../ids';
import { logEvent } from '../log';
import { authenticateClient } from '../oauth/client-auth';
import type { DeliveryMessage } from '../services/webhook-delivery';
import * as webhooks from '../services/webhooks';
import { validate } from '../validate';
import {
  DeliverySchema,
  EndpointInputSchema,
  EndpointSchema,
  EndpointStatusInputSchema,
  EndpointWithSecretSchema,
  RetryAcceptedSchema,
  eventParam,
  idParam,
  json,
} from './webhook-schemas';

const NO_STORE = { 'Cache-Control': 'no-store' };

function contextOf(c: Context<AppEnv>): webhooks.WebhookContext {
  return {
    db: c.var.db,
    now: c.var.now,
    secretsKey: c.env.WEBHOOK_SECRETS_KEY,
    queue: c.env.WEBHOOK_QUEUE as Queue<DeliveryMessage>,
  };
}

/** The admin mount: the admin token, and a client_id of our id shape (else 404). */
const adminClient = createMiddleware<AppEnv>(async (c, next) => {
  const clientId = c.req.param('client_id') ?? '';
  if (!isId(clientId)) throw new ApiError('not_found', 'No application has this client_id.');
  c.set('webhookClient', clientId);
  await next();
});

/** The self-service mount: a confidential client's HTTP Basic credentials (RFC 6749 §2.3.1). */
const basicClient = createMiddleware<AppEnv>(async (c, next) => {
  try {
    const app = await authenticateClient(
      {
        db: c.var.db,
        now: c.var.now,
        warn: (event, fields = {}) =>
          logEvent('warn', event, { requestId: c.var.requestId, ...fields }),
      } as Parameters<typeof authenticateClient>[0],
      {
        params: new Map(),
        authorization: c.req.header('Authorization'),
        address: clientAddress(c),
      },
    );
    if (!app.confidential) throw new OAuthError('invalid_client', 'Public clients cannot', 401);
    c.set('webhookClient', app.clientId);
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    if (error.status === 429) {
      throw new ApiError('rate_limited', error.description, { retryAfterSeconds: 60 });
    }
    throw new ApiError(
      'invalid_client',
      'Authenticate with the application’s client id and secret (HTTP Basic).',
    );
  }
  await next();
});

/** `url` and `events` checked by the rules of spec §13, §17: 422 naming the field. */
function endpointInput(c: Context<AppEnv>, value: unknown) {
  const input = validate(EndpointInputSchema, value, 422);
  const problem = webhookUrlProblem(input.url, isLoopbackIssuer(c.var.issuer));
  const unknown = (input.events ?? []).find((type) => !isEventType(type));
  const details: Record<string, string> = {};
  if (problem !== null) details.url = problem;
  if (unknown !== undefined) details.events = `${unknown.slice(0, 64)} is not an event type`;
  if (Object.keys(details).length > 0) {
    throw new ApiError('validation_error', 'Some fields are invalid.', { details, status: 422 });
  }
  return { url: input.url, events: input.events ? [...new Set(input.events)] : null };
}

export const webhooksApp = new OpenAPIHono<AppEnv>();

interface Mount {
  prefix: string;
  /** The resource in operationIds: `createWebhook`, `createApplicationWebhook`. */
  noun: string;
  tags: string[];
  security: RouteConfig['security'];
  params: z.ZodObject;
  auth: MiddlewareHandler<AppEnv>[];
}

const MOUNTS: Mount[] = [
  {
    prefix: '/api/v1/admin/applications/{client_id}/webhooks',
    noun: 'ApplicationWebhook',
    tags: ['admin'],
    security: ADMIN_SECURITY,
    params: z.object({ client_id: z.string() }),
    // ADMIN_TOKEN is checked for every /api/v1/admin route in src/app.ts.
    auth: [adminClient],
  },
  {
    prefix: '/api/v1/app/webhooks',
    noun: 'Webhook',
    tags: ['webhooks'],
    security: [{ clientBasic: [] }],
    params: z.object({}),
    auth: [basicClient],
  },
];

for (const mount of MOUNTS) mountWebhookRoutes(mount);

function mountWebhookRoutes(mount: Mount): void {
  mountCollection(mount);
  mountItem(mount);
  mountDeliveries(mount);
}

/** `operation` names the verb and what follows the resource: ['rotate', 'Secret']. */
function route(
  mount: Mount,
  operation: [string, string],
  config: Omit<RouteConfig, 'tags' | 'security'>,
): RouteConfig {
  const params = config.request?.params as z.ZodObject | undefined;
  return createRoute({
    ...config,
    operationId: `${operation[0]}${mount.noun}${operation[1]}`,
    path: mount.prefix + config.path,
    tags: mount.tags,
    security: mount.security,
    request: {
      ...config.request,
      params: params ? mount.params.extend(params.shape) : mount.params,
    },
  });
}

function mountCollection(mount: Mount): void {
  documented(
    webhooksApp,
    route(mount, ['create', ''], {
      method: 'post',
      path: '',
      summary: 'Register a webhook endpoint; its signing secret is shown once',
      request: { body: { required: true, ...json(EndpointInputSchema) } },
      responses: {
        201: { description: 'The endpoint with its secret', ...json(EndpointWithSecretSchema) },
        ...errorResponses(400, 401, 404, 413, 415, 422),
      },
    }),
    ...mount.auth,
    async (c) => {
      const { value } = await readJsonBody(c, { maxBytes: ADMIN_BODY_MAX_BYTES, maxDepth: 3 });
      const input = endpointInput(c, value);
      const body = await webhooks.createEndpoint(contextOf(c), c.var.webhookClient, input);
      return c.json(body, 201, NO_STORE);
    },
  );
  documented(
    webhooksApp,
    route(mount, ['list', 's'], {
      method: 'get',
      path: '',
      summary: "The application's webhook endpoints, without secrets",
      responses: {
        200: { description: 'The endpoints', ...json(z.object({ data: z.array(EndpointSchema) })) },
        ...errorResponses(401, 404),
      },
    }),
    ...mount.auth,
    async (c) =>
      c.json({ data: await webhooks.listEndpoints(contextOf(c), c.var.webhookClient) }, 200),
  );
}

function mountItem(mount: Mount): void {
  documented(
    webhooksApp,
    route(mount, ['delete', ''], {
      method: 'delete',
      path: '/{id}',
      summary: 'Delete an endpoint',
      request: { params: idParam },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 404) },
    }),
    ...mount.auth,
    async (c) => {
      await webhooks.deleteEndpoint(contextOf(c), c.var.webhookClient, c.req.param('id') ?? '');
      return c.body(null, 204);
    },
  );
  documented(
    webhooksApp,
    route(mount, ['patch', ''], {
      method: 'patch',
      path: '/{id}',
      summary: 'Enable (clearing its failure streak) or disable an endpoint',
      request: { params: idParam, body: { required: true, ...json(EndpointStatusInputSchema) } },
      responses: {
        200: { description: 'The endpoint', ...json(EndpointSchema) },
        ...errorResponses(400, 401, 404, 415, 422),
      },
    }),
    ...mount.auth,
    async (c) => {
      const { value } = await readJsonBody(c, { maxBytes: ADMIN_BODY_MAX_BYTES, maxDepth: 2 });
      const { status } = validate(EndpointStatusInputSchema, value, 422);
      const id = c.req.param('id') ?? '';
      return c.json(await webhooks.setStatus(contextOf(c), c.var.webhookClient, id, status), 200);
    },
  );
  documented(
    webhooksApp,
    route(mount, ['rotate', 'Secret'], {
      method: 'post',
      path: '/{id}/secret',
      summary: 'Rotate the signing secret; the old one keeps signing for 24 h',
      request: { params: idParam },
      responses: {
        200: { description: 'The endpoint with its new secret', ...json(EndpointWithSecretSchema) },
        ...errorResponses(401, 404),
      },
    }),
    ...mount.auth,
    async (c) => {
      const id = c.req.param('id') ?? '';
      const body = await webhooks.rotateSecret(contextOf(c), c.var.webhookClient, id);
      return c.json(body, 200, NO_STORE);
    },
  );
}

function mountDeliveries(mount: Mount): void {
  documented(
    webhooksApp,
    route(mount, ['list', 'Deliveries'], {
      method: 'get',
      path: '/{id}/deliveries',
      summary: 'Delivery attempts to this endpoint, newest first (at most 100)',
      request: { params: idParam },
      responses: {
        200: { description: 'The attempts', ...json(z.object({ data: z.array(DeliverySchema) })) },
        ...errorResponses(401, 404),
      },
    }),
    ...mount.auth,
    async (c) => {
      const id = c.req.param('id') ?? '';
      const data = await webhooks.listDeliveries(contextOf(c), c.var.webhookClient, id);
      return c.json({ data }, 200);
    },
  );
  documented(
    webhooksApp,
    route(mount, ['retry', 'Delivery'], {
      method: 'post',
      path: '/{id}/deliveries/{event_id}/retry',
      summary: 'Deliver one event to this endpoint again',
      request: { params: eventParam },
      responses: {
        202: { description: 'Queued', ...json(RetryAcceptedSchema) },
        ...errorResponses(401, 404),
      },
    }),
    ...mount.auth,
    async (c) => {
      const target = {
        clientId: c.var.webhookClient,
        id: c.req.param('id') ?? '',
        eventId: c.req.param('event_id') ?? '',
      };
      return c.json(await webhooks.retryDelivery(contextOf(c), target), 202);
    },
  );
}
