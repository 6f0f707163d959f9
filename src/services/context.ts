/**
 * What every service function needs: the request's counted D1 handle, its KV cache and its
 * clock. Routes pass their per-request variables (c.var); no Hono Context reaches services.
 */
import type { Database } from '../storage/db';
import type { Cache } from '../storage/kv-cache';

export interface ServiceContext {
  db: Database;
  cache: Cache;
  /** Unix seconds. */
  now: number;
}
