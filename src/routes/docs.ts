/** The OpenAPI 3.1 document generated from the route schemas, and a rendered reference. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import type { AppEnv } from '../env';

export function mountDocs(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An application access token (RFC 9068) or a personal API key',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'adminAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'The ADMIN_TOKEN secret',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'clientBasic', {
    type: 'http',
    scheme: 'basic',
    description: "A confidential application's client_id and client_secret (webhook self-service)",
  });
  app.doc31('/openapi.json', (c) => ({
    openapi: '3.1.0',
    info: {
      title: 'appmeta API',
      version: '1.0.0',
      description:
        'Sports-data platform API: activities, traces and tests, an OAuth2 authorization server, and private per-application metadata.',
    },
    servers: [{ url: c.var.issuer }],
  }));
  app.get('/docs', Scalar({ url: '/openapi.json', pageTitle: 'appmeta API reference' }));
}
