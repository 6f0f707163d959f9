/**
 * The KV read cache (spec §10, docs/consistency.md). KV is never the source of truth: every
 * failure here (throwing, 429 on same-key writes, garbage values) is a miss, never an error.
 * Keys are built only from validated parts (ids match ID_PATTERN and scopes a fixed pattern,
 * so no part can contain the `/` separator), and every value names its owner, checked on read.
 */
import { KV_REDELETE_DELAY_MS, KV_WRITE_RETRY_DELAYS_MS, VIEW_CACHE_TTL_SECONDS } from '../config';
import { isId } from '../ids';

export type CacheOutcome = 'hit' | 'miss' | 'bypass';
export type EntityType = 'activities' | 'traces' | 'tests' | 'profile';

/** Bump whenever the cached body format changes, so a deploy never serves old shapes. */
const KEY_VERSION = 'v3';

function part(value: string): string {
  if (!isId(value)) throw new Error('cache key part is not a validated id');
  return value;
}

/**
 * The key of a view: one entity as one principal sees it (with its application's document).
 * `scope` comes from principalScope() and contains only id characters and dots.
 */
export function viewKey(userId: string, scope: string, type: EntityType, id: string): string {
  if (!/^[aks]\.[A-Za-z0-9_-]{1,64}(\.\d{1,16})?$/.test(scope)) throw new Error('bad view scope');
  return `${KEY_VERSION}/view/${part(userId)}/${scope}/${type}/${part(id)}`;
}

/** The key of an application's rate-limit tier (src/auth/rate-limit-tier.ts). */
export function tierKey(clientId: string): string {
  return `${KEY_VERSION}/tier/${part(clientId)}`;
}

type WaitUntil = (promise: Promise<unknown>) => void;

/** When invalidations delete again, and when refused writes are retried. */
export interface KvWriteTimings {
  redeleteDelayMs: number;
  retryDelaysMs: readonly number[];
}

export const DEFAULT_KV_WRITE_TIMINGS: KvWriteTimings = {
  redeleteDelayMs: KV_REDELETE_DELAY_MS,
  retryDelaysMs: KV_WRITE_RETRY_DELAYS_MS,
};

/**
 * Keys whose KV value may be stale because the delete that should have removed it was refused
 * (KV answers 429 to a second write of a key within a second): this isolate reads them as
 * misses until a later write of the key succeeds or the old value has surely expired. Exact
 * for the writer's next request in the same isolate, best effort across isolates (the
 * background retry and the view TTL bound the rest). Isolate-wide and bounded.
 */
const unsafeKeys = new Map<string, number>();
const UNSAFE_KEYS_MAX = 10_000;
const UNSAFE_FOR_MS = VIEW_CACHE_TTL_SECONDS * 1000;

function markUnsafe(key: string): void {
  if (unsafeKeys.size >= UNSAFE_KEYS_MAX) {
    const oldest = unsafeKeys.keys().next().value;
    if (oldest !== undefined) unsafeKeys.delete(oldest);
  }
  unsafeKeys.delete(key);
  unsafeKeys.set(key, Date.now() + UNSAFE_FOR_MS);
}

function isUnsafe(key: string): boolean {
  const until = unsafeKeys.get(key);
  if (until === undefined) return false;
  if (until > Date.now()) return true;
  unsafeKeys.delete(key);
  return false;
}

/** Request-scoped KV access that records the cache outcome for Server-Timing. */
export class Cache {
  outcome: CacheOutcome = 'bypass';

  constructor(
    private readonly kv: KVNamespace,
    private readonly waitUntil: WaitUntil,
    private readonly log: (message: string) => void,
    private readonly timings: KvWriteTimings = DEFAULT_KV_WRITE_TIMINGS,
  ) {}

  /** One KV read, JSON-parsed. Any failure (throwing KV, corrupt value) is a miss: null. */
  async get(key: string): Promise<unknown> {
    if (isUnsafe(key)) return null;
    try {
      const text = await this.kv.get(key, 'text');
      return text === null ? null : (JSON.parse(text) as unknown);
    } catch (error) {
      this.log(`kv get failed: ${describe(error)}`);
      return null;
    }
  }

  /**
   * One awaited write without expiry, retried in the background when KV refuses it; false when
   * the first attempt failed (the caller decides whether that matters).
   */
  async putNow(key: string, value: unknown): Promise<boolean> {
    const text = JSON.stringify(value);
    try {
      await this.kv.put(key, text);
      return true;
    } catch (error) {
      this.log(`kv put failed: ${describe(error)}`);
      this.waitUntil(
        this.retry(() =>
          this.kv.put(key, text).then(
            () => true,
            () => false,
          ),
        ),
      );
      return false;
    }
  }

  /** Refills after a cold read: not awaited by the response. */
  putLater(entries: Array<[key: string, value: unknown, ttlSeconds: number]>): void {
    for (const [key, value, ttl] of entries) {
      this.waitUntil(this.tryPut(key, JSON.stringify(value), ttl));
    }
  }

  /**
   * Removes keys and waits, then removes them once more in the background: a cold read that
   * fetched from D1 just before the change may refill an entry right after the first delete.
   * A refused delete (KV allows one write per key per second) marks the key unsafe in this
   * isolate and is retried in the background.
   */
  async deleteNow(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.deleteOrRepair(key)));
    if (keys.length > 0) {
      this.waitUntil(
        sleep(this.timings.redeleteDelayMs).then(() =>
          Promise.all(keys.map((key) => this.tryDelete(key))),
        ),
      );
    }
  }

  /**
   * Makes this isolate read `keys` as misses for a view lifetime, without a KV operation: for
   * invalidations larger than one invocation's KV budget (application purge), whose remaining
   * entries other isolates may serve until they expire (docs/consistency.md).
   */
  distrust(keys: string[]): void {
    for (const key of keys) markUnsafe(key);
  }

  private async deleteOrRepair(key: string): Promise<void> {
    if (await this.tryDelete(key)) return;
    markUnsafe(key);
    this.waitUntil(this.retry(() => this.tryDelete(key)));
  }

  private async retry(attempt: () => Promise<boolean>): Promise<void> {
    for (const delay of this.timings.retryDelaysMs) {
      await sleep(delay);
      if (await attempt()) return;
    }
    this.log('kv write still refused after retries; entry left to expire');
  }

  private async tryPut(key: string, text: string, ttl: number): Promise<boolean> {
    try {
      await this.kv.put(key, text, { expirationTtl: Math.max(60, ttl) });
      unsafeKeys.delete(key);
      return true;
    } catch (error) {
      this.log(`kv put failed: ${describe(error)}`);
      return false;
    }
  }

  private async tryDelete(key: string): Promise<boolean> {
    try {
      await this.kv.delete(key);
      unsafeKeys.delete(key);
      return true;
    } catch (error) {
      this.log(`kv delete failed: ${describe(error)}`);
      return false;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Error name and message only: KV errors never contain values, but keep logs terse. */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message.slice(0, 120)}` : 'unknown';
}
