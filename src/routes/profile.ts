/** GET /api/v1/profile: the user, with the calling application's `app_metadata` merged. */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { requireAccessToken } from '../auth/require-access-token';
import { ProfileSchema } from '../entities/schemas';
import type { AppEnv } from '../env';
import { bearerSecurity, documented, errorResponses } from '../http/openapi';
import { readEntityView } from '../storage/cached-reads';
import { getProfileWithDocument, toProfile, type UserRow } from '../storage/profiles';
import { inactive, notFound } from './entity-responses';

export const profileApp = new OpenAPIHono<AppEnv>();

documented(
  profileApp,
  createRoute({
    method: 'get',
    path: '/api/v1/profile',
    tags: ['profile'],
    security: bearerSecurity,
    summary: "The user's profile (with the calling app's app_metadata)",
    responses: {
      200: {
        description: 'The profile',
        content: { 'application/json': { schema: ProfileSchema } },
      },
      ...errorResponses(401, 403, 503),
    },
  }),
  requireAccessToken({ audience: 'any', scope: 'profile' }),
  async (c) => {
    const { db, cache, principal, now } = c.var;
    const outcome = await readEntityView(
      cache,
      principal,
      'profile',
      principal.userId,
      async () => {
        const result = await getProfileWithDocument(db, principal, now);
        if (!result.active || result.value === null)
          return result as typeof result & { value: null };
        const { row, document, version } = result.value;
        return {
          ...result,
          value: { entity: toProfile(row as unknown as UserRow), document, version },
        };
      },
    );
    if (outcome.kind === 'inactive') throw inactive();
    if (outcome.kind === 'not_found') throw notFound('profile');
    return c.body(outcome.view.body, 200, { 'Content-Type': 'application/json' });
  },
);
