/**
 * /api/v1/admin/applications: provisioning and running OAuth client applications (spec §7,
 * §15), behind ADMIN_TOKEN. The client secret is returned once and stored as its SHA-256 hash.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { requireAdmin } from '../auth/require-admin';
import { RATE_LIMIT_TIERS, publishApplicationTier } from '../auth/rate-limit-tier';
import { SCOPES } from '../auth/scopes';
import { ADMIN_BODY_MAX_BYTES } from '../config';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { readJsonBody } from '../http/json-request';
import { documented, errorResponses } from '../http/openapi';
import { isId, newId, randomToken, sha256 } from '../ids';
import { formatTimestamp } from '../entities/time';
import { disableApplication } from '../services/revocations';
import { type Application, insertApplication, listApplications } from '../storage/applications';
import { validate } from '../validate';
import { isAcceptableRedirectUri } from '../oauth/redirect-uris';

const adminSecurity = [{ adminAuth: [] }];

const ApplicationInputSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    redirect_uris: z
      .array(
        z.string().max(2000).refine(isAcceptableRedirectUri, {
          message: 'must be an absolute https URL (or http on a loopback host) without a fragment',
        }),
      )
      .min(1)
      .max(20),
    confidential: z.boolean(),
    scopes: z.array(z.enum(SCOPES)).min(1),
    rate_limit_tier: z
      .enum(RATE_LIMIT_TIERS)
      .optional()
      .openapi({ description: 'Requests per 60 s per user (spec §15); standard when absent' }),
  })
  .openapi('ApplicationInput');

const ApplicationSchema = z
  .object({
    client_id: z.string(),
    client_secret: z.string().optional().openapi({ description: 'Shown once, on creation' }),
    name: z.string(),
    redirect_uris: z.array(z.string()),
    confidential: z.boolean(),
    scopes: z.array(z.enum(SCOPES)),
    rate_limit_tier: z.enum(RATE_LIMIT_TIERS),
    created_at: z.string(),
  })
  .openapi('Application');

const ApplicationListItemSchema = ApplicationSchema.omit({ client_secret: true })
  .extend({ disabled_at: z.string().nullable() })
  .openapi('ApplicationListItem');

/** The admin API's view of an application (spec §11 shape; never the secret hash). */
function applicationJson(app: Application) {
  return {
    client_id: app.clientId,
    name: app.name,
    redirect_uris: app.redirectUris,
    confidential: app.confidential,
    scopes: app.scopes,
    rate_limit_tier: app.rateLimitTier,
    created_at: formatTimestamp(app.createdAt),
  };
}

/** The admin list adds whether and when the application was disabled. */
function applicationListJson(app: Application) {
  return {
    ...applicationJson(app),
    disabled_at: app.disabledAt === null ? null : formatTimestamp(app.disabledAt),
  };
}

export const adminApplicationsApp = new OpenAPIHono<AppEnv>();
adminApplicationsApp.use('/api/v1/admin/*', requireAdmin);
const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

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
    const secret = input.confidential ? randomToken(32) : null;
    const app = await insertApplication(c.var.db, {
      clientId: newId('app'),
      name: input.name,
      redirectUris: input.redirect_uris,
      confidential: input.confidential,
      scopes: [...new Set(input.scopes)],
      secretHash: secret === null ? null : await sha256(secret),
      createdAt: c.var.now,
      disabledAt: null,
      rateLimitTier: input.rate_limit_tier ?? 'standard',
    });
    if (app.rateLimitTier !== 'standard') {
      await publishApplicationTier(c.var.cache, app.clientId, app.rateLimitTier, c.var.now);
    }
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

documented(
  adminApplicationsApp,
  createRoute({
    method: 'delete',
    path: '/api/v1/admin/applications/{client_id}',
    operationId: 'deleteApplication',
    tags: ['admin'],
    security: adminSecurity,
    summary: 'Disable an application: its tokens stop working at once',
    request: { params: z.object({ client_id: z.string() }) },
    responses: { 204: { description: 'Disabled' }, ...errorResponses(401, 404) },
  }),
  async (c) => {
    const clientId = c.req.param('client_id') ?? '';
    if (!isId(clientId)) throw new ApiError('not_found', 'No such application.');
    if (!(await disableApplication(c.var, clientId))) {
      throw new ApiError('not_found', 'No such application.');
    }
    return c.body(null, 204);
  },
);
