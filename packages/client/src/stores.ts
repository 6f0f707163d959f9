/**
 * Where the Hono middleware keeps each browser session server-side: the user's tokens, or the
 * sign-in in progress (PKCE verifier and state). Keyed by a digest of the session cookie, so the
 * store's keys alone cannot be replayed as cookies. Two stores ship: one in memory (a single
 * Node process, tests) and one on Workers KV.
 */
import type { Tokens } from './oauth.js';

/** A sign-in that has been sent to /oauth/authorize and not come back yet. */
export interface PendingLogin {
  state: string;
  codeVerifier: string;
  /** Where to send the browser after the callback: a path on this app, never another origin. */
  returnTo: string;
  /** Unix seconds after which the callback is refused. */
  expiresAt: number;
}

/** What one browser session holds: tokens once signed in, a pending login while signing in. */
export interface SessionRecord {
  tokens?: Tokens | undefined;
  login?: PendingLogin | undefined;
}

/**
 * Server-side session storage for `@appmeta/client/hono`. Implement it over any database;
 * `set` must replace the whole record, and honour `ttlSeconds` (or keep it longer).
 */
export interface TokenStore {
  get(sessionKey: string): Promise<SessionRecord | undefined>;
  set(sessionKey: string, record: SessionRecord, options: { ttlSeconds: number }): Promise<void>;
  delete(sessionKey: string): Promise<void>;
}

/**
 * Sessions in this process's memory, expired lazily on read. Good for one Node process and
 * for tests; sessions end when the process does, and separate processes do not share them.
 */
export class MemoryTokenStore implements TokenStore {
  private readonly records = new Map<string, { record: SessionRecord; expiresAtMs: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(sessionKey: string): Promise<SessionRecord | undefined> {
    const entry = this.records.get(sessionKey);
    if (entry === undefined) return undefined;
    if (entry.expiresAtMs <= this.now()) {
      this.records.delete(sessionKey);
      return undefined;
    }
    return structuredClone(entry.record);
  }

  async set(sessionKey: string, record: SessionRecord, options: { ttlSeconds: number }) {
    const expiresAtMs = this.now() + options.ttlSeconds * 1000;
    this.records.set(sessionKey, { record: structuredClone(record), expiresAtMs });
  }

  async delete(sessionKey: string): Promise<void> {
    this.records.delete(sessionKey);
  }
}

/** The part of a Workers KV namespace binding that KvTokenStore uses. */
export interface KvNamespaceLike {
  get(key: string): Promise<string | null>;
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Workers KV refuses an `expirationTtl` under 60 seconds. */
const KV_MIN_TTL_SECONDS = 60;

/**
 * Sessions in Workers KV (`new KvTokenStore(env.SESSIONS)`), under `prefix`. KV is eventually
 * consistent across locations (about 60 s): a session written in one location may be unseen
 * in another for that long, which is why the middleware writes rotated tokens before it
 * answers. KV has no compare-and-set, so two locations refreshing one session at once can
 * still race; keep a session's requests in one place if that matters.
 */
export class KvTokenStore implements TokenStore {
  constructor(
    private readonly kv: KvNamespaceLike,
    private readonly prefix = 'appmeta-session:',
  ) {}

  async get(sessionKey: string): Promise<SessionRecord | undefined> {
    const text = await this.kv.get(this.prefix + sessionKey);
    if (text === null) return undefined;
    try {
      return JSON.parse(text) as SessionRecord;
    } catch {
      return undefined;
    }
  }

  async set(sessionKey: string, record: SessionRecord, options: { ttlSeconds: number }) {
    const expirationTtl = Math.max(KV_MIN_TTL_SECONDS, Math.ceil(options.ttlSeconds));
    await this.kv.put(this.prefix + sessionKey, JSON.stringify(record), { expirationTtl });
  }

  async delete(sessionKey: string): Promise<void> {
    await this.kv.delete(this.prefix + sessionKey);
  }
}
