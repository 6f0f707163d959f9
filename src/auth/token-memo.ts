/**
 * Per-isolate memo of access tokens this isolate has verified (issue 13 item 2): an app calls
 * with the same token hundreds of times an hour, and the ES256 signature check is the largest
 * CPU cost of a hot read. The memo holds only what verification produced (the principal and
 * `exp`), keyed by a SHA-256 digest of the whole token, bounded by a fixed entry cap (LRU).
 *
 * Why it is exact: a token's verification depends only on the token, the key set, the issuer
 * and the clock. The memo lives on one key set (a new SIGNING_KEYS value starts an empty one),
 * an entry answers only for the issuer it was verified for, and the only clock-dependent
 * checks are `exp` (re-checked on every use, with the verifier's tolerance) and `iat`/`nbf`
 * (which can only fail for an earlier clock, so an entry answers only at or after the moment it
 * was verified). Revocation is not part of verification: it is enforced by D1's status checks
 * on every cold path and by deleting the principal's KV views (docs/consistency.md), both of
 * which a memo hit still goes through.
 */
import { CLOCK_TOLERANCE_SECONDS } from '../config';
import type { TokenPrincipal } from './principal';

/**
 * Fixed entry cap: an entry (key, principal with its scope set, ids) is a few hundred bytes,
 * so the memo stays under about 1 MB of the isolate's 128 MB. Entries are shared between
 * requests: principals are read-only (ReadonlySet scopes) and nothing mutates them.
 */
export const TOKEN_MEMO_MAX_ENTRIES = 2048;

interface Entry {
  issuer: string;
  principal: TokenPrincipal;
  /** The token's `exp` claim (seconds). */
  exp: number;
  /** The `now` at which it verified: earlier clocks are not answered (iat/nbf). */
  verifiedAt: number;
}

const encoder = new TextEncoder();

/**
 * SHA-256 of the whole token as a 16-character string (the digest's bytes as UTF-16 code
 * units): one native digest and no base64 work, a compact Map key.
 */
export async function tokenDigest(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(token));
  return String.fromCharCode(...new Uint16Array(digest));
}

export class VerifiedTokenMemo {
  /** A Map iterates in insertion order: re-inserting on use keeps the oldest-used first. */
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries: number = TOKEN_MEMO_MAX_ENTRIES) {}

  get size(): number {
    return this.entries.size;
  }

  /** The principal a verified token yields, if it would still verify at `now`; else null. */
  get(digest: string, issuer: string, now: number): TokenPrincipal | null {
    const entry = this.entries.get(digest);
    if (entry === undefined) return null;
    // jose refuses when exp <= now - tolerance (RFC 7519 §4.1.4 with RFC 8725 §3.10's bound).
    if (entry.exp <= now - CLOCK_TOLERANCE_SECONDS) {
      this.entries.delete(digest);
      return null;
    }
    if (entry.issuer !== issuer || now < entry.verifiedAt) return null;
    this.entries.delete(digest);
    this.entries.set(digest, entry);
    return entry.principal;
  }

  /** Records a token that verified at `now`; evicts the least recently used past the cap. */
  remember(digest: string, issuer: string, principal: TokenPrincipal, exp: number, now: number) {
    this.entries.delete(digest);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.entries.set(digest, { issuer, principal, exp, verifiedAt: now });
  }
}
