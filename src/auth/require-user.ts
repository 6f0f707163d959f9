/**
 * Authentication for endpoints that belong to the user alone (authorizations, API keys,
 * export; spec §3, §11): a personal API key (bearer) or the first-party session cookie. App
 * tokens are answered 403 app_token_not_allowed. With the session, unsafe methods must carry
 * our own Origin (CSRF): browsers always send it on cross-origin and same-origin fetches
 * with those methods.
 *
 * Account erasure (spec §15: "session + password") takes the session alone (`requireSession`):
 * no token of any kind may erase an account, not even a personal key with `account`, so a
 * leaked script key can never destroy everything.
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { readAsPrincipal } from '../storage/principal-status';
import type { SessionPrincipal, TokenPrincipal } from './principal';
import { requireAccessToken } from './require-access-token';
import { KEY_SCOPES } from './scopes';
import { currentSession, originAllowed } from './session';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const personalKeyOnly = requireAccessToken({ audience: 'user' });
const anyToken = requireAccessToken({ audience: 'any' });

/** The signed-in session as a principal; unsafe methods pass the Origin check (CSRF). */
async function sessionPrincipal(
  c: Context<AppEnv>,
  missing: { message: string; hint: string },
): Promise<SessionPrincipal> {
  const session = await currentSession(c);
  if (session === null) throw new ApiError('unauthorized', missing.message, { hint: missing.hint });
  const unsafe = !SAFE_METHODS.has(c.req.method);
  if (unsafe && (!originAllowed(c, true) || c.req.header('Sec-Fetch-Site') === 'cross-site')) {
    throw new ApiError('csrf_failed', 'Cross-site request refused.', {
      hint: 'Session-authenticated requests must come from this site (Origin header).',
    });
  }
  return {
    kind: 'session',
    userId: session.userId,
    sessionHash: session.sessionHash,
    scopes: new Set(KEY_SCOPES),
  };
}

export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.header('Authorization') !== undefined) return personalKeyOnly(c, next);
  const missing = {
    message: 'This endpoint needs a personal API key or a session.',
    hint: 'Send Authorization: Bearer <personal API key>, or sign in at /login.',
  };
  c.set('principal', await sessionPrincipal(c, missing));
  await next();
});

/**
 * A bearer token on a session-only endpoint: RFC 6750 §3.1, a malformed, expired or revoked
 * token is 401 invalid_token (so an erased user's tokens answer 401 here too); a live one is
 * still refused, 403.
 */
async function refuseToken(c: Context<AppEnv>): Promise<never> {
  await anyToken(c, async () => {
    const principal = c.get('principal') as TokenPrincipal;
    await readAsPrincipal(c.var.db, principal, c.var.now, c.var.db.prepare('SELECT 1'));
  });
  throw new ApiError('forbidden', 'Only the signed-in person can do this, not a token.', {
    hint: 'Sign in at /login and send the request with the session cookie, without a token.',
  });
}

export const requireSession = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.header('Authorization') !== undefined) await refuseToken(c);
  const missing = {
    message: 'This endpoint needs a signed-in session.',
    hint: 'Sign in at /login.',
  };
  c.set('principal', await sessionPrincipal(c, missing));
  await next();
});
