/**
 * Constants with their units in their names. Anything an operator tunes per deployment lives
 * in wrangler.toml vars instead.
 */

/** Lifetime of an app access token (RFC 9068 JWT). */
export const ACCESS_TOKEN_TTL_SECONDS = 3600;
/** Personal keys created without an expiry still carry `exp` (verification requires it). */
export const PERSONAL_KEY_MAX_TTL_SECONDS = 10 * 365 * 24 * 3600;
/** Tolerated clock skew when checking `exp`, `nbf` and `iat` (RFC 8725 §3.10 asks for a bound). */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** Raw-body limits for app metadata documents, counted in UTF-8 bytes (spec §4). */
export const ENTITY_METADATA_MAX_BYTES = 1024;
export const PROFILE_METADATA_MAX_BYTES = 4096;
/** Nesting depth of a metadata document; the top-level object is depth 1 (spec §11). */
export const METADATA_MAX_DEPTH = 32;
/** Body limit for entity create/replace requests. */
export const ENTITY_BODY_MAX_BYTES = 64 * 1024;
/** Body limit for admin JSON requests. */
export const ADMIN_BODY_MAX_BYTES = 16 * 1024;
/** Depth limit for entity bodies (test results are free-form objects). */
export const ENTITY_BODY_MAX_DEPTH = 32;
/**
 * After a body passes its limit (413), up to this many more bytes are read and discarded before
 * the rest is cancelled: `wrangler dev` breaks the connection of a half-read, cancelled body
 * (503 "worker restarted mid-request", then the next request on it hangs).
 */
export const OVERSIZE_BODY_DRAIN_MAX_BYTES = 8 * 1024 * 1024;

/** Entity lists: default and maximum page size (spec §8). */
export const LIST_DEFAULT_LIMIT = 100;
export const LIST_MAX_LIMIT = 500;
/** A test without `end` lasts three hours (spec §8). */
export const TEST_DEFAULT_DURATION_SECONDS = 3 * 3600;

/**
 * Lifetime of a cached view (an entity as one principal sees it). Writes and revocations
 * delete views at once; this bounds what another location may still serve (docs/consistency.md).
 * KV rejects expirationTtl < 60.
 */
export const VIEW_CACHE_TTL_SECONDS = 300;
/** Invalidations delete again after this delay, to catch a refill racing the change. */
export const KV_REDELETE_DELAY_MS = 1500;
/** Index rows of expired views are pruned by the scheduled handler in chunks of this size. */
export const VIEW_INDEX_PRUNE_CHUNK_ROWS = 500;
export const VIEW_INDEX_PRUNE_MAX_CHUNKS_PER_RUN = 20;
/** How long a refused KV write is retried in the background (KV allows 1 write/s per key). */
export const KV_WRITE_RETRY_DELAYS_MS = [1100, 2500] as const;

/** PBKDF2-SHA-256 iterations: the Workers runtime's maximum in production. */
export const PASSWORD_PBKDF2_ITERATIONS = 100_000;

/** v2 key/value metadata (spec §5, §11): key length in characters, value length in code points. */
export const METADATA_KEY_MAX_CHARS = 128;
export const METADATA_VALUE_MAX_CODE_POINTS = 65535;
/** Quotas per (user, application), counting live entries only; bytes are UTF-8 bytes of values. */
export const METADATA_MAX_KEYS = 1000;
export const METADATA_MAX_VALUE_BYTES = 1024 * 1024;
/**
 * PUT body limit. Worst case for the largest value: every code point outside the BMP sent as
 * an escaped surrogate pair (`\uD83D\uDE00`, 12 bytes per character), plus room for the member
 * names, `expires_at`, whitespace and a few ignored fields.
 */
export const METADATA_BODY_MAX_BYTES = METADATA_VALUE_MAX_CODE_POINTS * 12 + 4096;
/** `{"value": "…"}` is depth 1; a little room for ignored nested fields. */
export const METADATA_BODY_MAX_DEPTH = 4;
/**
 * Scheduled purge of expired entries: rows deleted per statement (2 binds, well under D1's
 * 100-parameter limit, and short enough for D1's per-query time limit) and statements per run.
 * With the cron every 5 minutes this removes up to 10,000 rows per run; what is left waits for
 * the next run and is never served meanwhile (reads check expiry).
 */
export const METADATA_PURGE_CHUNK_ROWS = 500;
export const METADATA_PURGE_MAX_CHUNKS_PER_RUN = 20;

/** Authorization codes live this long (RFC 6749 §4.1.2 recommends at most 10 minutes). */
export const AUTHORIZATION_CODE_TTL_SECONDS = 60;
/** A pending authorization request (login + consent) must be finished within this time. */
export const AUTHORIZATION_REQUEST_TTL_SECONDS = 600;
/** Refresh tokens: each rotation issues a successor valid this long. */
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
/** First-party browser sessions. */
export const SESSION_TTL_SECONDS = 7 * 24 * 3600;
/** Failed logins: per account and per IP within a fixed window, then 429. */
export const LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60;
export const LOGIN_MAX_FAILURES_PER_ACCOUNT = 10;
export const LOGIN_MAX_FAILURES_PER_IP = 50;
/** Failed client authentications at the token and revocation endpoints, per client. */
export const CLIENT_AUTH_MAX_FAILURES = 20;
/** Body limit of form posts (token, revoke, login, consent, settings). */
export const FORM_BODY_MAX_BYTES = 16 * 1024;
/** JSON body limit of the user API (api-keys). */
export const USER_API_BODY_MAX_BYTES = 4 * 1024;

/** The change feed keeps events at least this long (spec §13); CHANGES_RETENTION_DAYS may raise it. */
export const CHANGES_MIN_RETENTION_DAYS = 7;
/** Expired change rows are deleted by the scheduled handler in chunks of this size. */
export const CHANGES_PURGE_CHUNK_ROWS = 500;
export const CHANGES_PURGE_MAX_CHUNKS_PER_RUN = 20;
