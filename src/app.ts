/**
 * The root app: request id, per-request context (clock, issuer, counted D1, safe KV cache),
 * Server-Timing, secure headers, the sub-apps, and the one place errors become responses.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './env';
import { API_CACHE_CONTROL, SECURITY_HEADERS, requestIdFor } from './http/response-headers';
import { ApiError, InactivePrincipalError, OAuthError, StorageUnavailableError } from './errors';
import { describeError, logEvent } from './log';
import { adminApp } from './routes/admin';
import { appMetadataApp } from './routes/app-metadata';
import { changesApp } from './routes/changes';
import { mountDocs } from './routes/docs';
import { metadataV2App } from './routes/metadata-v2';
import { entityApps } from './routes/entities';
import { identityApp } from './routes/identity';
import { profileApp } from './routes/profile';
import { wellKnownApp } from './routes/well-known';
import { webhooksApp } from './routes/webhooks';
import { wakeDelivery } from './services/webhook-delivery';
import { Database } from './storage/db';
import { Cache, DEFAULT_KV_WRITE_TIMINGS, type KvWriteTimings } from './storage/kv-cache';

/** A log line tagged with the request id; never pass tokens, secrets or documents in `fields`. */
function log(
  c: Context<AppEnv>,
  level: 'warn' | 'error',
  event: string,
  fields: Record<string, unknown> = {},
) {
  logEvent(level, event, { requestId: c.var.requestId, ...fields });
}

/** `ISSUER` in production; in development `http://localhost:<port>` (spec §11). */
function issuerFor(c: Context<AppEnv>): string {
  if (c.env.ISSUER) return c.env.ISSUER.replace(/\/+$/, '');
  const url = new URL(c.req.url);
  return `http://localhost${url.port ? `:${url.port}` : ''}`;
}

/**
 * Sets a header on the finished response. Hono's c.header() would rebuild the Response to be
 * safe with immutable headers; ours are built here and mutable, so set in place and rebuild
 * only if the runtime refuses.
 */
function setFinalHeader(c: Context<AppEnv>, name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch {
    c.header(name, value);
  }
}

/** KV_WRITE_TIMINGS_MS, or the defaults when absent or malformed. */
function kvWriteTimings(value: string | undefined): KvWriteTimings {
  const parts = (value ?? '').split(',').map(Number);
  if (parts.length < 2 || !parts.every((part) => Number.isInteger(part) && part >= 0)) {
    return DEFAULT_KV_WRITE_TIMINGS;
  }
  return { redeleteDelayMs: parts[0] as number, retryDelaysMs: parts.slice(1) };
}

/**
 * Root middleware: the request id, the per-request context (clock, issuer, counted D1, safe KV
 * cache), the headers every response starts with, and Server-Timing once the handler is done.
 */
const requestContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  const id = requestIdFor(c.req.header('X-Request-Id'));
  c.set('requestId', id);
  c.header('X-Request-Id', id);
  for (const [name, value] of SECURITY_HEADERS) c.header(name, value);
  if (c.req.path.startsWith('/api/')) c.header('Cache-Control', API_CACHE_CONTROL);
  c.set('now', Math.floor(Date.now() / 1000));
  c.set('issuer', issuerFor(c));
  c.set('db', new Database(c.env.DB));
  c.set(
    'cache',
    new Cache(
      c.env.CACHE,
      (promise) => c.executionCtx.waitUntil(promise),
      (message) => log(c, 'warn', message),
      kvWriteTimings(c.env.KV_WRITE_TIMINGS_MS),
    ),
  );
  await next();
  // spec §13: committed change records wake the webhook outbox, off the response path.
  if (c.var.db.changesCommitted && c.env.WEBHOOK_QUEUE) {
    c.executionCtx.waitUntil(wakeDelivery(c.env.WEBHOOK_QUEUE));
  }
  // spec §10, §11: the cache outcome and the number of D1 round trips, observable from outside.
  setFinalHeader(
    c,
    'Server-Timing',
    `cache;desc="${c.var.cache.outcome}", d1;desc="${c.var.db.roundTrips}"`,
  );
};

export function buildApp(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.use(requestContext);

  app.route('/', wellKnownApp);
  app.route('/', adminApp);
  app.route('/', identityApp);
  app.route('/', profileApp);
  app.route('/', appMetadataApp);
  app.route('/', metadataV2App);
  app.route('/', changesApp);
  app.route('/', webhooksApp);
  for (const entityApp of entityApps) app.route('/', entityApp);
  mountDocs(app);

  app.notFound((c) => errorResponse(c, new ApiError('not_found', 'No such endpoint.')));
  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(c, error);
    if (error instanceof InactivePrincipalError) {
      return errorResponse(c, new ApiError('invalid_token', error.message));
    }
    if (error instanceof OAuthError) {
      return c.json(
        { error: error.code, error_description: error.description },
        error.status as 400,
        {
          'Cache-Control': 'no-store',
        },
      );
    }
    if (error instanceof StorageUnavailableError) {
      log(c, 'error', 'storage_unavailable', { cause: describeError(error.cause) });
      return errorResponse(
        c,
        new ApiError('service_unavailable', 'Storage is unavailable; try again shortly.', {
          retryAfterSeconds: 1,
        }),
      );
    }
    log(c, 'error', 'unhandled_error', { cause: describeError(error) });
    return errorResponse(c, new ApiError('internal_error', 'Something went wrong on our side.'));
  });
  return app;
}

/** spec §9: `{error, errorCode, hint?, details?, requestId}` and RFC 6750 challenges. */
export function errorResponse(c: Context<AppEnv>, error: ApiError): Response {
  const body: Record<string, unknown> = {
    error: error.message,
    errorCode: error.code,
    ...(error.options.hint ? { hint: error.options.hint } : {}),
    ...(error.options.details && Object.keys(error.options.details).length > 0
      ? { details: error.options.details }
      : {}),
    requestId: c.var.requestId ?? '',
  };
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  const challenge = bearerChallenge(error);
  if (challenge) headers['WWW-Authenticate'] = challenge;
  if (error.options.retryAfterSeconds)
    headers['Retry-After'] = String(error.options.retryAfterSeconds);
  return c.json(body, error.status as 400, headers);
}

/** RFC 6750 §3: no error code when no credentials were sent; the scope on insufficient_scope. */
function bearerChallenge(error: ApiError): string | null {
  const realm = 'realm="appmeta"';
  switch (error.code) {
    case 'unauthorized':
      return `Bearer ${realm}`;
    case 'invalid_client':
      // RFC 6749 §5.2: a failed HTTP Basic client authentication carries a Basic challenge.
      return `Basic ${realm}`;
    case 'invalid_token':
      return `Bearer ${realm}, error="invalid_token", error_description="${error.message}"`;
    case 'insufficient_scope':
      return `Bearer ${realm}, error="insufficient_scope", scope="${error.options.scope ?? ''}"`;
    default:
      return null;
  }
}
