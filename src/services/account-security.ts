/**
 * Password change and "sign out everywhere" from /settings (issue 8, finding 12): each ends
 * every other session and every token of the user (app access and refresh tokens, personal
 * keys), and deletes the user's cached views so hot reads refuse at once.
 */
import type { SessionPrincipal } from '../auth/principal';
import { hashPassword, verifyPassword } from '../auth/password';
import { dropViews } from '../storage/cached-views';
import { endAllAccess, getPasswordHash } from '../storage/account-security';
import type { RevocationContext } from './revocations';

/** Ends every session but this one and every token of the user. */
export async function signOutEverywhere(
  ctx: RevocationContext,
  session: SessionPrincipal,
): Promise<void> {
  const { staleViews } = await endAllAccess(ctx.db, {
    userId: session.userId,
    keepSessionHash: session.sessionHash,
    now: ctx.now,
    nowMs: ctx.nowMs,
  });
  await dropViews(ctx.cache, staleViews);
}

/** Sets a new password after checking the current one, then ends all other access. */
export async function changePassword(
  ctx: RevocationContext,
  session: SessionPrincipal,
  passwords: { current: string; next: string },
): Promise<'changed' | 'wrong_password'> {
  const stored = await getPasswordHash(ctx.db, session.userId);
  if (stored === null || !(await verifyPassword(passwords.current, stored))) {
    return 'wrong_password';
  }
  const { staleViews } = await endAllAccess(ctx.db, {
    userId: session.userId,
    keepSessionHash: session.sessionHash,
    now: ctx.now,
    nowMs: ctx.nowMs,
    passwordHash: await hashPassword(passwords.next),
  });
  await dropViews(ctx.cache, staleViews);
  return 'changed';
}
