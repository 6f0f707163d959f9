/**
 * Failed-login backoff per (account, address) (spec §15). The first LOGIN_FREE_FAILURES
 * attempts are free; after that each attempt must wait LOGIN_BACKOFF_BASE_SECONDS, doubled
 * per further failure and capped at LOGIN_BACKOFF_MAX_SECONDS, after the previous attempt.
 * Attempts made while waiting count too, so hammering only lengthens the wait. The owner
 * signing in from another address has a record of their own and is never refused by this.
 */
import {
  LOGIN_BACKOFF_BASE_SECONDS,
  LOGIN_BACKOFF_MAX_SECONDS,
  LOGIN_FREE_FAILURES,
} from '../config';
import type { PriorAttempts } from '../storage/auth-failures';

/** Seconds this attempt must still wait; 0 when it may be checked now. */
export function loginWaitSeconds(before: PriorAttempts | null, now: number): number {
  if (before === null || before.failures < LOGIN_FREE_FAILURES) return 0;
  const doublings = Math.min(before.failures - LOGIN_FREE_FAILURES, 30);
  const delay = Math.min(LOGIN_BACKOFF_BASE_SECONDS * 2 ** doublings, LOGIN_BACKOFF_MAX_SECONDS);
  return Math.max(0, before.lastAt + delay - now);
}
