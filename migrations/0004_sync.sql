-- Lists an app can sync from (spec §14) and the tag index (issue 8, finding 1).
-- schema.sql holds the same objects; this migration brings an existing database to it.

ALTER TABLE activities ADD COLUMN created_by TEXT;
ALTER TABLE traces ADD COLUMN created_by TEXT;
ALTER TABLE tests ADD COLUMN created_by TEXT;

-- Keyset pages walk (sort key, id) in both directions: the old DESC-then-ASC indexes cannot.
DROP INDEX IF EXISTS activities_user_start;
DROP INDEX IF EXISTS traces_user_timestamp;
DROP INDEX IF EXISTS tests_user_start;
CREATE INDEX IF NOT EXISTS activities_user_start_id ON activities (user_id, start, id);
CREATE INDEX IF NOT EXISTS activities_user_updated ON activities (user_id, updated_at, id);
CREATE INDEX IF NOT EXISTS activities_user_creator ON activities (user_id, created_by, start, id);
CREATE INDEX IF NOT EXISTS traces_user_timestamp_id ON traces (user_id, timestamp, id);
CREATE INDEX IF NOT EXISTS traces_user_updated ON traces (user_id, updated_at, id);
CREATE INDEX IF NOT EXISTS traces_user_creator ON traces (user_id, created_by, timestamp, id);
CREATE INDEX IF NOT EXISTS tests_user_start_id ON tests (user_id, start, id);
CREATE INDEX IF NOT EXISTS tests_user_updated ON tests (user_id, updated_at, id);
CREATE INDEX IF NOT EXISTS tests_user_creator ON tests (user_id, created_by, start, id);

CREATE TABLE IF NOT EXISTS entity_tags (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  entity_type TEXT NOT NULL CHECK (entity_type IN ('activities', 'traces', 'tests')),
  tag TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  PRIMARY KEY (user_id, entity_type, tag, entity_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS entity_tags_entity ON entity_tags (user_id, entity_type, entity_id);

INSERT OR IGNORE INTO entity_tags (user_id, entity_type, tag, entity_id)
  SELECT e.user_id, 'activities', j.value, e.id FROM activities e, json_each(e.tags) j;
INSERT OR IGNORE INTO entity_tags (user_id, entity_type, tag, entity_id)
  SELECT e.user_id, 'traces', j.value, e.id FROM traces e, json_each(e.tags) j;
INSERT OR IGNORE INTO entity_tags (user_id, entity_type, tag, entity_id)
  SELECT e.user_id, 'tests', j.value, e.id FROM tests e, json_each(e.tags) j;

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

INSERT OR IGNORE INTO app_metadata_members
    (user_id, client_id, entity_type, entity_id, key, value_type, value)
  SELECT m.user_id, m.client_id, m.entity_type, m.entity_id, j.key,
         CASE j.type WHEN 'text' THEN 'string' WHEN 'integer' THEN 'number'
                     WHEN 'real' THEN 'number' ELSE j.type END,
         CASE WHEN j.type IN ('text', 'integer', 'real') THEN j.atom END
    FROM app_metadata m, json_each(m.document) j;

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
