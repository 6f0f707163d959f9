-- appmeta schema: the single source of truth, applied by `npm run dev`, the tests and deploy alike.
-- Idempotent (IF NOT EXISTS everywhere), STRICT tables, unix-second INTEGER timestamps,
-- JSON stored as TEXT guarded by json_valid(). Seed data lives in scripts/, never here.

-- ---------------------------------------------------------------- identity

CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  -- "pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>", NULL for accounts without a password
  password_hash TEXT,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS applications (
  client_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  redirect_uris TEXT NOT NULL CHECK (json_valid(redirect_uris) AND json_type(redirect_uris) = 'array'),
  confidential INTEGER NOT NULL CHECK (confidential IN (0, 1)),
  scopes TEXT NOT NULL CHECK (json_valid(scopes) AND json_type(scopes) = 'array'),
  -- SHA-256 of the client secret (base64url); NULL for public clients
  secret_hash TEXT,
  created_at INTEGER NOT NULL,
  disabled_at INTEGER,
  -- spec §15: the requests per 60 s its tokens may make per user (src/auth/rate-limit-tier.ts)
  rate_limit_tier TEXT NOT NULL DEFAULT 'standard'
    CHECK (rate_limit_tier IN ('standard', 'high', 'unlimited'))
) STRICT;

-- A user's consent for one application. token_gen is stamped into every access token issued
-- under the grant; bumping it (revocation, refresh-token reuse) invalidates those tokens at once.
CREATE TABLE IF NOT EXISTS authorizations (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  client_id TEXT NOT NULL REFERENCES applications (client_id) ON DELETE CASCADE,
  scopes TEXT NOT NULL CHECK (json_valid(scopes) AND json_type(scopes) = 'array'),
  token_gen INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, client_id)
) STRICT;

CREATE INDEX IF NOT EXISTS authorizations_client ON authorizations (client_id);

-- Personal API keys: access tokens without an audience. The id is the token's jti.
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  scopes TEXT NOT NULL CHECK (json_valid(scopes) AND json_type(scopes) = 'array'),
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER
) STRICT;

CREATE INDEX IF NOT EXISTS api_keys_user ON api_keys (user_id, created_at);

-- ---------------------------------------------------------------- entities

CREATE TABLE IF NOT EXISTS activities (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  sport TEXT NOT NULL,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  duration INTEGER NOT NULL,
  distance REAL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  tags TEXT NOT NULL CHECK (json_valid(tags) AND json_type(tags) = 'array'),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  -- client_id of the application that created it; NULL for a personal key or a session
  created_by TEXT
) STRICT;

-- Lists are keyset pages on (sort key, id) in both directions (spec §14), so each sort key is
-- indexed with id after it; created_by and updated_since have their own.
CREATE INDEX IF NOT EXISTS activities_user_start_id ON activities (user_id, start, id);
CREATE INDEX IF NOT EXISTS activities_user_updated ON activities (user_id, updated_at, id);
CREATE INDEX IF NOT EXISTS activities_user_creator ON activities (user_id, created_by, start, id);

CREATE TABLE IF NOT EXISTS traces (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  timestamp INTEGER NOT NULL,
  sport TEXT,
  lactate REAL,
  rpe INTEGER,
  power REAL,
  speed REAL,
  heart_rate INTEGER,
  notes TEXT,
  tags TEXT NOT NULL CHECK (json_valid(tags) AND json_type(tags) = 'array'),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  created_by TEXT
) STRICT;

CREATE INDEX IF NOT EXISTS traces_user_timestamp_id ON traces (user_id, timestamp, id);
CREATE INDEX IF NOT EXISTS traces_user_updated ON traces (user_id, updated_at, id);
CREATE INDEX IF NOT EXISTS traces_user_creator ON traces (user_id, created_by, timestamp, id);

CREATE TABLE IF NOT EXISTS tests (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  sport TEXT NOT NULL,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  title TEXT,
  results TEXT CHECK (results IS NULL OR (json_valid(results) AND json_type(results) = 'object')),
  tags TEXT NOT NULL CHECK (json_valid(tags) AND json_type(tags) = 'array'),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  created_by TEXT
) STRICT;

CREATE INDEX IF NOT EXISTS tests_user_start_id ON tests (user_id, start, id);
CREATE INDEX IF NOT EXISTS tests_user_updated ON tests (user_id, updated_at, id);
CREATE INDEX IF NOT EXISTS tests_user_creator ON tests (user_id, created_by, start, id);

-- The tag index (issue 8, finding 1): one row per distinct tag of an entity, rewritten in the
-- same D1 batch as every entity create, replace and delete (storage/entity-indexes.ts), so a
-- `tags=` filter is an index search instead of json_each over every row.
CREATE TABLE IF NOT EXISTS entity_tags (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  entity_type TEXT NOT NULL CHECK (entity_type IN ('activities', 'traces', 'tests')),
  tag TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  PRIMARY KEY (user_id, entity_type, tag, entity_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS entity_tags_entity ON entity_tags (user_id, entity_type, entity_id);

-- ---------------------------------------------------------------- application metadata (v1)

-- One private JSON document per (application, entity). entity_type is the API path name
-- (activities, traces, tests, profile); the profile's entity_id is the user id.
-- version is a random, never-reused token served as the strong ETag.
CREATE TABLE IF NOT EXISTS app_metadata (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  client_id TEXT NOT NULL REFERENCES applications (client_id) ON DELETE CASCADE,
  entity_type TEXT NOT NULL CHECK (entity_type IN ('activities', 'traces', 'tests', 'profile')),
  entity_id TEXT NOT NULL,
  document TEXT NOT NULL CHECK (json_valid(document) AND json_type(document) = 'object'),
  version TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, entity_type, entity_id, client_id)
) STRICT;

CREATE INDEX IF NOT EXISTS app_metadata_client ON app_metadata (client_id, user_id);

-- The members index of documents (spec §14 "filters on the caller's own metadata"): one row per
-- top-level member of each document, rewritten in the same D1 batch as every write and delete
-- of the document (storage/entity-indexes.ts). value_type is 'string', 'number', 'true',
-- 'false', 'null', 'object' or 'array'; value holds strings and numbers, NULL otherwise.
CREATE TABLE IF NOT EXISTS app_metadata_members (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  client_id TEXT NOT NULL REFERENCES applications (client_id) ON DELETE CASCADE,
  entity_type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  key TEXT NOT NULL,
  value_type TEXT NOT NULL,
  value ANY,
  PRIMARY KEY (user_id, client_id, entity_type, entity_id, key)
) STRICT;

CREATE INDEX IF NOT EXISTS app_metadata_members_lookup
  ON app_metadata_members (user_id, client_id, entity_type, key, value_type, value, entity_id);

-- ---------------------------------------------------------------- KV view index

-- Which KV entries ("views": an entity with one principal's document, ready to serve) exist,
-- so that a revocation, a disabled application or an entity write can find and delete them.
-- scope is 'a.<client_id>.<token_gen>' for app tokens, 'k.<key_id>' for personal keys;
-- principal_id is the client id or the key id. Rows older than the view lifetime are pruned.
CREATE TABLE IF NOT EXISTS cached_views (
  user_id TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  principal_id TEXT NOT NULL,
  cached_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, entity_type, entity_id, scope)
) STRICT;

CREATE INDEX IF NOT EXISTS cached_views_principal ON cached_views (principal_id, user_id);
CREATE INDEX IF NOT EXISTS cached_views_age ON cached_views (cached_at);

-- ---------------------------------------------------------------- key/value metadata (v2)

-- Entries unique per (user, application, key). expires_at NULL means no expiry; an entry whose
-- expires_at <= now is never served and is purged by the scheduled handler. value_bytes is the
-- UTF-8 size of value, kept for the per-(user, application) 1 MiB quota.
CREATE TABLE IF NOT EXISTS metadata_entries (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  client_id TEXT NOT NULL REFERENCES applications (client_id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  value_bytes INTEGER NOT NULL,
  expires_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, client_id, key)
) STRICT;

CREATE INDEX IF NOT EXISTS metadata_entries_expiry ON metadata_entries (expires_at)
  WHERE expires_at IS NOT NULL;

-- ---------------------------------------------------------------- change records (spec §13)

-- The transactional outbox: every committed state change appends its events here in the same
-- D1 batch as the change. One row per receiving application (client_id); seq is the commit
-- order. Events are thin: ids and an ETag or key, never entity contents or documents.
CREATE TABLE IF NOT EXISTS changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  type TEXT NOT NULL,
  entity_type TEXT CHECK (entity_type IS NULL OR entity_type IN ('activities', 'traces', 'tests', 'profile')),
  entity_id TEXT,
  etag TEXT,
  key TEXT,
  created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX IF NOT EXISTS changes_feed ON changes (user_id, client_id, seq);
CREATE INDEX IF NOT EXISTS changes_age ON changes (created_at);

-- Positions in the change log, one row each: `purged`, the highest seq the retention purge
-- has deleted (a feed cursor below it may have lost events: 410 cursor_expired, spec §13);
-- `dispatched`, the highest seq the webhook outbox has handed to the queue.
CREATE TABLE IF NOT EXISTS change_cursors (
  name TEXT PRIMARY KEY CHECK (name IN ('purged', 'dispatched')),
  through_seq INTEGER NOT NULL
) STRICT;

-- ---------------------------------------------------------------- Webhooks (spec §13)
-- An application's endpoints. Signing secrets are encrypted (AES-GCM, WEBHOOK_SECRETS_KEY):
-- they must be recoverable to sign. During a rotation's overlap the previous one signs too.
CREATE TABLE IF NOT EXISTS webhook_endpoints (
  id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES applications (client_id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  events TEXT CHECK (events IS NULL OR (json_valid(events) AND json_type(events) = 'array')),
  secret_enc TEXT NOT NULL,
  previous_secret_enc TEXT,
  previous_expires_at INTEGER,
  status TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
  failing_since INTEGER,
  created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX IF NOT EXISTS webhook_endpoints_client ON webhook_endpoints (client_id);

-- One row per delivery attempt of an event to an endpoint.
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('delivered', 'failed', 'pending')),
  http_status INTEGER,
  duration_ms INTEGER NOT NULL,
  next_retry_at INTEGER,
  created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX IF NOT EXISTS webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at);
CREATE INDEX IF NOT EXISTS webhook_deliveries_age ON webhook_deliveries (created_at);

-- ---------------------------------------------------------------- OAuth server and accounts
-- Every secret here (session ids, transaction ids, codes, refresh tokens) is stored as its
-- SHA-256 (base64url); the plaintext exists only in the browser or the client.

-- First-party browser sessions (the cookie holds the random id).
CREATE TABLE IF NOT EXISTS sessions (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;

CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id);

-- A pending authorization request (RFC 6749 §4.1.1) kept server-side between the authorize
-- endpoint, login and consent. browser_hash binds it to the browser that started it; user_id
-- is set once a signed-in user is known (for prompt=login: signed in within this request).
CREATE TABLE IF NOT EXISTS authorization_requests (
  id_hash TEXT PRIMARY KEY,
  browser_hash TEXT NOT NULL,
  client_id TEXT NOT NULL REFERENCES applications (client_id) ON DELETE CASCADE,
  redirect_uri TEXT NOT NULL,
  scopes TEXT NOT NULL CHECK (json_valid(scopes) AND json_type(scopes) = 'array'),
  state TEXT,
  code_challenge TEXT NOT NULL,
  prompt_login INTEGER NOT NULL CHECK (prompt_login IN (0, 1)),
  prompt_consent INTEGER NOT NULL CHECK (prompt_consent IN (0, 1)),
  user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;

-- Authorization codes (RFC 6749 §4.1.2): single use, short-lived, bound to client, redirect
-- URI, PKCE challenge, user and scopes. family_id names the refresh-token chain the code
-- starts, so a replayed code can revoke what it issued.
CREATE TABLE IF NOT EXISTS authorization_codes (
  code_hash TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES applications (client_id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  redirect_uri TEXT NOT NULL,
  code_challenge TEXT NOT NULL,
  scopes TEXT NOT NULL CHECK (json_valid(scopes) AND json_type(scopes) = 'array'),
  family_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  -- hash of the refresh token the successful exchange issued (the claim's marker)
  refresh_hash TEXT
) STRICT;

-- Refresh tokens, rotated on every use (RFC 9700 §4.14.2). A chain shares family_id;
-- replaced_by is the hash of the successor, written by the same atomic claim.
CREATE TABLE IF NOT EXISTS refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  family_id TEXT NOT NULL,
  client_id TEXT NOT NULL REFERENCES applications (client_id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  scopes TEXT NOT NULL CHECK (json_valid(scopes) AND json_type(scopes) = 'array'),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  replaced_by TEXT,
  revoked_at INTEGER
) STRICT;

CREATE INDEX IF NOT EXISTS refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX IF NOT EXISTS refresh_tokens_grant ON refresh_tokens (user_id, client_id);

-- Fixed-window counters of failed logins and client authentications (per account, per IP,
-- per client). A D1 row, not KV: increments must not be lost.
CREATE TABLE IF NOT EXISTS auth_failures (
  bucket TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL,
  failures INTEGER NOT NULL
) STRICT;

CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions (expires_at);
CREATE INDEX IF NOT EXISTS authorization_requests_expiry ON authorization_requests (expires_at);
CREATE INDEX IF NOT EXISTS authorization_codes_expiry ON authorization_codes (expires_at);
CREATE INDEX IF NOT EXISTS refresh_tokens_expiry ON refresh_tokens (expires_at);

-- ---------------------------------------------------------------- idempotent writes (spec §14)

-- The first response to a request sent with an Idempotency-Key, per (user, application or
-- personal key, key), kept IDEMPOTENCY_KEY_TTL_SECONDS. status NULL means the first request is
-- still running. The claim is one INSERT … ON CONFLICT, so parallel first requests run once.
-- request_hash is the SHA-256 of method, path and body; expired rows are purged by the cron.
CREATE TABLE IF NOT EXISTS idempotency_keys (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  principal_id TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER,
  body TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, principal_id, key)
) STRICT;

CREATE INDEX IF NOT EXISTS idempotency_keys_expiry ON idempotency_keys (expires_at);
