/**
 * Rate limits on the wire (spec §15, §17): counts a request against its limit and sets the
 * fields of draft-ietf-httpapi-ratelimit-headers (draft 10: §3 `RateLimit-Policy`, §4
 * `RateLimit`).
 *
 * `RateLimit-Policy` goes on every response of a limited class, refused or not: the policy is
 * fixed, so it is always true. `RateLimit` goes only where its values are known. The binding
 * answers success or failure, never the remaining quota, so an allowed request carries no
 * `RateLimit` (a guessed `r` would mislead a client's pacing), and a refused one carries `r=0`
 * and `t` equal to `Retry-After`. Callers without a limit (`unlimited` applications, the
 * session of /settings, the admin token) get neither field.
 */
import type { Context } from 'hono';
import type { AppPrincipal, PersonalPrincipal } from '../auth/principal';
import { applicationTier } from '../auth/rate-limit-tier';
import {
  type LimitOutcome,
  type LimitPolicy,
  POLICIES,
  apiPolicy,
  appTokenKey,
  spend,
} from '../auth/rate-limits';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { logEvent } from '../log';

/** §3: a String item naming the policy, with its quota `q` and window `w` (RFC 9651 Integers). */
export function policyField(limit: LimitPolicy): string {
  return `"${limit.name}";q=${limit.quota};w=${limit.windowSeconds}`;
}

/** §4: the policy's remaining quota `r` and the seconds `t` until it resets. */
export function limitField(limit: LimitPolicy, remaining: number, resetSeconds: number): string {
  return `"${limit.name}";r=${remaining};t=${resetSeconds}`;
}

/** Counts the request against `limit` under `key` and sets the fields on the response. */
export async function charge(
  c: Context<AppEnv>,
  limit: LimitPolicy,
  key: string,
): Promise<LimitOutcome> {
  c.header('RateLimit-Policy', policyField(limit));
  const outcome = await spend(c.env, limit, key, c.get('now'), (event, fields) =>
    logEvent('warn', event, { requestId: c.get('requestId'), ...fields }),
  );
  if (!outcome.allowed) c.header('RateLimit', limitField(limit, 0, outcome.retryAfterSeconds));
  return outcome;
}

/** Which budget a verified token spends, or null when its application is `unlimited`. */
async function tokenBudget(
  c: Context<AppEnv>,
  principal: AppPrincipal | PersonalPrincipal,
): Promise<{ limit: LimitPolicy; key: string } | null> {
  if (principal.kind === 'personal') return { limit: POLICIES.personalKey, key: principal.keyId };
  const tier = await applicationTier(c.get('services').cache, principal.clientId, c.get('now'));
  const limit = apiPolicy(tier);
  return limit && { limit, key: appTokenKey(principal.clientId, principal.userId) };
}

/**
 * Spec §15: app tokens per (application, user) by the application's tier, personal keys per
 * key. Throws 429 `rate_limited` (spec §9) with `Retry-After` when the budget is spent.
 */
export async function limitToken(
  c: Context<AppEnv>,
  principal: AppPrincipal | PersonalPrincipal,
): Promise<void> {
  const budget = await tokenBudget(c, principal);
  if (budget === null) return;
  const outcome = await charge(c, budget.limit, budget.key);
  if (outcome.allowed) return;
  const { quota, windowSeconds } = budget.limit;
  throw new ApiError('rate_limited', 'Too many requests; slow down.', {
    hint: `The limit is ${quota} requests per ${windowSeconds} s; retry after Retry-After seconds.`,
    retryAfterSeconds: outcome.retryAfterSeconds,
  });
}
