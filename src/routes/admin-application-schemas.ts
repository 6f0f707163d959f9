/**
 * The admin API's shapes of an application (spec §7, §11, §17): what POST and PATCH accept,
 * and the JSON it answers with (never the secret hash). Shared by the admin application routes.
 */
import { z } from '@hono/zod-openapi';
import { RATE_LIMIT_TIERS } from '../auth/rate-limit-tier';
import { SCOPES } from '../auth/scopes';
import { formatTimestamp } from '../entities/time';
import { isAcceptableRedirectUri } from '../oauth/redirect-uris';
import type { Application } from '../storage/applications';

const NameSchema = z.string().trim().min(1).max(100);
const RedirectUrisSchema = z
  .array(
    z.string().max(2000).refine(isAcceptableRedirectUri, {
      message: 'must be an absolute https URL (or http on a loopback host) without a fragment',
    }),
  )
  .min(1)
  .max(20);
/** `account` is not among them: no application can ever hold it (spec §11). */
const ScopesSchema = z.array(z.enum(SCOPES)).min(1).max(16);
const TierSchema = z
  .enum(RATE_LIMIT_TIERS)
  .openapi({ description: 'Requests per 60 s per user (spec §15); standard when absent' });

export const ApplicationInputSchema = z
  .object({
    name: NameSchema,
    redirect_uris: RedirectUrisSchema,
    confidential: z.boolean(),
    scopes: ScopesSchema,
    rate_limit_tier: TierSchema.optional(),
  })
  .openapi('ApplicationInput');

/**
 * PATCH: any of these members, nothing else (an unknown member is refused, so a typo never
 * passes silently). An empty object changes nothing and answers the application.
 */
export const ApplicationPatchSchema = z
  .strictObject({
    name: NameSchema.optional(),
    redirect_uris: RedirectUrisSchema.optional(),
    scopes: ScopesSchema.optional().openapi({
      description:
        'The scopes users may grant. A removed scope is taken from every existing grant and its tokens stop working at once; an added one widens no grant.',
    }),
    enabled: z.boolean().optional().openapi({
      description:
        'false disables like DELETE; true re-enables, and nothing issued before the disable works again',
    }),
    rate_limit_tier: TierSchema.optional(),
  })
  .openapi('ApplicationPatch');

export const ApplicationSchema = z
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

export const ApplicationListItemSchema = ApplicationSchema.omit({ client_secret: true })
  .extend({ disabled_at: z.string().nullable() })
  .openapi('ApplicationListItem');

export const ClientSecretSchema = z
  .object({ client_id: z.string(), client_secret: z.string() })
  .openapi('ClientSecret');

export const ClientIdParamSchema = z.object({ client_id: z.string() });

/** The admin API's view of an application (spec §11 shape; never the secret hash). */
export function applicationJson(app: Application) {
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

/** The list, and PATCH, add whether and when the application was disabled. */
export function applicationListJson(app: Application) {
  return {
    ...applicationJson(app),
    disabled_at: app.disabledAt === null ? null : formatTimestamp(app.disabledAt),
  };
}
