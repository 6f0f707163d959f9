/**
 * The root app: request id, per-request context (clock, issuer, counted D1, safe KV cache),
 * Server-Timing, secure headers, the sub-apps, and the one place errors become responses.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './env';
import { PAGE_CSP, needsPageCsp } from './http/content-security-policy';
import { apiCors, oauthCors, publicCors } from './http/cors';
import { API_CACHE_CONTROL, SECURITY_HEADERS, clientRequestIdOf } from './http/response-headers';
import { ApiError, InactivePrincipalError, StorageUnavailableError } from './errors';
import { describeError, logEvent } from './log';
import { requireAdmin } from './auth/require-admin';
import { adminApplicationsApp } from './routes/admin-applications';
import { adminUsersApp } from './routes/admin-users';
import { appMetadataApp } from './routes/app-metadata';
import { appMetadataBatchApp } from './routes/app-metadata-batch';
import { changesApp } from './routes/changes';
import { mountDocs } from './routes/docs';
import { metadataV2App } from './routes/metadata-v2';
import { entityApps } from './routes/entities';
import { homeApp } from './routes/home';
import { identityApp } from './routes/identity';
import { profileApp } from './routes/profile';
import { wellKnownApp } from './routes/well-known';
import { webhooksApp } from './routes/webhooks';
import { wakeDelivery } from './services/webhook-delivery';
import { Database, parseBookmark } from './storage/db';
import { Cache, DEFAULT_KV_WRITE_TIMINGS, type KvWriteTimings } from './storage/kv-cache';

/** A log line tagged with the request id; never pass tokens, secrets or documents in `fields`. */
function log(
  c: Context<AppEnv>,
  level: 'warn' | 'error',
  event: string,
  fields: Record<string, unknown> = {},
) {
  logEvent(level, event, { requestId: c.get('requestId'), ...fields });
}

let issuerMemo: { source: string; issuer: string } | undefined;

/** `ISSUER` in production; in development `http://localhost:<port>` (spec §11). */
function issuerFor(c: Context<AppEnv>): string {
  const configured = c.env.ISSUER;
  if (configured) {
    // The binding is the same for every request of a deployment: normalise it once.
    if (issuerMemo?.source !== configured) {
      issuerMemo = { source: configured, issuer: configured.replace(/\/+$/, '') };
    }
    return issuerMemo.issuer;
  }
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

let timingsMemo: { source: string | undefined; timings: KvWriteTimings } | undefined;

/** KV_WRITE_TIMINGS_MS, or the defaults when absent or malformed; parsed once per value. */
function kvWriteTimings(value: string | undefined): KvWriteTimings {
  if (timingsMemo === undefined || timingsMemo.source !== value) {
    timingsMemo = { source: value, timings: parseKvWriteTimings(value) };
  }
  return timingsMemo.timings;
}

function parseKvWriteTimings(value: string | undefined): KvWriteTimings {
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
  // The request id is always ours; a caller's id is only echoed beside it.
  const id = crypto.randomUUID();
  c.set('requestId', id);
  c.header('X-Request-Id', id);
  const clientId = clientRequestIdOf(c.req.header('X-Request-Id'));
  if (clientId !== null) c.header('X-Client-Request-Id', clientId);
  for (const [name, value] of SECURITY_HEADERS) c.header(name, value);
  if (c.req.path.startsWith('/api/')) c.header('Cache-Control', API_CACHE_CONTROL);
  c.set('issuer', issuerFor(c));
  const now = Math.floor(Date.now() / 1000);
  const db = Database.forRequest(c.env.DB, parseBookmark(c.req.header('Appmeta-Bookmark')));
  const cache = new Cache(
    c.env.CACHE,
    (promise) => c.executionCtx.waitUntil(promise),
    (message) => log(c, 'warn', message),
    kvWriteTimings(c.env.KV_WRITE_TIMINGS_MS),
  );
  c.set('now', now);
  c.set('db', db);
  c.set('cache', cache);
  c.set('services', { db, cache, now });
  await next();
  // spec §13: committed change records wake the webhook outbox, off the response path.
  if (db.changesCommitted && c.env.WEBHOOK_QUEUE) {
    c.executionCtx.waitUntil(wakeDelivery(c.env.WEBHOOK_QUEUE));
  }
  // spec §10, §11: the cache outcome and the number of D1 round trips, observable from outside.
  // (Locals, not c.var: Hono's c.var copies every variable into a new object on each access.)
  setFinalHeader(c, 'Server-Timing', `cache;desc="${cache.outcome}", d1;desc="${db.roundTrips}"`);
  // spec §17: every response to an authenticated request carries the session bookmark.
  const bookmark = c.get('principal') === undefined ? null : db.responseBookmark();
  if (bookmark !== null) setFinalHeader(c, 'Appmeta-Bookmark', bookmark);
  // Finding 4 of the security review: every HTML document carries a CSP, whichever code made it.
  if (needsPageCsp(c.res.headers)) setFinalHeader(c, 'Content-Security-Policy', PAGE_CSP);
};

export function buildApp(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.use(requestContext);

  // spec §15: browser apps may call the token endpoints and the API (src/http/cors.ts).
  app.use('/api/*', apiCors);
  app.use('/oauth/token', oauthCors);
  app.use('/oauth/revoke', oauthCors);
  app.use('/.well-known/*', publicCors);

  // spec §7: every /api/v1/admin route needs ADMIN_TOKEN; checked once here for all of them.
  app.use('/api/v1/admin/*', requireAdmin);

  app.route('/', homeApp);

  app.route('/', wellKnownApp);
  app.route('/', adminApplicationsApp);
  app.route('/', adminUsersApp);
  app.route('/', identityApp);
  app.route('/', profileApp);
  app.route('/', appMetadataApp);
  app.route('/', appMetadataBatchApp);
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
    requestId: c.get('requestId') ?? '',
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
