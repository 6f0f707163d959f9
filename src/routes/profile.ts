/** GET /api/v1/profile: the user, with the calling application's `app_metadata` merged. */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { ProfileSchema } from '../entities/schemas';
import type { AppEnv } from '../env';
import { documented, errorResponses } from '../http/openapi';
import { tokenGuard } from '../http/openapi-security';
import { readView } from '../services/entity-views';
import { notFound } from './path-params';

export const profileApp = new OpenAPIHono<AppEnv>();

documented(
  profileApp,
  createRoute({
    method: 'get',
    path: '/api/v1/profile',
    operationId: 'getProfile',
    tags: ['profile'],
    summary: "The user's profile (with the calling app's app_metadata)",
    responses: {
      200: {
        description: 'The profile',
        content: { 'application/json': { schema: ProfileSchema } },
      },
      ...errorResponses(401, 403, 503),
    },
  }),
  tokenGuard({ audience: 'any', scope: 'profile' }),
  async (c) => {
    const principal = c.get('principal');
    const view = await readView(c.get('services'), principal, 'profile', principal.userId);
    if (view === null) throw notFound('profile');
    return c.body(view.body, 200, { 'Content-Type': 'application/json' });
  },
);
