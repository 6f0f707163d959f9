/**
 * The OpenAPI 3.1 document generated from the route schemas, and /docs: Swagger UI served from
 * this origin alone (spec §15). Its script and stylesheet are Workers static assets under
 * /docs/vendor/ (copied from the pinned swagger-ui-dist by scripts/lib/docs-assets.mjs) and
 * /docs/init.js; the page has no inline script, so its CSP allows scripts from 'self' only.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env';
import { DOCS_CSP } from '../http/content-security-policy';
import { documentOAuthEndpoints } from '../http/openapi-oauth';

const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>API reference · appmeta</title>
<link rel="stylesheet" href="/docs/vendor/swagger-ui.css">
</head>
<body>
<noscript>The interactive reference needs JavaScript; the document itself is at <a href="/openapi.json">/openapi.json</a>.</noscript>
<p>TypeScript? <a href="/docs/client/">The @appmeta/client reference</a> (OAuth, entities, app metadata, webhooks).</p>
<div id="reference"></div>
<script src="/docs/vendor/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

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
  documentOAuthEndpoints(app);
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
  app.get('/docs', (c) =>
    c.html(DOCS_HTML, 200, {
      'Content-Security-Policy': DOCS_CSP,
      'Cache-Control': 'no-cache',
      'Referrer-Policy': 'same-origin',
    }),
  );
}
