/**
 * One `Appmeta` client per signed-in session, kept for the life of the process, so that
 * concurrent requests of one session share its single-flight refresh: two clients refreshing
 * the same refresh token would present it twice, and the server revokes the whole chain on
 * reuse (RFC 9700 §4.14.2). The store stays the source of truth: a session whose record is
 * gone is signed out, and tokens another process wrote replace the cached client's.
 */
import type { Appmeta } from '../index.js';
import type { Tokens } from '../oauth.js';

/** Builds a client for `tokens` that reports every rotated pair to `onTokens`. */
export type ClientFactory = (
  tokens: Tokens | undefined,
  onTokens: (tokens: Tokens) => Promise<void>,
) => Appmeta;

interface Entry {
  client: Appmeta;
  /** Every refresh token this client has held: the store may lag behind by one write. */
  seen: Set<string>;
}

const MAX_SESSIONS = 1000;
const MAX_SEEN_PER_SESSION = 8;

export class SessionClients {
  private readonly entries = new Map<string, Entry>();

  /**
   * The session's client. `persist` writes rotated tokens back to the store; the client awaits
   * it before the refreshed call goes on, so a response never leaves ahead of its tokens.
   */
  get(
    key: string,
    stored: Tokens,
    persist: (tokens: Tokens) => Promise<void>,
    create: ClientFactory,
  ): Appmeta {
    const cached = this.entries.get(key);
    if (cached !== undefined && cached.seen.has(stored.refresh_token)) {
      // Least recently used goes first when full: re-insert to mark this one as used.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached.client;
    }
    const seen = new Set([stored.refresh_token]);
    const client = create(stored, async (tokens) => {
      seen.add(tokens.refresh_token);
      if (seen.size > MAX_SEEN_PER_SESSION) seen.delete(seen.values().next().value as string);
      await persist(tokens);
    });
    this.entries.set(key, { client, seen });
    if (this.entries.size > MAX_SESSIONS) this.entries.delete(this.entries.keys().next().value!);
    return client;
  }

  drop(key: string): void {
    this.entries.delete(key);
  }
}
