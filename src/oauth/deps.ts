/** What the protocol logic needs from the outside world; no Hono Context, the clock passed in. */
import type { KeySet } from '../auth/tokens';
import type { Application } from '../storage/applications';
import type { Database } from '../storage/db';

/** A refresh-token chain: its family and the grant (user, client) it belongs to. */
export interface Chain {
  familyId: string;
  userId: string;
  clientId: string;
}

export interface OAuthDeps {
  db: Database;
  keys: KeySet;
  issuer: string;
  /** Unix seconds. */
  now: number;
  /** Milliseconds, for new grant generations. */
  nowMs: number;
  /** Structured warning for the log: never tokens, codes or secrets. */
  warn: (event: string, fields?: Record<string, unknown>) => void;
  /**
   * Ends a refresh-token chain and every access token of its grant, hot cached reads included
   * (reuse of a rotated refresh token, replay of a used code): services/revocations.ts.
   */
  revokeChain: (chain: Chain) => Promise<void>;
  /**
   * Spends one request of an authenticated client's budget at the token and revocation
   * endpoints (spec §15), throwing OAuthThrottledError when it is spent: src/routes/oauth-token.ts.
   */
  limitClient: (client: Application) => Promise<void>;
}
