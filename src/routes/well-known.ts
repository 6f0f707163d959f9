/** Public, unauthenticated endpoints: health and the signing keys (RFC 7517 JWKS). */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { keySet } from '../auth/require-access-token';
import type { AppEnv } from '../env';
import { documented } from '../http/openapi';
import { PUBLIC_SECURITY } from '../http/openapi-security';

export const wellKnownApp = new OpenAPIHono<AppEnv>();

documented(
  wellKnownApp,
  createRoute({
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    tags: ['meta'],
    security: PUBLIC_SECURITY,
    summary: 'Liveness',
    responses: {
      200: {
        description: 'The Worker is up',
        content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } },
      },
    },
  }),
  async (c) => c.json({ status: 'ok' }),
);

documented(
  wellKnownApp,
  createRoute({
    method: 'get',
    path: '/.well-known/jwks.json',
    operationId: 'getJwks',
    tags: ['meta'],
    security: PUBLIC_SECURITY,
    summary: 'Public keys that verify access tokens (the active key first)',
    responses: {
      200: {
        description: 'A JWK Set of public ES256 keys',
        content: {
          'application/json': {
            schema: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }),
          },
        },
      },
    },
  }),
  async (c) => {
    const keys = await keySet(c.env);
    return c.json(keys.publicJwks, 200, { 'Cache-Control': 'public, max-age=300' });
  },
);
