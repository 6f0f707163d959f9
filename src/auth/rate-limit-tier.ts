/**
 * An application's rate-limit tier (spec §15), known to every request without a D1 round trip.
 *
 * D1's `applications.rate_limit_tier` is the source of truth. Every change is published to KV
 * (`tierKey`), and each isolate keeps what it read for TIER_MEMO_SECONDS: a request pays one KV
 * read per application per isolate per minute, usually none. A change therefore reaches other
 * isolates within about a minute (KV's own propagation included), and this isolate at once.
 * No key in KV means `standard`, the default every application starts with.
 */
import type { Cache } from '../storage/kv-cache';
import { tierKey } from '../storage/kv-cache';

export const RATE_LIMIT_TIERS = ['standard', 'high', 'unlimited'] as const;
export type RateLimitTier = (typeof RATE_LIMIT_TIERS)[number];

export const TIER_MEMO_SECONDS = 60;
/** Bounds the memo: an entry is a few dozen bytes. */
const TIER_MEMO_MAX_ENTRIES = 4096;

const memo = new Map<string, { tier: RateLimitTier; until: number }>();

function isTier(value: unknown): value is RateLimitTier {
  return typeof value === 'string' && (RATE_LIMIT_TIERS as readonly string[]).includes(value);
}

function remember(clientId: string, tier: RateLimitTier, now: number): void {
  if (memo.size >= TIER_MEMO_MAX_ENTRIES) memo.clear();
  memo.set(clientId, { tier, until: now + TIER_MEMO_SECONDS });
}

/** The tier of an application as this isolate knows it; `now` in unix seconds. */
export async function applicationTier(
  cache: Cache,
  clientId: string,
  now: number,
): Promise<RateLimitTier> {
  const known = memo.get(clientId);
  if (known !== undefined && known.until > now) return known.tier;
  const stored = await cache.get(tierKey(clientId));
  const tier = isTier(stored) ? stored : 'standard';
  remember(clientId, tier, now);
  return tier;
}

/**
 * Publishes a tier after D1 committed it: this isolate uses it at once, KV carries it to the
 * others. False when KV refused the write (it is retried in the background).
 */
export async function publishApplicationTier(
  cache: Cache,
  clientId: string,
  tier: RateLimitTier,
  now: number,
): Promise<boolean> {
  remember(clientId, tier, now);
  return cache.putNow(tierKey(clientId), tier);
}
