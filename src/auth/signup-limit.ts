/**
 * The signup limit (spec §15): at most SIGNUP_MAX_PER_ADDRESS signups per
 * SIGNUP_WINDOW_SECONDS per address (`CF-Connecting-IP`), counted before the password is
 * hashed, so a flood costs a D1 upsert per attempt instead of a PBKDF2 hash.
 *
 * This is the seam for the Workers Rate Limiting binding the spec asks for: today a fixed
 * window in D1 (the counters failed logins use, src/storage/auth-failures.ts); moving to the
 * binding replaces the body of `allowSignup` (and adds the binding to `SignupLimitEnv`), and
 * nothing else.
 */
import { SIGNUP_MAX_PER_ADDRESS, SIGNUP_WINDOW_SECONDS } from '../config';
import { countAttempt } from '../storage/auth-failures';
import type { Database } from '../storage/db';

export interface SignupLimitEnv {
  db: Database;
  /** Unix seconds. */
  now: number;
}

export type SignupAllowance = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Counts one signup attempt from `address` and says whether it may go ahead. */
export async function allowSignup(env: SignupLimitEnv, address: string): Promise<SignupAllowance> {
  const [attempts] = await countAttempt(
    env.db,
    [`signup:${address}`],
    env.now,
    SIGNUP_WINDOW_SECONDS,
  );
  if (attempts === undefined || attempts.count <= SIGNUP_MAX_PER_ADDRESS) return { allowed: true };
  const retryAfterSeconds = Math.max(1, attempts.windowStart + SIGNUP_WINDOW_SECONDS - env.now);
  return { allowed: false, retryAfterSeconds };
}
