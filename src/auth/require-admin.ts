/** Admin API authentication: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. */
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { timingSafeEqualStrings } from '../ids';
import { bearerToken } from './require-access-token';

/** Shorter admin tokens are refused outright, so a weak secret cannot be configured. */
const ADMIN_TOKEN_MIN_LENGTH = 24;

export const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c.req.header('Authorization'));
  if (token === undefined) {
    throw new ApiError('unauthorized', 'The admin API needs the admin bearer token.');
  }
  const expected = c.env.ADMIN_TOKEN ?? '';
  const valid =
    token !== null &&
    expected.length >= ADMIN_TOKEN_MIN_LENGTH &&
    (await timingSafeEqualStrings(token, expected));
  if (!valid) throw new ApiError('invalid_token', 'The admin token is not valid.');
  await next();
});
