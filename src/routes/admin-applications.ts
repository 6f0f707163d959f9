/**
 * /api/v1/admin/applications: provisioning and running OAuth client applications (spec §7,
 * §15), behind ADMIN_TOKEN. The client secret is returned once and stored as its SHA-256 hash.
 * Changing, rotating and purging: admin-application-lifecycle.ts.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { ADMIN_BODY_MAX_BYTES } from '../config';
import type { AppEnv } from '../env';
import { readJsonBody } from '../http/json-request';
import { documented, errorResponses, jsonContent as json } from '../http/openapi';
import { ADMIN_SECURITY as adminSecurity } from '../http/openapi-security';
import { createApplication } from '../services/applications';
import { listApplications } from '../storage/applications';
import { validate } from '../validate';
import {
  ApplicationInputSchema,
  ApplicationListItemSchema,
  ApplicationSchema,
  applicationJson,
  applicationListJson,
} from './admin-application-schemas';
import { registerLifecycleRoutes } from './admin-application-lifecycle';

export const adminApplicationsApp = new OpenAPIHono<AppEnv>();

documented(
  adminApplicationsApp,
  createRoute({
    method: 'post',
    path: '/api/v1/admin/applications',
    operationId: 'createApplication',
    tags: ['admin'],
    security: adminSecurity,
    summary: 'Provision an application (OAuth client)',
    request: { body: { required: true, ...json(ApplicationInputSchema) } },
    responses: {
      201: {
        description: 'The application; client_secret only for confidential ones',
        ...json(ApplicationSchema),
      },
      ...errorResponses(400, 401, 413, 415),
    },
  }),
  async (c) => {
    const { value } = await readJsonBody(c, { maxBytes: ADMIN_BODY_MAX_BYTES, maxDepth: 4 });
    const input = validate(ApplicationInputSchema, value);
    const { app, secret } = await createApplication(c.var, {
      name: input.name,
      redirectUris: input.redirect_uris,
      confidential: input.confidential,
      scopes: input.scopes,
      rateLimitTier: input.rate_limit_tier ?? 'standard',
    });
    const { client_id, ...rest } = applicationJson(app);
    const body =
      secret === null ? { client_id, ...rest } : { client_id, client_secret: secret, ...rest };
    return c.json(body, 201, { 'Cache-Control': 'no-store' });
  },
);

documented(
  adminApplicationsApp,
  createRoute({
    method: 'get',
    path: '/api/v1/admin/applications',
    operationId: 'listApplications',
    tags: ['admin'],
    security: adminSecurity,
    summary: 'List applications',
    responses: {
      200: { description: 'All applications', ...json(z.array(ApplicationListItemSchema)) },
      ...errorResponses(401),
    },
  }),
  async (c) => c.json((await listApplications(c.var.db)).map(applicationListJson)),
);

registerLifecycleRoutes(adminApplicationsApp);
