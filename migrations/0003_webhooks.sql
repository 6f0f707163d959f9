-- The change feed's retention watermark and webhook endpoints and deliveries (spec §13).
-- schema.sql holds the same definitions; this file brings a database at 0002 up to them.

-- Positions in the change log: `purged` (retention) and `dispatched` (webhook outbox).
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
