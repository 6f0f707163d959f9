/**
 * The admin lifecycle of an application (spec §7, §15): provisioning, changing, rotating its
 * secret and purging it, each with what it makes stale: cached views (KV), the rate-limit tier
 * (KV and this isolate's memo) and the CORS origins this isolate allows. Disabling alone lives
 * in revocations.ts, with every other way access ends.
 */
import { type RateLimitTier, publishApplicationTier } from '../auth/rate-limit-tier';
import type { Scope } from '../auth/scopes';
import { PURGE_VIEW_DELETES_MAX, VIEW_CACHE_TTL_SECONDS } from '../config';
import { resetCorsOrigins } from '../http/cors';
import { newId, randomToken, sha256 } from '../ids';
import { purgeApplication as purgeInStorage } from '../storage/application-purge';
import {
  type Application,
  type ApplicationPatch,
  insertApplication,
  replaceClientSecret,
  updateApplication as updateInStorage,
} from '../storage/applications';
import { dropViews } from '../storage/cached-views';
import { tierKey, viewKey } from '../storage/kv-cache';
import type { ServiceContext } from './context';
import type { RevocationContext } from './revocations';

export interface NewApplication {
  name: string;
  redirectUris: string[];
  confidential: boolean;
  scopes: Scope[];
  rateLimitTier: RateLimitTier;
}

/** Provisions an application; its secret (confidential clients) is returned this once. */
export async function createApplication(
  ctx: ServiceContext,
  input: NewApplication,
): Promise<{ app: Application; secret: string | null }> {
  const secret = input.confidential ? randomToken(32) : null;
  const app = await insertApplication(ctx.db, {
    ...input,
    clientId: newId('app'),
    scopes: [...new Set(input.scopes)],
    secretHash: secret === null ? null : await sha256(secret),
    createdAt: ctx.now,
    disabledAt: null,
  });
  if (app.rateLimitTier !== 'standard') {
    await publishApplicationTier(ctx.cache, app.clientId, app.rateLimitTier, ctx.now);
  }
  // A new redirect origin is allowed at once here (elsewhere within seconds: src/http/cors.ts).
  resetCorsOrigins();
  return { app, secret };
}

/**
 * Applies an admin PATCH (storage/applications.ts updateApplication: one batch), then drops
 * what it made stale: the views of disabled or narrowed grants from KV (awaited, so their
 * tokens' hot reads here fail on the next request), the tier, and this isolate's CORS origins.
 * Null when there is no such application.
 */
export async function updateApplication(
  ctx: RevocationContext,
  clientId: string,
  patch: ApplicationPatch,
): Promise<Application | null> {
  const { app, staleViews } = await updateInStorage(ctx.db, clientId, patch, ctx);
  if (app === null) return null;
  await dropViews(ctx.cache, staleViews);
  if (patch.rateLimitTier !== undefined) {
    await publishApplicationTier(ctx.cache, clientId, app.rateLimitTier, ctx.now);
  }
  if (patch.redirectUris !== undefined || patch.enabled !== undefined) resetCorsOrigins();
  return app;
}

/**
 * Gives a confidential client a new secret; the old one fails from the commit on. Tokens
 * already issued stay valid (rotating a secret is not revoking the users' grants). 'public'
 * for a client without a secret, null for no such application.
 */
export async function rotateClientSecret(
  ctx: ServiceContext,
  clientId: string,
): Promise<{ secret: string } | 'public' | null> {
  const secret = randomToken(32);
  const outcome = await replaceClientSecret(ctx.db, clientId, await sha256(secret));
  return outcome === 'replaced' ? { secret } : outcome;
}

/**
 * Deletes the application and everything it owns (one batch), then its KV entries: the tier
 * and its cached views, the most recently cached first, as many as one invocation's KV budget
 * allows (PURGE_VIEW_DELETES_MAX); the rest are read as misses in this isolate, where the cold
 * path refuses the tokens (the grant is gone), and expire elsewhere within the view lifetime.
 * False when there is no such application.
 */
export async function purgeApplication(ctx: ServiceContext, clientId: string): Promise<boolean> {
  const purged = await purgeInStorage(ctx.db, clientId);
  if (purged === null) return false;
  const live = purged.staleViews
    .filter((view) => view.cached_at > ctx.now - VIEW_CACHE_TTL_SECONDS)
    .sort((a, b) => b.cached_at - a.cached_at);
  const dropped = live.slice(0, PURGE_VIEW_DELETES_MAX);
  ctx.cache.distrust(
    live
      .slice(PURGE_VIEW_DELETES_MAX)
      .map((view) => viewKey(view.user_id, view.scope, view.entity_type, view.entity_id)),
  );
  await Promise.all([dropViews(ctx.cache, dropped), ctx.cache.deleteNow([tierKey(clientId)])]);
  resetCorsOrigins();
  return true;
}
