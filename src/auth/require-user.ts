/**
 * Authentication for endpoints that belong to the user alone (authorizations, API keys,
 * export; spec §3, §11): a personal API key (bearer) or the first-party session cookie. App
 * tokens are answered 403 app_token_not_allowed. With the session, unsafe methods must carry
 * our own Origin (CSRF): browsers always send it on cross-origin and same-origin fetches
 * with those methods.
 */
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { requireAccessToken } from './require-access-token';
import { KEY_SCOPES } from './scopes';
import { currentSession, originAllowed } from './session';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const personalKeyOnly = requireAccessToken({ audience: 'user' });

export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.header('Authorization') !== undefined) return personalKeyOnly(c, next);
  const session = await currentSession(c);
  if (session === null) {
    throw new ApiError('unauthorized', 'This endpoint needs a personal API key or a session.', {
      hint: 'Send Authorization: Bearer <personal API key>, or sign in at /login.',
    });
  }
  const unsafe = !SAFE_METHODS.has(c.req.method);
  if (unsafe && (!originAllowed(c, true) || c.req.header('Sec-Fetch-Site') === 'cross-site')) {
    throw new ApiError('csrf_failed', 'Cross-site request refused.', {
      hint: 'Session-authenticated requests must come from this site (Origin header).',
    });
  }
  c.set('principal', {
    kind: 'session',
    userId: session.userId,
    sessionHash: session.sessionHash,
    scopes: new Set(KEY_SCOPES),
  });
  await next();
});
