/**
 * Account erasure (spec §15, §17): by the user (their session and password re-entered) or by
 * an admin. Every row of the user goes in one D1 batch (storage/account-erasure.ts), each
 * application the user had authorized is told with `authorization.revoked`, and then every
 * cached view of the user is deleted from KV, awaited, so hot reads with the user's tokens
 * fail at once here (the token memo skips only the signature check: the views are gone and
 * D1 no longer knows the grant, key or session).
 */
import { verifyPassword } from '../auth/password';
import {
  type PasswordAttempt,
  accountBucketPrefix,
  passwordAttemptSucceeded,
  passwordAttemptWait,
} from '../auth/password-attempts';
import type { SessionPrincipal } from '../auth/principal';
import { PASSWORD_MAX_CHARS } from '../config';
import type { UserRow } from '../entities/profile';
import { eraseUser, getErasable, getUserByEmail } from '../storage/account-erasure';
import { dropViews } from '../storage/cached-views';
import type { ServiceContext } from './context';

export type OwnErasure =
  | { kind: 'erased' }
  | { kind: 'wrong_password' }
  | { kind: 'throttled'; retryAfterSeconds: number };

async function erase(ctx: ServiceContext, userId: string, email: string): Promise<boolean> {
  const { erased, staleViews } = await eraseUser(ctx.db, {
    userId,
    failureBucketPrefix: await accountBucketPrefix(email),
    now: ctx.now,
  });
  await dropViews(ctx.cache, staleViews);
  return erased;
}

/**
 * The signed-in user erases their own account after re-entering the password. Each attempt is
 * counted like a failed login per (account, address) before the password is checked; a
 * missing password is refused without counting (it guesses nothing).
 */
export async function eraseOwnAccount(
  ctx: ServiceContext,
  session: SessionPrincipal,
  input: { password: string | null; address: string },
): Promise<OwnErasure> {
  const { password } = input;
  if (password === null || password.length === 0) return { kind: 'wrong_password' };
  const account = await getErasable(ctx.db, session.userId);
  if (account === null) return { kind: 'wrong_password' };
  const attempt: PasswordAttempt = { ...ctx, email: account.email, address: input.address };
  const wait = await passwordAttemptWait(attempt);
  if (wait > 0) return { kind: 'throttled', retryAfterSeconds: wait };
  const matches =
    password.length <= PASSWORD_MAX_CHARS &&
    account.passwordHash !== null &&
    (await verifyPassword(password, account.passwordHash));
  if (!matches) return { kind: 'wrong_password' };
  await passwordAttemptSucceeded(attempt);
  await erase(ctx, session.userId, account.email);
  return { kind: 'erased' };
}

/** An admin erases a user (spec §15); false when there is no such user. */
export async function eraseAccount(ctx: ServiceContext, userId: string): Promise<boolean> {
  const account = await getErasable(ctx.db, userId);
  if (account === null) return false;
  return erase(ctx, userId, account.email);
}

/** The admin lookup by (normalised) email; null when there is no such user. */
export function findUserByEmail(ctx: ServiceContext, email: string): Promise<UserRow | null> {
  return getUserByEmail(ctx.db, email);
}
