/**
 * Bearer-token middleware (RFC 6750). Verifies the JWT and sets `principal`; whether its grant
 * or key is still active is checked by storage in the same round trip as the data. Options
 * decide who may call: app tokens only (metadata endpoints), users only, or either; and the
 * scope required. app_token_required is decided before scopes (spec §11). Then the token's
 * rate limit is spent (spec §15, src/http/rate-limit.ts).
 */
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { limitToken } from '../http/rate-limit';
import { logEvent } from '../log';
import { type KeySet, loadKeySet, verifyAccessToken } from './tokens';
import type { Scope } from './scopes';

export interface AccessRequirement {
  scope?: Scope;
  /** `app`: tokens with `aud` only; `user`: personal keys only; `any`: both. */
  audience: 'app' | 'user' | 'any';
}

/** RFC 6750 §2.1: the scheme is case-insensitive; one space, then the b64token. */
export function bearerToken(header: string | undefined): string | null | undefined {
  if (header === undefined) return undefined;
  const match = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  return match?.[1] ?? null;
}

export function keySet(env: AppEnv['Bindings']): Promise<KeySet> {
  return loadKeySet(env.SIGNING_KEYS);
}

export function requireAccessToken(requirement: AccessRequirement) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const token = bearerToken(c.req.header('Authorization'));
    if (token === undefined) {
      throw new ApiError('unauthorized', 'This endpoint needs a bearer token.', {
        hint: 'Send Authorization: Bearer <access token>.',
      });
    }
    if (token === null || token.length > 8192) {
      throw new ApiError('invalid_token', 'The access token is malformed.');
    }
    // c.get, not c.var: Hono's c.var copies every variable into a new object on each access.
    const keys = await keySet(c.env);
    const result = await verifyAccessToken(keys, token, c.get('issuer'), c.get('now'));
    if (!result.ok) {
      logEvent('warn', 'token_rejected', { requestId: c.get('requestId'), reason: result.reason });
      throw new ApiError('invalid_token', 'The access token is invalid or expired.');
    }
    const principal = result.principal;
    if (requirement.audience === 'app' && principal.kind !== 'app') {
      throw new ApiError('app_token_required', 'This endpoint needs an application access token.', {
        hint: 'Personal API keys cannot read or write application metadata.',
      });
    }
    if (requirement.audience === 'user' && principal.kind === 'app') {
      throw new ApiError('app_token_not_allowed', 'Applications cannot use this endpoint.', {
        hint: 'Use a personal API key or the signed-in session.',
      });
    }
    if (requirement.scope && !principal.scopes.has(requirement.scope)) {
      throw new ApiError(
        'insufficient_scope',
        `This request needs the ${requirement.scope} scope.`,
        {
          scope: requirement.scope,
        },
      );
    }
    // spec §15: counted once the token is known good and allowed here, before any D1 work.
    await limitToken(c, principal);
    c.set('principal', principal);
    await next();
  });
}
