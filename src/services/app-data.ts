/**
 * Transparency for the user (spec §15): what each authorized application keeps about them,
 * read from /settings, and the deletion of one application's data without revoking it. The
 * deletion records the events any metadata delete would (spec §13) in its own batch, then
 * deletes the application's cached views of the user from KV, awaited, because they embed
 * its documents.
 */
import type { SessionPrincipal } from '../auth/principal';
import { APP_DATA_PAGE_MAX_ROWS } from '../config';
import * as appData from '../storage/app-data';
import { dropViews } from '../storage/cached-views';
import type { ServiceContext } from './context';

export type { AppData, AppDataSummary } from '../storage/app-data';

/** Every authorized app with how many documents and entries it keeps, and their bytes. */
export function listAppDataSummaries(ctx: ServiceContext, session: SessionPrincipal) {
  return appData.listAppDataSummaries(ctx.db, session, ctx.now);
}

/** One app's data about the user, bounded by APP_DATA_PAGE_MAX_ROWS; null when not authorized. */
export function readAppData(ctx: ServiceContext, session: SessionPrincipal, clientId: string) {
  return appData.getAppData(ctx.db, session, {
    clientId,
    now: ctx.now,
    limit: APP_DATA_PAGE_MAX_ROWS,
  });
}

/** Deletes one app's data about the user, keeping the grant; false when not authorized. */
export async function deleteAppData(
  ctx: ServiceContext,
  session: SessionPrincipal,
  clientId: string,
): Promise<boolean> {
  const deleted = await appData.deleteAppData(ctx.db, session, clientId, ctx.now);
  if (deleted === null) return false;
  await dropViews(ctx.cache, deleted.staleViews);
  return true;
}
