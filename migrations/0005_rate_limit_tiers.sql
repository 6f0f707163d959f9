-- Rate-limit tiers (spec §15): every application has one; existing applications are standard.
-- schema.sql holds the same column; this migration brings an existing database to it.

ALTER TABLE applications ADD COLUMN rate_limit_tier TEXT NOT NULL DEFAULT 'standard'
  CHECK (rate_limit_tier IN ('standard', 'high', 'unlimited'));
