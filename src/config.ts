/**
 * Constants with their units in their names. Anything an operator tunes per deployment lives
 * in wrangler.toml vars instead.
 */

/** Lifetime of an app access token (RFC 9068 JWT). */
export const ACCESS_TOKEN_TTL_SECONDS = 3600;
/** Personal keys created without an expiry still carry `exp` (verification requires it). */
export const PERSONAL_KEY_MAX_TTL_SECONDS = 10 * 365 * 24 * 3600;
/** A key created by a never-expiring key, with no expiry asked for, lives this long (spec §11). */
export const CHILD_KEY_DEFAULT_TTL_SECONDS = 90 * 24 * 3600;
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
/**
 * Entities one user may hold per kind (issue 8 finding 1): creating one more is 422
 * quota_exceeded. Bounds what any list query of one user can touch.
 */
export const ENTITY_MAX_PER_USER_PER_KIND = 10_000;
/** At most this many distinct values in a `tags=` filter (duplicates folded), else 400. */
export const LIST_MAX_TAG_FILTER_VALUES = 10;
/** At most this many `app_metadata.*` filters in one list query (spec §14), else 400. */
export const LIST_MAX_METADATA_FILTERS = 10;
/** Bulk metadata (spec §14): ids per batch-get, items per batch-put. */
export const BATCH_GET_MAX_IDS = 100;
export const BATCH_PUT_MAX_ITEMS = 25;
/** Idempotency-Key (spec §14): how long a first response is kept and replayed. */
export const IDEMPOTENCY_KEY_TTL_SECONDS = 24 * 3600;
/**
 * A claim still running after this long is taken to have died with its invocation (a Worker's
 * request cannot outlive it by much), so a retry may run it again instead of 409 for a day.
 */
export const IDEMPOTENCY_IN_FLIGHT_MAX_SECONDS = 120;
/** Scheduled purge of expired keys: rows per statement and statements per run. */
export const IDEMPOTENCY_PURGE_CHUNK_ROWS = 500;
export const IDEMPOTENCY_PURGE_MAX_CHUNKS_PER_RUN = 20;
/** A test without `end` lasts three hours (spec §8). */
export const TEST_DEFAULT_DURATION_SECONDS = 3 * 3600;

/**
 * Lifetime of a cached view (an entity as one principal sees it). Writes and revocations
 * delete views at once; this bounds what another location may still serve (docs/consistency.md).
 * KV rejects expirationTtl < 60.
 */
export const VIEW_CACHE_TTL_SECONDS = 300;
/**
 * At most this many cached views of one user's data exist, across every app and key that reads
 * it; further reads are served from D1 uncached. A revocation deletes views from KV in one
 * invocation, twice (now and once more after KV_REDELETE_DELAY_MS), which must stay within
 * KV's 1,000 operations per invocation whatever the number of entities read, even when it
 * ends all of a user's access at once (spec §11, "Revocation reach").
 */
export const VIEWS_MAX_PER_USER = 400;
/**
 * Views an application purge deletes from KV in its own invocation (each deleted twice, plus
 * the tier key), the most recently cached first: within KV's 1,000 operations per invocation.
 * Views beyond it are read as misses in the purging isolate and expire elsewhere.
 */
export const PURGE_VIEW_DELETES_MAX = 450;
/** Invalidations delete again after this delay, to catch a refill racing the change. */
export const KV_REDELETE_DELAY_MS = 1500;
/** Index rows of expired views are pruned by the scheduled handler in chunks of this size. */
export const VIEW_INDEX_PRUNE_CHUNK_ROWS = 500;
export const VIEW_INDEX_PRUNE_MAX_CHUNKS_PER_RUN = 20;
/** How long a refused KV write is retried in the background (KV allows 1 write/s per key). */
export const KV_WRITE_RETRY_DELAYS_MS = [1100, 2500] as const;

/** Password length in characters, for signup, admin creation and password change. */
export const PASSWORD_MIN_CHARS = 8;
export const PASSWORD_MAX_CHARS = 256;
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
 * With the cron every 5 minutes this removes up to 50,000 rows per run (about 167 rows/s);
 * what is left waits for the next run and is never served meanwhile (reads check expiry). It
 * cannot fall behind a writer: every v2 PUT first removes its own (user, application)'s expired
 * rows, so no pair ever stores more than METADATA_MAX_KEYS rows, expired or not.
 */
export const METADATA_PURGE_CHUNK_ROWS = 1000;
export const METADATA_PURGE_MAX_CHUNKS_PER_RUN = 50;

/** Authorization codes live this long (RFC 6749 §4.1.2 recommends at most 10 minutes). */
export const AUTHORIZATION_CODE_TTL_SECONDS = 60;
/** A pending authorization request (login + consent) must be finished within this time. */
export const AUTHORIZATION_REQUEST_TTL_SECONDS = 600;
/** Refresh tokens: each rotation issues a successor valid this long. */
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
/**
 * Absolute lifetime of a refresh-token chain, counted from the code exchange that started it:
 * no successor outlives it and a refresh past it is invalid_grant, so the user signs in (and
 * the app re-authorizes, without consent while the grant stands) at least this often.
 */
export const REFRESH_CHAIN_MAX_LIFETIME_SECONDS = 90 * 24 * 3600;
/** First-party browser sessions. */
export const SESSION_TTL_SECONDS = 7 * 24 * 3600;
/**
 * Failed logins. Per (account, address): the first LOGIN_FREE_FAILURES are free, then each
 * further attempt waits LOGIN_BACKOFF_BASE_SECONDS doubled per failure, up to
 * LOGIN_BACKOFF_MAX_SECONDS after the previous attempt; LOGIN_FAILURE_WINDOW_SECONDS without an
 * attempt starts over. Per address (any account): LOGIN_MAX_FAILURES_PER_IP per window. Nothing
 * is counted per account alone, so strangers elsewhere cannot lock the owner out.
 */
export const LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60;
export const LOGIN_FREE_FAILURES = 5;
export const LOGIN_BACKOFF_BASE_SECONDS = 30;
export const LOGIN_BACKOFF_MAX_SECONDS = 15 * 60;
export const LOGIN_MAX_FAILURES_PER_IP = 50;
/**
 * Failed client authentications at the token and revocation endpoints, per (client, address)
 * within a fixed window; correct credentials are never refused (spec §15).
 */
export const CLIENT_AUTH_MAX_FAILURES = 20;
export const CLIENT_AUTH_FAILURE_WINDOW_SECONDS = 15 * 60;
/** Longest `state` accepted at /oauth/authorize, in UTF-16 code units (RFC 6749 sets none). */
export const AUTHORIZE_STATE_MAX_CHARS = 512;
/**
 * Pending authorization requests stored per address within one request lifetime
 * (AUTHORIZATION_REQUEST_TTL_SECONDS); beyond it /oauth/authorize answers
 * temporarily_unavailable (RFC 6749 §4.1.2.1) and stores nothing.
 */
export const AUTHORIZATION_REQUESTS_MAX_PER_ADDRESS = 100;
/** Expired identity rows deleted per table per statement by the scheduled purge. */
export const IDENTITY_PURGE_CHUNK_ROWS = 500;
export const IDENTITY_PURGE_MAX_CHUNKS_PER_RUN = 20;
/** Body limit of form posts (token, revoke, login, consent, settings). */
export const FORM_BODY_MAX_BYTES = 16 * 1024;
/** JSON body limit of the user API (api-keys). */
export const USER_API_BODY_MAX_BYTES = 4 * 1024;

/** The change feed keeps events at least this long (spec §13); CHANGES_RETENTION_DAYS may raise it. */
export const CHANGES_MIN_RETENTION_DAYS = 7;
/** Expired change rows are deleted by the scheduled handler in chunks of this size. */
export const CHANGES_PURGE_CHUNK_ROWS = 500;
export const CHANGES_PURGE_MAX_CHUNKS_PER_RUN = 20;

/**
 * /settings transparency (spec §15): the page that shows one app's data about the user lists
 * at most this many documents and this many v2 entries (up to ~100 × 4 KiB + 100 × 64 Ki
 * characters), and says how many more there are.
 */
export const APP_DATA_PAGE_MAX_ROWS = 100;
