/**
 * Documented routes: each route is described once with @hono/zod-openapi's createRoute (the
 * schemas the handler validates with) and registered in the OpenAPI 3.1 document, while the
 * handler itself reads bodies through the bounded strict reader rather than c.req.json().
 */
import { type OpenAPIHono, type RouteConfig, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';

/** `/api/v1/activities/{id}` → `/api/v1/activities/:id`. */
function honoPath(openApiPath: string): string {
  return openApiPath.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}

/** Registers `route` in the document and mounts the handlers on `path` (a Hono pattern). */
export function documentedAt(
  app: OpenAPIHono<AppEnv>,
  route: RouteConfig,
  path: string,
  ...handlers: MiddlewareHandler<AppEnv>[]
): void {
  app.openAPIRegistry.registerPath(route);
  app.on(route.method.toUpperCase(), path, ...(handlers as [MiddlewareHandler<AppEnv>]));
}

/** Registers `route` in the document and mounts the handlers on its own path. */
export function documented(
  app: OpenAPIHono<AppEnv>,
  route: RouteConfig,
  ...handlers: MiddlewareHandler<AppEnv>[]
): void {
  documentedAt(app, route, honoPath(route.path), ...handlers);
}

export const ErrorSchema = z
  .object({
    error: z.string().openapi({ example: 'The access token is invalid or expired.' }),
    errorCode: z.string().openapi({ example: 'invalid_token' }),
    hint: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
    requestId: z.string(),
  })
  .openapi('Error');

/** Standard error responses, by status, for route descriptions. */
export function errorResponses(...statuses: number[]) {
  const descriptions: Record<number, string> = {
    400: 'Invalid input (validation_error, invalid_json)',
    401: 'Missing or invalid token',
    403: 'insufficient_scope, app_token_required or app_token_not_allowed',
    404: 'Not found (also for another user’s entity)',
    412: 'precondition_failed',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
    422: 'validation_error, too_deep or quota_exceeded',
    503: 'Storage unavailable',
  };
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: descriptions[status] ?? 'Error',
        content: { 'application/json': { schema: ErrorSchema } },
      },
    ]),
  );
}

export const bearerSecurity = [{ bearerAuth: [] }];
