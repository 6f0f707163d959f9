/**
 * Password attempts that are throttled like failed logins (spec §15): the login form and the
 * re-entered password of account erasure share one budget per (account, address) and the
 * address's cap, so a stolen session gains no extra guesses. Each attempt is counted before
 * the password is checked (parallel guesses cannot all slip under a limit); a success clears
 * the pair's record and is taken back out of the address's count.
 */
import { LOGIN_FAILURE_WINDOW_SECONDS, LOGIN_MAX_FAILURES_PER_IP } from '../config';
import { sha256 } from '../ids';
import { countLoginAttempt, settleSuccess } from '../storage/auth-failures';
import type { Database } from '../storage/db';
import { loginWaitSeconds } from './login-throttle';

export interface PasswordAttempt {
  db: Database;
  /** The normalised email of the account (the key of its counters). */
  email: string;
  /** The caller's address (src/http/client-address.ts). */
  address: string;
  now: number;
}

/** The account's prefix in auth_failures: every (account, address) bucket starts with it. */
export async function accountBucketPrefix(email: string): Promise<string> {
  // The email is hashed (bounded, no separator inside); addresses are IP literals.
  return `login:${await sha256(email)}|`;
}

async function buckets(attempt: PasswordAttempt) {
  const pair = `${await accountBucketPrefix(attempt.email)}${attempt.address}`;
  return { pair, address: `login-ip:${attempt.address}` };
}

/**
 * Counts this attempt and returns the seconds it must wait: the (account, address) backoff,
 * or the rest of the address's window once it is over its cap; 0 when it may be checked now.
 */
export async function passwordAttemptWait(attempt: PasswordAttempt): Promise<number> {
  const { now } = attempt;
  const counted = await countLoginAttempt(
    attempt.db,
    await buckets(attempt),
    now,
    LOGIN_FAILURE_WINDOW_SECONDS,
  );
  const perAddress =
    counted.address.count > LOGIN_MAX_FAILURES_PER_IP
      ? counted.address.windowStart + LOGIN_FAILURE_WINDOW_SECONDS - now
      : 0;
  return Math.max(loginWaitSeconds(counted.pairBefore, now), perAddress);
}

/** After the password matched: the pair's failures are forgotten, the address's forgiven. */
export async function passwordAttemptSucceeded(attempt: PasswordAttempt): Promise<void> {
  const counted = await buckets(attempt);
  await settleSuccess(attempt.db, counted.pair, counted.address);
}
