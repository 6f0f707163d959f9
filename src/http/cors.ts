/**
 * CORS for browser apps (spec §15, Fetch standard §3.2) on /oauth/token, /oauth/revoke and
 * /api/* (admin excluded): an `Origin` is allowed when it is the origin of a redirect URI of an
 * enabled application. Credentials are never allowed (bearer tokens only, no cookies), and
 * preflights are cached by the browser for Access-Control-Max-Age.
 *
 * The decision never costs the hot path a D1 round trip: requests without an Origin are not
 * looked at, and the allowed set is kept per isolate. A known origin is answered from memory for
 * up to ORIGINS_MAX_AGE_MS; an unknown one re-reads D1 at most once per ORIGINS_MISS_REFRESH_MS
 * per isolate, so a newly registered app works within seconds and a flood of invented origins
 * costs at most one small query per interval. A disabled app's origin may stay allowed for up
 * to ORIGINS_MAX_AGE_MS; that grants nothing, since its tokens are refused anyway.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from '../env';
import { listEnabledRedirectUris } from '../storage/cors-origins';

const ORIGINS_MAX_AGE_MS = 60_000;
const ORIGINS_MISS_REFRESH_MS = 5_000;
/** Chromium caps Access-Control-Max-Age at two hours. */
const PREFLIGHT_MAX_AGE_SECONDS = 7200;

interface OriginSet {
  origins: ReadonlySet<string>;
  loadedAtMs: number;
}

let cached: OriginSet | null = null;
let loading: Promise<OriginSet> | null = null;

/** Forgets the isolate's allowed origins (tests register apps between requests). */
export function resetCorsOrigins(): void {
  cached = null;
  loading = null;
}

function originOf(uri: string): string | null {
  try {
    const origin = new URL(uri).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

async function load(c: Context<AppEnv>): Promise<OriginSet> {
  const uris = await listEnabledRedirectUris(c.var.db);
  const origins = new Set<string>();
  for (const uri of uris) {
    const origin = originOf(uri);
    if (origin !== null) origins.add(origin);
  }
  return { origins, loadedAtMs: Date.now() };
}

/** The current set, refreshed when stale (or, for an unknown origin, when older than a miss allows). */
async function allowedOrigins(c: Context<AppEnv>, origin: string): Promise<ReadonlySet<string>> {
  const age = cached === null ? Infinity : Date.now() - cached.loadedAtMs;
  const known = cached?.origins.has(origin) ?? false;
  if (cached !== null && age < (known ? ORIGINS_MAX_AGE_MS : ORIGINS_MISS_REFRESH_MS)) {
    return cached.origins;
  }
  // One refresh at a time per isolate; concurrent requests share it.
  loading ??= load(c).finally(() => {
    loading = null;
  });
  try {
    cached = await loading;
  } catch {
    // D1 unavailable: answer from what we had (or nothing); the request itself goes on.
    console.warn(JSON.stringify({ requestId: c.var.requestId, event: 'cors_origins_unavailable' }));
  }
  return cached?.origins ?? new Set();
}

async function allowOrigin(origin: string, c: Context<AppEnv>): Promise<string | null> {
  if (c.req.path.startsWith('/api/v1/admin/')) return null;
  if (origin === new URL(c.var.issuer).origin) return null;
  return (await allowedOrigins(c, origin)).has(origin) ? origin : null;
}

const EXPOSED = [
  'ETag',
  'Location',
  'Retry-After',
  'RateLimit',
  'RateLimit-Policy',
  'Server-Timing',
  'WWW-Authenticate',
  'X-Request-Id',
];

/**
 * Runs Hono's middleware only for requests that carry an Origin: the others (servers, curl, the
 * hot path) are not touched at all, not even by the Vary header Hono appends after the handler.
 */
function whenOrigin(middleware: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> {
  return (c, next) => (c.req.header('Origin') === undefined ? next() : middleware(c, next));
}

/** /api/*: the JSON API. */
export const apiCors: MiddlewareHandler<AppEnv> = whenOrigin(
  cors({
    origin: allowOrigin,
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'Idempotency-Key'],
    exposeHeaders: EXPOSED,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    credentials: false,
  }),
);

/** /oauth/token and /oauth/revoke: form posts from public clients (RFC 6749 §2.1). */
export const oauthCors: MiddlewareHandler<AppEnv> = whenOrigin(
  cors({
    origin: allowOrigin,
    allowMethods: ['POST'],
    allowHeaders: ['Authorization', 'Content-Type'],
    // spec §15: a browser app must see its rate limit (draft-ietf-httpapi-ratelimit-headers).
    exposeHeaders: [
      'RateLimit',
      'RateLimit-Policy',
      'Retry-After',
      'WWW-Authenticate',
      'X-Request-Id',
    ],
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    credentials: false,
  }),
);

/** /.well-known/*: public documents any origin may read (RFC 8414, RFC 7517). */
export const publicCors: MiddlewareHandler<AppEnv> = whenOrigin(
  cors({ origin: '*', allowMethods: ['GET'], maxAge: PREFLIGHT_MAX_AGE_SECONDS }),
);
