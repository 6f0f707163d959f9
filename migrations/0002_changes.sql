-- Migration 0002: the change records of spec §13 (the transactional outbox the change feed and
-- webhooks read). Same definitions as in schema.sql.

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
