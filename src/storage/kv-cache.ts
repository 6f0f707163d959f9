/**
 * The KV read cache (spec §10, docs/consistency.md). KV is never the source of truth: every
 * failure here (throwing, 429 on same-key writes, garbage values) is a miss, never an error.
 * Keys are built only from validated parts (ids match ID_PATTERN, so they cannot contain the
 * `/` separator), and every value names its owner, which readers check.
 */
import {
  ENTITY_CACHE_TTL_SECONDS,
  KV_WRITE_RETRY_DELAYS_MS,
  STATUS_CACHE_TTL_SECONDS,
} from '../config';
import { isId } from '../ids';

export type CacheOutcome = 'hit' | 'miss' | 'bypass';
export type EntityType = 'activities' | 'traces' | 'tests' | 'profile';

const KEY_VERSION = 'v1';

function part(value: string): string {
  if (!isId(value)) throw new Error('cache key part is not a validated id');
  return value;
}

/** Cache key builders: each kind has its own prefix, so keys of different kinds never collide. */
export const cacheKeys = {
  entity: (type: EntityType, userId: string, id: string) =>
    `${KEY_VERSION}/ent/${type}/${part(userId)}/${part(id)}`,
  /** Keyed by grant generation: a re-authorized app never sees documents of the old grant. */
  document: (type: EntityType, userId: string, clientId: string, gen: number, id: string) =>
    `${KEY_VERSION}/doc/${type}/${part(userId)}/${part(clientId)}/${Math.trunc(gen)}/${part(id)}`,
  grant: (userId: string, clientId: string) =>
    `${KEY_VERSION}/grant/${part(userId)}/${part(clientId)}`,
  application: (clientId: string) => `${KEY_VERSION}/app/${part(clientId)}`,
  personalKey: (keyId: string) => `${KEY_VERSION}/key/${part(keyId)}`,
};

type WaitUntil = (promise: Promise<unknown>) => void;

/**
 * Keys whose KV value may be stale because a write and the delete that should have replaced
 * it were both refused (429): read as misses by this isolate until a later write of the key
 * succeeds or the old value has surely expired. Isolate-wide, bounded.
 */
const unsafeKeys = new Map<string, number>();
const UNSAFE_KEYS_MAX = 10_000;
const UNSAFE_FOR_MS = Math.max(ENTITY_CACHE_TTL_SECONDS, STATUS_CACHE_TTL_SECONDS) * 1000;

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
  ) {}

  /** One KV round trip for up to 100 keys; parses JSON values. Any failure is all-miss. */
  async getMany(keys: string[]): Promise<Map<string, unknown>> {
    const values = new Map<string, unknown>();
    try {
      const raw = await this.kv.get(keys, 'text');
      for (const [key, text] of raw) {
        if (text === null || isUnsafe(key)) continue;
        try {
          values.set(key, JSON.parse(text));
        } catch {
          // A corrupt entry is a miss; it will be overwritten by the refill.
        }
      }
    } catch (error) {
      this.log(`kv get failed: ${describe(error)}`);
    }
    return values;
  }

  /**
   * Writes entries and waits for them, so the writer's next request reads its own write.
   * A refused write (KV allows one write per key per second) deletes the old entry at once,
   * so the next read falls back to D1, and is retried in the background.
   */
  async putNow(entries: Array<[key: string, value: unknown, ttlSeconds: number]>): Promise<void> {
    await Promise.all(entries.map(([key, value, ttl]) => this.putOrRepair(key, value, ttl)));
  }

  /** Refills after a cold read: not awaited by the response. */
  putLater(entries: Array<[key: string, value: unknown, ttlSeconds: number]>): void {
    for (const [key, value, ttl] of entries) {
      this.waitUntil(this.tryPut(key, JSON.stringify(value), ttl));
    }
  }

  /** Removes keys and waits; failures are repaired in the background like putNow. */
  async deleteNow(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.deleteOrRepair(key)));
  }

  private async putOrRepair(key: string, value: unknown, ttl: number): Promise<void> {
    const text = JSON.stringify(value);
    if (await this.tryPut(key, text, ttl)) return;
    // The old value must not outlive this write: drop it now, and try the put again later.
    if (!(await this.tryDelete(key))) markUnsafe(key);
    this.waitUntil(this.retry(() => this.tryPut(key, text, ttl)));
  }

  private async deleteOrRepair(key: string): Promise<void> {
    if (await this.tryDelete(key)) return;
    markUnsafe(key);
    this.waitUntil(this.retry(() => this.tryDelete(key)));
  }

  private async retry(attempt: () => Promise<boolean>): Promise<void> {
    for (const delay of KV_WRITE_RETRY_DELAYS_MS) {
      await new Promise((resolve) => setTimeout(resolve, delay));
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

/** Error name and message only: KV errors never contain values, but keep logs terse. */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message.slice(0, 120)}` : 'unknown';
}
