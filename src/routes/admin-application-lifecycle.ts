/**
 * The lifecycle of an application (spec §15, §17 "Lifecycle shapes"), behind ADMIN_TOKEN:
 * PATCH changes it (200, the application), POST …/secret rotates its secret (200, shown once),
 * DELETE disables it (204) or, with `?purge=true`, deletes it and everything it owns (204).
 * An unknown or malformed client_id is 404. docs/operations.md, "Application lifecycle".
 */
import { type OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ADMIN_BODY_MAX_BYTES } from '../config';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { mediaTypeOf, readJsonBody } from '../http/json-request';
import { documented, errorResponses, jsonContent as json } from '../http/openapi';
import { ADMIN_SECURITY as adminSecurity } from '../http/openapi-security';
import { isId } from '../ids';
import { purgeApplication, rotateClientSecret, updateApplication } from '../services/applications';
import { disableApplication } from '../services/revocations';
import { validate } from '../validate';
import {
  ApplicationListItemSchema,
  ApplicationPatchSchema,
  ClientIdParamSchema,
  ClientSecretSchema,
  applicationListJson,
} from './admin-application-schemas';

const noSuchApplication = () => new ApiError('not_found', 'No such application.');

/** The path's client id; a malformed one is answered like an unknown one, without a query. */
function clientIdParam(c: Context<AppEnv>): string {
  const clientId = c.req.param('client_id') ?? '';
  if (!isId(clientId)) throw noSuchApplication();
  return clientId;
}

/** `purge` is absent, or exactly one `true`; anything else is refused rather than guessed. */
function wantsPurge(c: Context<AppEnv>): boolean {
  const values = c.req.queries('purge');
  if (values === undefined) return false;
  if (values.length === 1 && values[0] === 'true') return true;
  throw new ApiError('validation_error', 'Some fields are invalid.', {
    details: { purge: 'must be true, or absent to disable' },
  });
}

/**
 * PATCH takes `application/json` (spec §11) and, since its members replace what they name,
 * also reads as an RFC 7396 merge patch: `application/merge-patch+json` is accepted too.
 */
function patchMediaType(header: string | undefined) {
  return mediaTypeOf(header) === 'application/merge-patch+json'
    ? 'application/merge-patch+json'
    : 'application/json';
}

/** Mounts PATCH, secret rotation and DELETE (disable or purge) on the admin application app. */
export function registerLifecycleRoutes(app: OpenAPIHono<AppEnv>): void {
  registerPatch(app);
  registerSecretRotation(app);
  registerDelete(app);
}

function registerPatch(app: OpenAPIHono<AppEnv>): void {
  documented(
    app,
    createRoute({
      method: 'patch',
      path: '/api/v1/admin/applications/{client_id}',
      operationId: 'patchApplication',
      tags: ['admin'],
      security: adminSecurity,
      summary: 'Change an application: name, redirect URIs, scopes, enabled, rate-limit tier',
      request: {
        params: ClientIdParamSchema,
        body: { required: true, ...json(ApplicationPatchSchema) },
      },
      responses: {
        200: { description: 'The application, without secret', ...json(ApplicationListItemSchema) },
        ...errorResponses(400, 401, 404, 413, 415),
      },
    }),
    async (c) => {
      const clientId = clientIdParam(c);
      const { value } = await readJsonBody(c, {
        maxBytes: ADMIN_BODY_MAX_BYTES,
        maxDepth: 3,
        mediaType: patchMediaType(c.req.header('Content-Type')),
      });
      const input = validate(ApplicationPatchSchema, value);
      const updated = await updateApplication({ ...c.var, nowMs: Date.now() }, clientId, {
        name: input.name,
        redirectUris: input.redirect_uris,
        scopes: input.scopes === undefined ? undefined : [...new Set(input.scopes)],
        enabled: input.enabled,
        rateLimitTier: input.rate_limit_tier,
      });
      if (updated === null) throw noSuchApplication();
      return c.json(applicationListJson(updated), 200);
    },
  );
}

function registerSecretRotation(app: OpenAPIHono<AppEnv>): void {
  documented(
    app,
    createRoute({
      method: 'post',
      path: '/api/v1/admin/applications/{client_id}/secret',
      operationId: 'rotateApplicationSecret',
      tags: ['admin'],
      security: adminSecurity,
      summary: 'Rotate a confidential client’s secret: shown once, the old one stops at once',
      request: { params: ClientIdParamSchema },
      responses: {
        200: { description: 'The new secret', ...json(ClientSecretSchema) },
        ...errorResponses(401, 404, 409),
      },
    }),
    async (c) => {
      const clientId = clientIdParam(c);
      const rotated = await rotateClientSecret(c.var, clientId);
      if (rotated === null) throw noSuchApplication();
      if (rotated === 'public') {
        throw new ApiError('conflict', 'A public client has no secret to rotate.', {
          hint: 'Public clients authenticate with PKCE alone (RFC 6749 §2.1).',
        });
      }
      const body = { client_id: clientId, client_secret: rotated.secret };
      return c.json(body, 200, { 'Cache-Control': 'no-store' });
    },
  );
}

function registerDelete(app: OpenAPIHono<AppEnv>): void {
  documented(
    app,
    createRoute({
      method: 'delete',
      path: '/api/v1/admin/applications/{client_id}',
      operationId: 'deleteApplication',
      tags: ['admin'],
      security: adminSecurity,
      summary:
        'Disable an application (its tokens stop at once), or purge it with everything it owns',
      request: {
        params: ClientIdParamSchema,
        query: z.object({
          purge: z.enum(['true']).optional().openapi({
            description:
              'true: delete the application and everything it owns (grants, tokens, metadata, webhooks, events); its users are not notified',
          }),
        }),
      },
      responses: {
        204: { description: 'Disabled, or purged' },
        ...errorResponses(400, 401, 404),
      },
    }),
    async (c) => {
      const clientId = clientIdParam(c);
      const done = wantsPurge(c)
        ? await purgeApplication(c.var, clientId)
        : await disableApplication(c.var, clientId);
      if (!done) throw noSuchApplication();
      return c.body(null, 204);
    },
  );
}
