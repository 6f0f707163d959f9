/**
 * The rate limits of spec §15 and the Workers Rate Limiting bindings that count them.
 *
 * A binding has one fixed limit (wrangler.toml `[[ratelimits]]`, `simple = { limit, period }`),
 * so each limit, and each tier of one, is its own binding; `unlimited` calls none. Keys are
 * built from ids this server minted (ID_PATTERN: no `|`), so one caller never spends another's
 * budget. A call costs no D1 round trip: the binding is answered by Cloudflare's rate-limit
 * service (Miniflare's in-memory emulator locally), and an application's tier comes from
 * `applicationTier` (KV, memoised per isolate) or from the application row a request already
 * read.
 */
import type { RateLimitTier } from './rate-limit-tier';

/** The bindings, by name: wrangler.toml declares each at the top level and in every [env.*]. */
export type LimiterName =
  | 'API_LIMIT_STANDARD'
  | 'API_LIMIT_HIGH'
  | 'PERSONAL_KEY_LIMIT'
  | 'OAUTH_LIMIT_STANDARD'
  | 'OAUTH_LIMIT_HIGH'
  | 'SIGNUP_LIMIT';

export type Limiters = Pick<Cloudflare.Env, LimiterName>;

/** One limit, as announced in `RateLimit-Policy` (draft-ietf-httpapi-ratelimit-headers §3). */
export interface LimitPolicy {
  /** The policy's name in the RateLimit-Policy and RateLimit fields. */
  readonly name: string;
  readonly binding: LimiterName;
  /** Requests per window: the binding's `simple.limit` in wrangler.toml, repeated here. */
  readonly quota: number;
  /** The binding's `simple.period` (10 or 60). */
  readonly windowSeconds: number;
}

const policy = (name: string, binding: LimiterName, quota: number): LimitPolicy => ({
  name,
  binding,
  quota,
  windowSeconds: 60,
});

export const POLICIES = {
  appStandard: policy('standard', 'API_LIMIT_STANDARD', 300),
  appHigh: policy('high', 'API_LIMIT_HIGH', 3000),
  personalKey: policy('personal-key', 'PERSONAL_KEY_LIMIT', 3000),
  // spec §15: the token and revocation endpoints get the client's tier ×2.
  oauthStandard: policy('oauth-standard', 'OAUTH_LIMIT_STANDARD', 600),
  oauthHigh: policy('oauth-high', 'OAUTH_LIMIT_HIGH', 6000),
  signup: policy('signup', 'SIGNUP_LIMIT', 10),
} as const satisfies Record<string, LimitPolicy>;

/** The limit of an application's tokens at the API; null for `unlimited`. */
export function apiPolicy(tier: RateLimitTier): LimitPolicy | null {
  if (tier === 'unlimited') return null;
  return tier === 'high' ? POLICIES.appHigh : POLICIES.appStandard;
}

/** The limit of a client at /oauth/token and /oauth/revoke; null for `unlimited`. */
export function oauthPolicy(tier: RateLimitTier): LimitPolicy | null {
  if (tier === 'unlimited') return null;
  return tier === 'high' ? POLICIES.oauthHigh : POLICIES.oauthStandard;
}

/** The budget key of an application token: one per (application, user). */
export function appTokenKey(clientId: string, userId: string): string {
  return `${clientId}|${userId}`;
}

export type LimitOutcome = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Seconds until the current window ends, 1…window. The binding answers only success or
 * failure. Miniflare counts in windows aligned to the clock, so locally this is exactly when a
 * refused key may try again; in production it is an estimate (Cloudflare does not publish its
 * window alignment, and its counters are per location and eventually consistent).
 */
export function secondsToWindowEnd(now: number, windowSeconds: number): number {
  return windowSeconds - (now % windowSeconds);
}

/**
 * Counts one request against `key` under `limit`; `now` in unix seconds. A binding that
 * throws (an outage of the rate-limit service) lets the request through: a limit protects the
 * platform, it must not take it down. `warn` records that it happened.
 */
export async function spend(
  limiters: Limiters,
  limit: LimitPolicy,
  key: string,
  now: number,
  warn: (event: string, fields: Record<string, unknown>) => void,
): Promise<LimitOutcome> {
  try {
    const { success } = await limiters[limit.binding].limit({ key });
    if (success) return { allowed: true };
  } catch {
    warn('rate_limiter_unavailable', { policy: limit.name });
    return { allowed: true };
  }
  return { allowed: false, retryAfterSeconds: secondsToWindowEnd(now, limit.windowSeconds) };
}
