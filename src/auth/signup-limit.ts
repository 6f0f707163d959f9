/**
 * The signup limit (spec §15): at most 10 signups per 60 s per address (`CF-Connecting-IP`,
 * IPv6 by its /64: src/http/client-address.ts), counted before the password is hashed, so a
 * flood costs a rate-limiter call per attempt instead of a PBKDF2 hash.
 *
 * Counted by the SIGNUP_LIMIT Rate Limiting binding (src/auth/rate-limits.ts), so a signup
 * attempt, refused or not, makes no D1 round trip for its limit. Failed logins stay counted in
 * D1 per (account, address) (src/auth/login-throttle.ts): a login reads the account from D1
 * anyway, and its counter must never refuse the owner's correct password.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env';
import { clientAddress } from '../http/client-address';
import { charge } from '../http/rate-limit';
import { type LimitOutcome, POLICIES } from './rate-limits';

/**
 * Counts one signup attempt from the caller's address and says whether it may go ahead; the
 * response carries the RateLimit fields.
 */
export function allowSignup(c: Context<AppEnv>): Promise<LimitOutcome> {
  return charge(c, POLICIES.signup, clientAddress(c));
}
