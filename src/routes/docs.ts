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
import { registerHeaderComponents } from '../http/openapi-headers';
import { registerSecuritySchemes } from '../http/openapi-security';

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

/** Top-level tags in the order a reader meets them, each described once. */
const TAGS = [
  { name: 'activities', description: 'Activities (spec §8)' },
  { name: 'traces', description: 'Traces: one measurement at a time (spec §8)' },
  { name: 'tests', description: 'Tests and their results (spec §8)' },
  { name: 'profile', description: 'The signed-in user (spec §8)' },
  {
    name: 'app metadata',
    description: "The calling application's document on an entity (§4, §14)",
  },
  { name: 'metadata v2', description: "The calling application's key/value store (spec §5)" },
  { name: 'changes', description: 'The change feed (spec §13)' },
  { name: 'webhooks', description: "A confidential application's own webhook endpoints (§13)" },
  { name: 'user', description: 'The user alone: authorizations, API keys, export (spec §11)' },
  { name: 'oauth', description: 'The OAuth 2.0 authorization server (spec §6)' },
  { name: 'admin', description: 'Operating the platform with ADMIN_TOKEN (spec §7, §15)' },
  { name: 'meta', description: 'Health and signing keys' },
];

type OpenApiDocument = ReturnType<OpenAPIHono<AppEnv>['getOpenAPI31Document']>;
let documentMemo: { issuer: string; body: string } | undefined;

/** The document for this origin: the OAuth flow's URLs are absolute, on the issuer. */
function openApiDocument(app: OpenAPIHono<AppEnv>, issuer: string): string {
  if (documentMemo?.issuer === issuer) return documentMemo.body;
  const document: OpenApiDocument = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'appmeta API',
      version: '1.0.0',
      description:
        'Sports-data platform API: activities, traces and tests, an OAuth2 authorization server, and private per-application metadata.',
    },
    servers: [{ url: issuer, description: 'This deployment (its OAuth issuer)' }],
    tags: TAGS,
  });
  const flow = (document.components?.securitySchemes?.oauth2 as OAuth2Scheme | undefined)?.flows
    ?.authorizationCode;
  if (flow !== undefined) {
    flow.authorizationUrl = `${issuer}${flow.authorizationUrl}`;
    flow.tokenUrl = `${issuer}${flow.tokenUrl}`;
    if (flow.refreshUrl !== undefined) flow.refreshUrl = `${issuer}${flow.refreshUrl}`;
  }
  documentMemo = { issuer, body: JSON.stringify(document) };
  return documentMemo.body;
}

interface OAuth2Scheme {
  flows?: {
    authorizationCode?: { authorizationUrl: string; tokenUrl: string; refreshUrl?: string };
  };
}

export function mountDocs(app: OpenAPIHono<AppEnv>): void {
  registerSecuritySchemes(app);
  registerHeaderComponents(app);
  documentOAuthEndpoints(app);
  app.get('/openapi.json', (c) =>
    c.body(openApiDocument(app, c.var.issuer), 200, { 'Content-Type': 'application/json' }),
  );
  app.get('/docs', (c) =>
    c.html(DOCS_HTML, 200, {
      'Content-Security-Policy': DOCS_CSP,
      'Cache-Control': 'no-cache',
      'Referrer-Policy': 'same-origin',
    }),
  );
}
