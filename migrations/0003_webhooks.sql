-- The change feed's retention watermark and webhook endpoints and deliveries (spec §13).
-- schema.sql holds the same definitions; this file brings a database at 0002 up to them.

CREATE TABLE IF NOT EXISTS change_purges (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  through_seq INTEGER NOT NULL
) STRICT;
