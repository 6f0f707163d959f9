/** What the protocol logic needs from the outside world; no Hono Context, the clock passed in. */
import type { KeySet } from '../auth/tokens';
import type { Database } from '../storage/db';
import type { Cache } from '../storage/kv-cache';

export interface OAuthDeps {
  db: Database;
  cache: Cache;
  keys: KeySet;
  issuer: string;
  /** Unix seconds. */
  now: number;
  /** Milliseconds, for new grant generations. */
  nowMs: number;
  /** Structured warning for the log: never tokens, codes or secrets. */
  warn: (event: string, fields?: Record<string, unknown>) => void;
}
