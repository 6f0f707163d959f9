/**
 * Who may call each documented operation, written once: a guard is the middleware that checks
 * the caller AND the security requirement /openapi.json shows for it, so the document cannot
 * drift from the code. `documented(...)` (src/http/openapi.ts) takes an operation's `security`
 * from the guard among its handlers.
 *
 * Schemes: `oauth2` (application access tokens, authorization code + PKCE), `personalKey`
 * (a personal API key as a bearer token), `session` (the first-party /login cookie), `adminAuth`
 * (ADMIN_TOKEN) and `clientBasic` (a confidential client's id and secret).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { UserPrincipal } from '../auth/principal';
import { type AccessRequirement, requireAccessToken } from '../auth/require-access-token';
import { requireScopes } from '../auth/api-key-request';
import { type KeyScope, SCOPES, SCOPE_DESCRIPTIONS } from '../auth/scopes';
import type { AppEnv } from '../env';

/** An OpenAPI security requirement list: any one entry satisfies it (OpenAPI 3.1 §4.8.30). */
export type Security = Array<Record<string, string[]>>;

export const ADMIN_SECURITY: Security = [{ adminAuth: [] }];
export const CLIENT_BASIC_SECURITY: Security = [{ clientBasic: [] }];
/** Public operations: an explicit empty list says "no credentials" to linters and generators. */
export const PUBLIC_SECURITY: Security = [];

const guardSecurity = new WeakMap<MiddlewareHandler<AppEnv>, Security>();

/** Marks `middleware` as the check whose requirement is `security`. */
export function describedGuard(
  middleware: MiddlewareHandler<AppEnv>,
  security: Security,
): MiddlewareHandler<AppEnv> {
  guardSecurity.set(middleware, security);
  return middleware;
}

/** The security of the first guard among `handlers`, if any. */
export function securityOfHandlers(handlers: MiddlewareHandler<AppEnv>[]): Security | undefined {
  for (const handler of handlers) {
    const security = guardSecurity.get(handler);
    if (security !== undefined) return security;
  }
  return undefined;
}

/** What requireAccessToken(requirement) lets through, as OpenAPI alternatives. */
export function tokenSecurity(requirement: AccessRequirement): Security {
  // OpenAPI 3.1 §4.8.30: for non-OAuth schemes the list names the roles needed; ours are the
  // scopes a personal key must carry.
  const scopes = requirement.scope === undefined ? [] : [requirement.scope];
  const app = { oauth2: scopes };
  const key = { personalKey: scopes };
  if (requirement.audience === 'app') return [app];
  if (requirement.audience === 'user') return [key];
  return [app, key];
}

/** requireAccessToken with its documented security. */
export function tokenGuard(requirement: AccessRequirement): MiddlewareHandler<AppEnv> {
  return describedGuard(requireAccessToken(requirement), tokenSecurity(requirement));
}

/**
 * For the user's own endpoints, mounted behind requireUser (a personal key or the session):
 * a personal key must also hold `scope`; the session holds every scope (spec §11).
 */
export function userScopeGuard(scope: KeyScope): MiddlewareHandler<AppEnv> {
  const middleware = createMiddleware<AppEnv>(async (c, next) => {
    requireScopes(c.var.principal as UserPrincipal, [scope]);
    await next();
  });
  return describedGuard(middleware, [{ personalKey: [scope] }, { session: [] }]);
}

/** The security schemes every requirement above names. */
export function registerSecuritySchemes(app: OpenAPIHono<AppEnv>): void {
  const registry = app.openAPIRegistry;
  registry.registerComponent('securitySchemes', 'oauth2', {
    type: 'oauth2',
    description:
      'Application access tokens (RFC 9068 JWTs), from the authorization code flow with PKCE ' +
      '(RFC 7636, S256 only). Confidential clients authenticate at the token endpoint with ' +
      'HTTP Basic; refresh tokens rotate on every use.',
    flows: {
      authorizationCode: {
        authorizationUrl: '/oauth/authorize',
        tokenUrl: '/oauth/token',
        refreshUrl: '/oauth/token',
        scopes: Object.fromEntries(SCOPES.map((scope) => [scope, SCOPE_DESCRIPTIONS[scope]])),
      },
    },
  });
  registry.registerComponent('securitySchemes', 'personalKey', {
    type: 'http',
    scheme: 'bearer',
    description:
      'A personal API key (Authorization: Bearer <key>) created in /settings or with ' +
      'POST /api/v1/profile/api-keys; it holds the scopes chosen at creation, `account` included.',
  });
  registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: '__Host-am_session',
    description:
      'The first-party session cookie set by /login (`am_session` on localhost). Unsafe ' +
      'methods must come from this origin (CSRF). A session holds every scope.',
  });
  registry.registerComponent('securitySchemes', 'adminAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'The ADMIN_TOKEN secret',
  });
  registry.registerComponent('securitySchemes', 'clientBasic', {
    type: 'http',
    scheme: 'basic',
    description:
      "client_secret_basic (RFC 6749 §2.3.1): a confidential application's client_id and secret",
  });
}
