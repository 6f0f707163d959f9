/**
 * Documented routes: each route is described once with @hono/zod-openapi's createRoute (the
 * schemas the handler validates with) and registered in the OpenAPI 3.1 document, while the
 * handler itself reads bodies through the bounded strict reader rather than c.req.json().
 *
 * Every operation states who may call it: `security` comes from the guard among the handlers
 * (src/http/openapi-security.ts), or is given on the route (the admin and Basic mounts, whose
 * check is mounted for the whole prefix; public routes give PUBLIC_SECURITY). Operations a rate
 * limit can refuse get their 429, and token-authenticated ones the Appmeta-Bookmark headers.
 */
import { type OpenAPIHono, type RouteConfig, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { type HeaderName, headerRefs } from './openapi-headers';
import { type Security, securityOfHandlers } from './openapi-security';

/** `/api/v1/activities/{id}` → `/api/v1/activities/:id`. */
function honoPath(openApiPath: string): string {
  return openApiPath.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}

/** Schemes whose callers spend a rate limit (spec §15): application tokens and personal keys. */
const LIMITED_SCHEMES = new Set(['oauth2', 'personalKey']);

function isLimited(security: Security): boolean {
  return security.some((entry) => Object.keys(entry).some((name) => LIMITED_SCHEMES.has(name)));
}

function securityOf(route: RouteConfig, handlers: MiddlewareHandler<AppEnv>[]): Security {
  const guarded = securityOfHandlers(handlers);
  const security = guarded ?? route.security;
  if (security === undefined) {
    throw new Error(`${route.method.toUpperCase()} ${route.path} documents no security`);
  }
  if (guarded !== undefined && route.security !== undefined) {
    throw new Error(`${route.method.toUpperCase()} ${route.path}: security comes from its guard`);
  }
  return security;
}

/** Adds the bookmark to every 2xx response and the request header of §17. */
function withBookmark(route: RouteConfig): RouteConfig {
  const responses = Object.fromEntries(
    Object.entries(route.responses).map(([status, response]) => {
      if (!status.startsWith('2') || '$ref' in response) return [status, response];
      return [
        status,
        { ...response, headers: { ...headerRefs('AppmetaBookmark'), ...response.headers } },
      ];
    }),
  );
  const bookmark = z.string().optional().openapi({
    description: 'spec §17: a bookmark from an earlier response; reads are at least that new',
  });
  const headers = route.request?.headers;
  const requestHeaders =
    headers instanceof z.ZodObject
      ? headers.extend({ 'appmeta-bookmark': bookmark })
      : z.object({ 'appmeta-bookmark': bookmark });
  return { ...route, responses, request: { ...route.request, headers: requestHeaders } };
}

/** The complete route as the document shows it. */
function described(route: RouteConfig, security: Security): RouteConfig {
  if (!isLimited(security)) return { ...route, security };
  const limited = { ...route, security, responses: { ...route.responses, ...rateLimited() } };
  return withBookmark(limited);
}

/** Registers `route` in the document and mounts the handlers on `path` (a Hono pattern). */
export function documentedAt(
  app: OpenAPIHono<AppEnv>,
  route: RouteConfig,
  path: string,
  ...handlers: MiddlewareHandler<AppEnv>[]
): void {
  app.openAPIRegistry.registerPath(described(route, securityOf(route, handlers)));
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

/** A JSON request or response body of `schema`, as createRoute describes one. */
export function jsonContent(schema: z.ZodType) {
  return { content: { 'application/json': { schema } } };
}

export const ErrorSchema = z
  .object({
    error: z.string().openapi({ example: 'The access token is invalid or expired.' }),
    errorCode: z.string().openapi({ example: 'invalid_token' }),
    hint: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
    requestId: z.string(),
  })
  .openapi('Error', { description: 'spec §9: every JSON API error' });

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (validation_error, invalid_json)',
  401: 'Missing or invalid credentials (WWW-Authenticate: Bearer …)',
  403: 'insufficient_scope, app_token_required, app_token_not_allowed or csrf_failed',
  404: 'Not found (also for another user’s entity)',
  409: 'conflict',
  410: 'cursor_expired: older than the retention',
  412: 'precondition_failed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_error, too_deep or quota_exceeded',
  429: 'rate_limited',
  503: 'Storage unavailable (Retry-After)',
};

/** Headers an error status carries (spec §9; RFC 6750 §3; RFC 9110 §10.2.3). */
const ERROR_HEADERS: Record<number, HeaderName[]> = {
  401: ['WwwAuthenticate'],
  403: ['WwwAuthenticate'],
  503: ['RetryAfter'],
};

/** Standard error responses, by status, for route descriptions. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: ERROR_DESCRIPTIONS[status] ?? 'Error',
        ...(ERROR_HEADERS[status] ? { headers: headerRefs(...ERROR_HEADERS[status]) } : {}),
        content: { 'application/json': { schema: ErrorSchema } },
      },
    ]),
  );
}

/** The headers of a 429 (spec §15, §17; draft-ietf-httpapi-ratelimit-headers). */
export const RATE_LIMIT_HEADERS = headerRefs('RetryAfter', 'RateLimitPolicy', 'RateLimit');

/** 429 rate_limited with its headers, in the JSON API's error shape. */
export function rateLimited() {
  return {
    429: {
      description: 'rate_limited: over the caller’s limit (spec §15)',
      headers: RATE_LIMIT_HEADERS,
      content: { 'application/json': { schema: ErrorSchema } },
    },
  };
}
